using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Numbers;
using Portal.Fakes.Twilio;
using Portal.IntegrationTests.Agencies;
using Portal.Web.Telephony;

namespace Portal.E2E;

/// <summary>The app on Kestrel with the local DNS server, and Chromium resolving the agency's domain to 127.0.0.1.</summary>
public sealed class AgencyBrowserFixture : AgencyAppFactory
{
    public const string AgencyHost = "app.e2e-agency.test";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    protected override bool UseRealServer => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The journey registers a client's webhook endpoint on 127.0.0.1.
        builder.UseSetting("Webhooks:AllowLoopback", "true");
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", $"--host-resolver-rules=MAP {AgencyHost} 127.0.0.1"],
        });
    }

    /// <summary>A fresh browser context on <paramref name="baseUrl"/>.</summary>
    public async Task<IPage> NewPageAsync(string baseUrl)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(BrowserFixture.WaitTimeoutMs); // a wait for a condition: long only when it fails
        return await context.NewPageAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>The white-label journey of issue "agencies": admin → agency brand and domain → client → client's owner → two real calls → usage.</summary>
public sealed class AgencyJourneyTests(AgencyBrowserFixture app) : IClassFixture<AgencyBrowserFixture>
{
    private static readonly string Screenshots = Path.Combine(FindRoot(), "docs", "screenshots");

