using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Domain.LiveChat;

namespace Portal.E2E;

/// <summary>A static host page on its own 127.0.0.1 port (another origin than the app) embedding the widget snippet.</summary>
internal sealed class HostPage : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _html;

    public HostPage(Uri app, string widgetKey)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _html = $$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bright Teeth · Home</title>
            <style>body{font-family:Georgia,serif;margin:40px;background:#fffaf0}h1{color:#7a3e00}</style></head>
            <body><h1>Welcome to our practice</h1><p>Gentle dentistry in the heart of town. Chat with us any time.</p>
            <script src="{{app}}widget.js" data-agent="{{widgetKey}}" async></script></body></html>
            """;
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = ServeAsync();
    }

    public int Port { get; }

    public string Origin => $"http://127.0.0.1:{Port}";

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(_html);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}

public sealed class WidgetJourneyTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static string DocsScreenshot(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
        {
            dir = dir.Parent;
        }

        var folder = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "docs", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }

    private static async Task<int> AgentLinesAsync(IPage page) => await page.Locator(".msg.agent").CountAsync();

    private static async Task SayAsync(IPage page, string text)
    {
        var before = await AgentLinesAsync(page);
        await page.Locator("textarea").FillAsync(text);
        await page.Locator("textarea").PressAsync("Enter");
        await page.WaitForFunctionAsync($"() => document.querySelector('[data-portal-widget]').shadowRoot.querySelectorAll('.msg.agent').length > {before}");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-portal-widget]').shadowRoot.querySelector('.typing').textContent === ''");
    }

    [Fact]
    public async Task Visitor_AsksBooksReloads_StaffTakesOverAndHandsBack_AndOtherWebsitesGetNoWidget()
    {
        var tenant = await app.CreateTenantAsync("Bright Teeth Dental");
        var settings = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WidgetSettingsService>().GetAsync(CancellationToken.None));
        using var site = new HostPage(app.ServerAddress, settings.PublicKey);
        await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WidgetSettingsService>().SaveAsync(site.Origin, "#7a3e00", 60, CancellationToken.None));

        var visitorContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 900 } });
        visitorContext.SetDefaultTimeout(BrowserFixture.WaitTimeoutMs); // a wait for a condition: long only when it fails
        var visitor = await visitorContext.NewPageAsync();
        await visitor.GotoAsync(site.Origin + "/");
        await visitor.Locator(".bubble").ClickAsync();
        await SayAsync(visitor, "What are your hours?");
        Assert.Contains("8", await visitor.Locator(".msg.agent").Last.TextContentAsync(), StringComparison.Ordinal);
        await SayAsync(visitor, "I'd like a cleaning the day after tomorrow at 10am");
        await SayAsync(visitor, "Jamie Rivera");
        await SayAsync(visitor, "212-555-0143");
        await SayAsync(visitor, "yes please");
        await visitor.ScreenshotAsync(new PageScreenshotOptions { Path = DocsScreenshot("widget-on-host-page") });
        var bookings = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Bookings.CountAsync();
        });
        Assert.Equal(1, bookings);

        // Reload: the conversation is still there.
        var lines = await visitor.Locator(".msg").CountAsync();
        await visitor.ReloadAsync();
        await visitor.Locator(".bubble").ClickAsync();
        await visitor.WaitForFunctionAsync($"() => document.querySelector('[data-portal-widget]').shadowRoot.querySelectorAll('.msg').length >= {lines}");

        // Staff, in a second browser context, takes over.
        var staffContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.ServerAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        staffContext.SetDefaultTimeout(BrowserFixture.WaitTimeoutMs); // a wait for a condition: long only when it fails
        var staff = await staffContext.NewPageAsync();
        await staff.GotoAsync("/Account/Login");
        await staff.FillAsync("#email", tenant.Email);
        await staff.FillAsync("#password", tenant.Password);
        await staff.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(staff, url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        await staff.GotoAsync("/inbox");
        await staff.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await staff.Locator("[data-testid=inbox-row]").First.ClickAsync();
        await staff.Locator("[data-testid=take-over]").ClickAsync();
        await visitor.Locator(".msg.note", new() { HasTextString = "from the team has joined" }).WaitForAsync();
        await staff.Locator("[data-testid=staff-reply] textarea").FillAsync("Hi Jamie, this is the owner. Anything else?");
        await staff.Locator("[data-testid=staff-send]").ClickAsync();
        await visitor.Locator(".msg.staff", new() { HasTextString = "this is the owner" }).WaitForAsync();

        // While held, the agent stays silent: the staff transcript shows the visitor's message, and no agent line follows.
        var agentBefore = await AgentLinesAsync(visitor);
        await visitor.Locator("textarea").FillAsync("Do you have parking?");
        await visitor.Locator("textarea").PressAsync("Enter");
        await staff.Locator("[data-testid=transcript]", new() { HasTextString = "Do you have parking?" }).WaitForAsync();
        await staff.ScreenshotAsync(new PageScreenshotOptions { Path = DocsScreenshot("inbox-takeover"), FullPage = true });
        Assert.Equal(agentBefore, await AgentLinesAsync(visitor));

        await staff.Locator("[data-testid=hand-back]").ClickAsync();
        await visitor.Locator(".msg.note", new() { HasTextString = "handed the chat back" }).WaitForAsync();
        await SayAsync(visitor, "What are your hours?");
        Assert.Equal(agentBefore + 1, await AgentLinesAsync(visitor));

        // A website not on the allowed list gets no widget.
        using var other = new HostPage(app.ServerAddress, settings.PublicKey);
        var stranger = await visitorContext.NewPageAsync();
        // The widget tries the WebSocket, then long polling's negotiate; both are refused (a 403 without CORS headers,
        // which the browser reports as a failed request), and the widget gives up without drawing anything.
        var negotiate = stranger.WaitForRequestAsync(r => r.Url.Contains("/widget/hub/negotiate", StringComparison.Ordinal));
        await stranger.GotoAsync(other.Origin + "/");
        var attempt = await negotiate;
        var response = await attempt.ResponseAsync();
        Assert.True(response is null || response.Status == 403, $"negotiate from a foreign website answered {response?.Status}");
        Assert.Equal(0, await stranger.Locator("[data-portal-widget]").CountAsync());
        using var direct = new HttpClient { BaseAddress = app.ServerAddress };
        using var probe = new HttpRequestMessage(HttpMethod.Post, $"/widget/hub/negotiate?agent={Uri.EscapeDataString(settings.PublicKey)}&negotiateVersion=1");
        probe.Headers.Add("Origin", other.Origin);
        Assert.Equal(HttpStatusCode.Forbidden, (await direct.SendAsync(probe)).StatusCode);
    }
}
