using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Fakes.Web;

/// <summary>A small business website served by Kestrel on 127.0.0.1 (a free port), recording every path requested.</summary>
public sealed class LocalSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalSite(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>The site's root, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri Root { get; }

    /// <summary>Every path requested, in order.</summary>
    public ConcurrentQueue<string> Requested { get; } = new();

    /// <summary>The <c>User-Agent</c> of every request, in order.</summary>
    public ConcurrentQueue<string> UserAgents { get; } = new();

    /// <summary>Starts the site on a free port of 127.0.0.1 with <paramref name="robots"/> as robots.txt (null: none, 404) and <paramref name="slowDelay"/> (default 60 s, longer than any crawler timeout a test sets) before the slow page answers.</summary>
    public static async Task<LocalSite> StartAsync(string? robots = Robots, TimeSpan? slowDelay = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        LocalSite? site = null;
        app.Use(async (context, next) =>
        {
            site!.Requested.Enqueue(context.Request.Path + context.Request.QueryString);
            site.UserAgents.Enqueue(context.Request.Headers.UserAgent.ToString());
            await next(context);
        });

        if (robots is not null)
        {
            app.MapGet("/robots.txt", () => Results.Text(robots, "text/plain"));
        }

        app.MapGet("/", () => Html("Home – Harbor Café", """
            <nav><a href="/about">About</a> <a href="/menu#breakfast">Menu</a> <a href="/menu">Menu again</a></nav>
            <main><h1>Harbor Café</h1><p>Fresh breakfast and lunch by the harbour.</p>
            <p><a href="/private/staff">Staff</a> <a href="/private/open-day">Open day</a> <a href="/slow">Specials</a>
            <a href="/price-sheet">Price sheet</a> <a href="/files/menu.pdf">PDF menu</a>
            <a href="https://example.org/partner">Partner</a> <a href="mailto:hi@harbor.test">Mail</a>
            <a href="/level1">Story</a> <a href="/nofollow" rel="nofollow">Secret</a></p></main>
            <footer>© Harbor Café</footer>
            """));
        app.MapGet("/about", () => Html("About us", "<main><h1>About us</h1><p>Family run since 1987.</p><a href='/'>Home</a></main>"));
        app.MapGet("/menu", () => Html("Menu", "<main><h1>Menu</h1><h2 id='breakfast'>Breakfast</h2><p>Pancakes $9.50.</p><h2>Do you have vegan options?</h2><p>Yes, oat milk and a vegan bowl.</p></main>"));
        app.MapGet("/private/staff", () => Html("Staff", "<p>Rota.</p>"));
        app.MapGet("/private/open-day", () => Html("Open day", "<main><p>Open day on the first Sunday of June.</p></main>"));
        app.MapGet("/slow", async (HttpContext context) =>
        {
            await Task.Delay(slowDelay ?? TimeSpan.FromSeconds(60), context.RequestAborted);
            return Html("Specials", "<p>Soup of the day.</p>");
        });
        app.MapGet("/price-sheet", () => Results.Bytes("%PDF-1.7 not html"u8.ToArray(), "application/pdf"));
        app.MapGet("/files/menu.pdf", () => Results.Bytes("%PDF-1.7"u8.ToArray(), "application/pdf"));
        app.MapGet("/level1", () => Html("Story 1", "<p>Our story, part one.</p><a href='/level2'>next</a>"));
        app.MapGet("/level2", () => Html("Story 2", "<p>Our story, part two.</p><a href='/level3'>next</a>"));
        app.MapGet("/level3", () => Html("Story 3", "<p>Our story, part three.</p>"));
        app.MapGet("/nofollow", () => Html("Secret", "<p>Not linked for robots.</p>"));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        site = new LocalSite(app, new Uri(address + "/"));
        return site;
    }

    /// <summary>The default robots.txt: one other bot shut out, <c>/private/</c> disallowed except its open-day page.</summary>
    public const string Robots = """
        # Harbor Café robots
        User-agent: SomeOtherBot
        Disallow: /

        User-agent: *
        Disallow: /private/
        Allow: /private/open-day
        """;

    private static IResult Html(string title, string body) =>
        Results.Content($"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>", "text/html; charset=utf-8");

    /// <summary>Stops the site.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