    [Fact]
    public async Task Agency_BrandsDomainCreatesClientSetsPrice_ClientSignsInOnTheAgencyDomain()
    {
        var port = app.ServerAddress.Port;
        var platform = app.ServerAddress.ToString();
        var agencyUrl = $"http://{AgencyBrowserFixture.AgencyHost}:{port}/";
        var adminEmail = await CreateAdminAsync();
        var ownerEmail = $"owner-{Guid.NewGuid():N}@e2e-agency.test";
        const string password = AgencyAppFactory.Password;

        // 1. The platform admin creates the agency.
        var admin = await app.NewPageAsync(platform);
        await SignInAsync(admin, adminEmail);
        await admin.GotoAsync("/admin/agencies");
        await Interactive(admin);
        await admin.FillAsync("#agency-name", "Northwind Reception");
        await admin.FillAsync("#agency-owner-email", ownerEmail);
        await admin.FillAsync("#agency-owner-name", "Nora North");
        await admin.FillAsync("#agency-owner-password", password);
        await admin.ClickAsync("[data-testid=agency-create]");
        await admin.Locator("[data-testid=agency-row-name]", new() { HasText = "Northwind Reception" }).WaitForAsync();

        // 2. The agency owner sets colours, footer, logo and a domain, and verifies it against the local DNS server.
        var owner = await app.NewPageAsync(platform);
        await SignInAsync(owner, ownerEmail);
        await BrowserFixture.WaitForUrlAsync(owner, new Regex("/agency$"));
        await owner.GotoAsync("/agency/brand");
        await Interactive(owner);
        await owner.FillAsync("#brand-primary", "#00796B");
        await owner.FillAsync("#brand-secondary", "#F9A825");
        await owner.FillAsync("#brand-footer-input", "© Northwind Reception LLC. All rights reserved.");
        // Saving reloads the page so the layout wears the new colours: wait for the old page's marker to be gone.
        await owner.EvaluateAsync("() => window.__beforeSave = true");
        await owner.ClickAsync("[data-testid=brand-save]");
        await owner.WaitForFunctionAsync("() => window.__beforeSave === undefined && document.querySelector('[data-testid=interactive]') !== null");
        await owner.WaitForFunctionAsync("() => document.querySelector('input[type=file]')?._blazorInputFileNextFileId !== undefined");
        await owner.Locator("[data-testid=brand-logo-upload]").SetInputFilesAsync(new FilePayload { Name = "logo.svg", MimeType = "image/svg+xml", Buffer = System.Text.Encoding.UTF8.GetBytes(Logo) });
        await owner.Locator("[data-testid=brand-logo-preview]").WaitForAsync();
        await owner.FillAsync("#domain-input", AgencyBrowserFixture.AgencyHost);
        await owner.ClickAsync("[data-testid=domain-add]");
        var txt = await owner.Locator("[data-testid=domain-txt]").InnerTextAsync();
        var cname = await owner.Locator("[data-testid=domain-cname]").InnerTextAsync();
        app.Dns.Cname(AgencyBrowserFixture.AgencyHost, cname).Txt("_portal-verification." + AgencyBrowserFixture.AgencyHost, txt);
        await owner.ClickAsync("[data-testid=domain-verify]");
        await owner.Locator("[data-testid=domain-status]", new() { HasText = "Verified" }).WaitForAsync();
        await Shot(owner, "agency-brand-settings");

        // 3. The sign-in page on the agency's domain shows its brand, not Portal's.
        var visitor = await app.NewPageAsync(agencyUrl);
        await visitor.GotoAsync("/Account/Login");
        Assert.Equal("Northwind Reception", await visitor.Locator("[data-testid=brand-name]").InnerTextAsync());
        Assert.Equal("Sign in · Northwind Reception", await visitor.TitleAsync());
        await visitor.Locator("[data-testid=brand-logo]").WaitForAsync();
        Assert.DoesNotContain("Portal", await visitor.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Shot(visitor, "agency-branded-sign-in");

        // 4. The agency creates a client, opens its portal (view as), and sets its price.
        var clientEmail = $"client-{Guid.NewGuid():N}@e2e-client.test";
        await owner.GotoAsync("/agency/clients");
        await Interactive(owner);
        await owner.GetByText("Add a client", new() { Exact = true }).ClickAsync();
        await owner.FillAsync("#client-name", "Lakeside Smiles");
        await owner.FillAsync("#client-owner-email", clientEmail);
        await owner.FillAsync("#client-owner-password", password);
        await owner.ClickAsync("[data-testid=client-create]");
        await owner.Locator("[data-testid=client-row-name]", new() { HasText = "Lakeside Smiles" }).WaitForAsync();
        await owner.ClickAsync("[data-testid=client-view-as]");
        await owner.Locator("[data-testid=view-as-banner]").WaitForAsync();
        Assert.Contains("Lakeside Smiles", await owner.Locator("[data-testid=business-name]").InnerTextAsync(), StringComparison.Ordinal);
        await owner.ClickAsync("[data-testid=view-as-exit]");
        await BrowserFixture.WaitForUrlAsync(owner, new Regex("/agency/clients$"));
        await Interactive(owner);
        await owner.ClickAsync("[data-testid=client-manage]");
        await owner.Locator("[data-testid=client-title]").WaitForAsync();
        await Interactive(owner);
        await owner.FillAsync("#price-fee", "249.00");
        await owner.FillAsync("#price-included", "2");
        await owner.FillAsync("#price-overage", "0.40");
        await owner.ClickAsync("[data-testid=price-save]");
        await owner.Locator("[data-testid=client-charge]", new() { HasText = "$249.00" }).WaitForAsync();

        // 5. The client's owner signs in on the agency domain and sees only its own business, in the agency's brand.
        var client = await app.NewPageAsync(agencyUrl);
        await SignInAsync(client, clientEmail);
        await BrowserFixture.WaitForUrlAsync(client, new Regex("/onboarding$"));
        Assert.Equal("Northwind Reception", await client.Locator("[data-testid=brand-name]").InnerTextAsync());
        Assert.Contains("Lakeside Smiles", await client.Locator("[data-testid=business-name]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Agency", await client.Locator("nav, .mud-drawer").First.InnerTextAsync(), StringComparison.Ordinal);

        // 6. The client's number goes live (the onboarding's number step: a pool number reserved and assigned to its
        // agent); two real phone calls reach it through the app, as Twilio places them (signed voice webhook, then the
        // Media Streams socket); the agency dashboard shows them, minutes counted independently from the stored calls.
        var (calls, minutes) = await PlaceTwoCallsAsync(clientEmail);
        await owner.GotoAsync("/agency");
        await owner.Locator("[data-testid=usage-client]", new() { HasText = "Lakeside Smiles" }).WaitForAsync();
        Assert.Equal(calls.ToString(CultureInfo.InvariantCulture), await owner.Locator("[data-testid=usage-calls]").First.InnerTextAsync());
        Assert.Equal(minutes.ToString(CultureInfo.InvariantCulture), await owner.Locator("[data-testid=usage-minutes]").First.InnerTextAsync());
        await owner.Locator("[data-testid=usage-alert]").WaitForAsync();
        await Shot(owner, "agency-dashboard");

        // 7. The agency adds a webhook endpoint for the client (its secret shown once) and sends it a test event.
        await owner.GotoAsync("/agency/clients");
        await Interactive(owner);
        await owner.ClickAsync("[data-testid=client-manage]");
        await owner.Locator("[data-testid=client-webhooks]").WaitForAsync();
        await Interactive(owner);
        await owner.FillAsync("#client-webhook-url", "http://127.0.0.1:9/hooks/lakeside");
        await owner.ClickAsync("[data-testid=client-webhook-add]");
        await owner.Locator("[data-testid=client-webhook-secret-alert]").WaitForAsync();
        await owner.ClickAsync("[data-testid=client-webhook-test]");
        await owner.Locator("[data-testid=client-webhook-deliveries-table]").WaitForAsync();
        await Shot(owner, "agency-client-webhooks");

        // 8. The owner invites a staff member; the agency's billing page shows what it pays Portal.
        await owner.GotoAsync("/agency/team");
        await Interactive(owner);
        await owner.FillAsync("#member-email", $"staff-{Guid.NewGuid():N}@e2e-agency.test");
        await owner.FillAsync("#member-name", "Sam Staff");
        await owner.ClickAsync("[data-testid=member-invite]");
        await owner.Locator("[data-testid=member-row-email]", new() { HasText = "@e2e-agency.test" }).Nth(1).WaitForAsync();
        await Shot(owner, "agency-team");
        await owner.GotoAsync("/agency/billing");
        await owner.Locator("[data-testid=billing-tiers]").WaitForAsync();
        Assert.Equal("1", await owner.Locator("[data-testid=billing-tier-Starter] [data-testid=billing-quantity]").InnerTextAsync());
        await Shot(owner, "agency-billing");
    }

    private const string Logo = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><rect width="40" height="40" rx="8" fill="#00796B"/><path d="M10 30 L20 10 L30 30 Z" fill="#F9A825"/><text x="48" y="27" font-size="16" font-family="Arial" fill="#00796B">NWR</text><script>alert(1)</script></svg>
        """;

    private async Task<string> CreateAdminAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>();
        var email = $"admin-{Guid.NewGuid():N}@portal.test";
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Admin" };
        Assert.True((await users.CreateAsync(user, AgencyAppFactory.Password)).Succeeded);
        await users.AddToRoleAsync(user, Roles.PlatformAdmin);
        return email;
    }

    // Two calls through the running app with the Twilio call simulator; returns the calls stored and their billable
    // minutes, each call rounded up to a whole minute from its stored length (the dashboard's rule, computed here).
    private async Task<(int Calls, long Minutes)> PlaceTwoCallsAsync(string ownerEmail)
    {
        Guid tenantId;
        string number;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            tenantId = (await db.Users.SingleAsync(u => u.Email == ownerEmail)).TenantId!.Value;
            var agent = await db.AgentPersonas.IgnoreQueryFilters().SingleAsync(a => a.TenantId == tenantId);
            var pool = scope.ServiceProvider.GetRequiredService<NumberPool>();
            var free = (await pool.ListAvailableAsync(null, null, 1, CancellationToken.None))[0];
            Assert.Equal(ReserveResult.Reserved, await pool.ReserveAsync(tenantId, free.Id, CancellationToken.None));
            Assert.True(await pool.AssignAsync(tenantId, free.Id, agent.Id, CancellationToken.None));
            number = free.E164;
        }

        var credentials = app.Services.GetRequiredService<ISandboxCredentials>();
        using var http = new HttpClient();
        var sids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var call = await TwilioCallSimulator.RunAsync(new SimulatedCallOptions { BaseUrl = app.ServerAddress, To = number, AuthToken = credentials.AuthToken }, http, timeout.Token);
            Assert.True(call.Error is null, call.Error);
            sids.Add(call.CallSid);
        }

        // Both calls end when their media streams stop; wait for that, then count them as the dashboard does.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var rows = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Conversations.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.TenantId == tenantId && sids.Contains(c.CallSid!) && c.EndedAt != null)
                .Select(c => new { c.DurationSeconds, c.StartedAt, EndedAt = c.EndedAt!.Value }).ToListAsync();
            if (rows.Count == 2)
            {
                return (2, rows.Sum(r => (long)Math.Ceiling((r.DurationSeconds ?? (long)(r.EndedAt - r.StartedAt).TotalSeconds) / 60.0)));
            }

            wait.Token.ThrowIfCancellationRequested();
            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", AgencyAppFactory.Password);
        await page.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(page, url => !url.Contains("/Account/Login", StringComparison.Ordinal));
    }

    private static Task Interactive(IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    private static async Task Shot(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"{name}.png"), FullPage = true });
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? AppContext.BaseDirectory;
    }
}
