using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Rag.Crawling;
using Portal.Rag.Extraction;

namespace Portal.Rag.Tests.Hardening;

/// <summary>
/// The website import against server-side request forgery, over real HTTP to a site on 127.0.0.1: private start
/// addresses in every notation, a redirect to a host on a private network, and a DNS answer that changes between the
/// check and the connection (the connection goes to the checked address or nowhere).
/// </summary>
public sealed class CrawlerSsrfTests : IAsyncLifetime
{
    private WebApplication _site = null!;
    private int _port;

    public ConcurrentQueue<string> Requested { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _site = builder.Build();
        _site.Use(async (context, next) =>
        {
            Requested.Enqueue(context.Request.Host.Host + context.Request.Path);
            await next(context);
        });
        _site.MapGet("/", () => Results.Content("<html><head><title>Shop</title></head><body><main><p>Open nine to five.</p></main></body></html>", "text/html"));
        _site.MapGet("/to-metadata", (HttpContext c) => Results.Redirect($"http://www.shop.test:{c.Connection.LocalPort}/latest/meta-data"));
        _site.MapGet("/latest/meta-data", () => Results.Content("<html><body><p>secret credentials</p></body></html>", "text/html"));
        await _site.StartAsync();
        _port = new Uri(_site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private static async Task<List<CrawlOutcome>> CrawlAsync(PublicAddressGuard guard, Uri start, CrawlOptions options)
    {
        using var http = new HttpClient(guard.CreateHandler());
        var outcomes = new List<CrawlOutcome>();
        await foreach (var outcome in new WebsiteCrawler(http, guard: guard).CrawlPagesAsync(start, options))
        {
            outcomes.Add(outcome);
        }

        return outcomes;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("[::127.0.0.1]")]
    [InlineData("[::ffff:127.0.0.1]")]
    [InlineData("[::ffff:7f00:1]")]
    [InlineData("[64:ff9b::127.0.0.1]")]
    [InlineData("[2002:7f00:1::1]")]
    [InlineData("0.0.0.0")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("[fe80::1]")]
    [InlineData("[fd00::1]")]
    public async Task StartAddress_OnAPrivateNetwork_IsRefused_AndNothingIsRequested(string host)
    {
        var start = new Uri($"http://{host}:{_port}/");

        var error = await Assert.ThrowsAsync<DocumentExtractionException>(() => CrawlAsync(new PublicAddressGuard(), start, new CrawlOptions()));

        Assert.EndsWith("is on a private network and cannot be read.", error.Message, StringComparison.Ordinal);
        Assert.Empty(Requested);
    }

    [Fact]
    public async Task HostName_ResolvingToAPrivateAddress_IsRefused()
    {
        var guard = new PublicAddressGuard((_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.215.14"), IPAddress.Parse("10.0.0.7") }));

        var error = await Assert.ThrowsAsync<DocumentExtractionException>(() => CrawlAsync(guard, new Uri($"http://shop.test:{_port}/"), new CrawlOptions()));

        Assert.Equal("The website shop.test is on a private network and cannot be read.", error.Message);
    }

    [Fact]
    public async Task Redirect_ToAHostOnAPrivateNetwork_IsNotFollowed()
    {
        // shop.test is this machine (allowed by the test-only loopback switch); www.shop.test, the same site by name, is the metadata service.
        var guard = new PublicAddressGuard((host, _) => Task.FromResult(new[] { IPAddress.Parse(host == "shop.test" ? "127.0.0.1" : "169.254.169.254") }));

        var outcomes = await CrawlAsync(guard, new Uri($"http://shop.test:{_port}/to-metadata"), new CrawlOptions { AllowLoopback = true, MaxDepth = 0 });

        var outcome = Assert.Single(outcomes);
        Assert.Null(outcome.Document);
        Assert.Equal("it is on a private network", outcome.SkipReason);
        Assert.DoesNotContain(Requested, r => r.EndsWith("/latest/meta-data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DnsAnswerChangingAfterTheCheck_ConnectsNowhere()
    {
        // Rebinding: the first answer (the start check) is this machine, every later one (the connection) a private address.
        var answers = 0;
        var guard = new PublicAddressGuard((_, _) => Task.FromResult(new[] { IPAddress.Parse(Interlocked.Increment(ref answers) == 1 ? "127.0.0.1" : "10.0.0.7") }));

        var outcomes = await CrawlAsync(guard, new Uri($"http://shop.test:{_port}/"), new CrawlOptions { AllowLoopback = true, MaxDepth = 0 });

        // robots.txt's connection was refused (so the site counts as disallowing everything) and nothing reached the site.
        Assert.Null(Assert.Single(outcomes).Document);
        Assert.Empty(Requested);
        Assert.True(answers >= 2, "the connection resolved the name itself");
    }

    [Fact]
    public async Task LoopbackSite_IsReadOnlyWithTheTestSwitch()
    {
        var guard = new PublicAddressGuard((_, _) => Task.FromResult(new[] { IPAddress.Loopback }));

        var outcomes = await CrawlAsync(guard, new Uri($"http://shop.test:{_port}/"), new CrawlOptions { AllowLoopback = true, MaxDepth = 0 });

        Assert.Contains("Open nine to five.", Assert.Single(outcomes).Document!.Sections[0].Text, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DocumentExtractionException>(() => CrawlAsync(guard, new Uri($"http://shop.test:{_port}/"), new CrawlOptions()));
    }
}
