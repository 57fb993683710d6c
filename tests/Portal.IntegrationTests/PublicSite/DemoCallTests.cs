using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.IntegrationTests.Infrastructure;
using Portal.Web.Public;

namespace Portal.IntegrationTests.PublicSite;

/// <summary>The real app on Kestrel with the demo business seeded (as <c>./run.sh</c> does), for the landing page's demo call.</summary>
public sealed class DemoCallFactory : PortalAppFactory
{
    /// <summary>Demo calls one address may start per hour in these tests.</summary>
    public const int PerAddress = 3;

    protected override bool UseRealServer => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:SeedDemo", "true");
        builder.UseSetting("PublicSite:DemoCall:CallsPerAddressPerHour", PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// "Call the demo agent" from the landing page: an anonymous browser call, always to the seeded demo business, from this
/// site's pages only, within the per-address limit.
/// </summary>
public sealed class DemoCallTests(DemoCallFactory app) : IClassFixture<DemoCallFactory>
{
    private Uri CallUri(string query = "") =>
        new UriBuilder(app.ServerAddress) { Scheme = "ws", Path = DemoCallEndpoints.Path, Query = query }.Uri;

    private async Task<Guid> DemoTenantAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<DemoLine>().TenantAsync(CancellationToken.None))
            ?? throw new InvalidOperationException("The demo business was not seeded.");
    }

    [Fact]
    public async Task Anonymous_CallsTheDemoBusiness_HearsTheGreeting_AndATestConversationIsStored()
    {
        var demo = await DemoTenantAsync();
        var other = await app.CreateTenantAsync("Not The Demo Dental");
        // A tenant id in the query is ignored: the demo business is the server's choice.
        await using var call = await BrowserCallClient.ConnectAsync(CallUri($"tenantId={other.TenantId}"), new CookieContainer());
        var started = await call.NextAsync(e => e.Event == "started");
        var id = started.Json.GetProperty("conversationId").GetGuid();
        var greeting = await call.NextAsync(e => e.Event == "transcript" && e.Role == "agent");
        Assert.False(string.IsNullOrWhiteSpace(greeting.Text));
        await call.HangUpAsync();

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        // Across tenants on purpose: the test proves where the conversation went.
        var conversation = await db.Conversations.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal(demo, conversation.TenantId);
        Assert.True(conversation.IsTest);
        Assert.False(await db.Conversations.IgnoreQueryFilters().AnyAsync(c => c.TenantId == other.TenantId));
    }

    [Fact]
    public async Task PlainGet_Is400_AndAnUpgradeFromAnotherSite_Is403()
    {
        using var http = new HttpClient { BaseAddress = app.ServerAddress };
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync(DemoCallEndpoints.Path)).StatusCode);

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "https://evil.example");
        var error = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(CallUri(), CancellationToken.None));
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LandingPage_OffersTheInBrowserDemoCall()
    {
        using var http = new HttpClient { BaseAddress = app.ServerAddress };
        var landing = await http.GetStringAsync("/");
        Assert.Contains("data-testid=\"demo-call\"", landing, StringComparison.Ordinal);
        Assert.Contains("/js/demo-call.js", landing, StringComparison.Ordinal);
        var script = await http.GetStringAsync("/js/demo-call.js");
        Assert.Contains(DemoCallEndpoints.Path, script, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
    }
}

/// <summary>The per-address limit, on an app of its own so the other demo-call tests' calls do not count against it.</summary>
public sealed class DemoCallLimitTests(DemoCallLimitFactory app) : IClassFixture<DemoCallLimitFactory>
{
    [Fact]
    public async Task OneAddress_IsLimitedPerHour_With429()
    {
        string? refused = null;
        int calls = 0;
        for (int attempt = 0; attempt <= DemoCallFactory.PerAddress && refused is null; attempt++)
        {
            try
            {
                await using var call = await BrowserCallClient.ConnectAsync(new UriBuilder(app.ServerAddress) { Scheme = "ws", Path = DemoCallEndpoints.Path }.Uri, new CookieContainer());
                await call.NextAsync(e => e.Event == "started");
                calls++;
                await call.HangUpAsync();
            }
            catch (WebSocketException ex)
            {
                refused = ex.Message;
            }
        }

        Assert.NotNull(refused);
        Assert.Contains("429", refused, StringComparison.Ordinal);
        Assert.Equal(DemoCallFactory.PerAddress, calls);
    }
}

/// <summary>A second app instance (its own limiter) for <see cref="DemoCallLimitTests"/>.</summary>
public sealed class DemoCallLimitFactory : PortalAppFactory
{
    protected override bool UseRealServer => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:SeedDemo", "true");
        builder.UseSetting("PublicSite:DemoCall:CallsPerAddressPerHour", DemoCallFactory.PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
