using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Billing.Jobs;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Numbers;
using Portal.Fakes.Stripe;
using Portal.Fakes.Twilio;
using Portal.IntegrationTests.Infrastructure;
using Portal.Web.Telephony;

namespace Portal.E2E;

/// <summary>
/// The app on Kestrel with Stripe configured against <see cref="FakeStripeServer"/> (its hosted Checkout page included;
/// its signed webhooks go to the app's <c>/stripe/webhook</c> over HTTP), keyless telephony for the Twilio call
/// simulator, and headless Chromium.
/// </summary>
public sealed class BillingBrowserFixture : PortalAppFactory
{
    public const string WebhookSecret = "whsec_e2e_billing";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public FakeStripeServer Stripe { get; private set; } = default!;

    /// <summary>Where the billing screenshots go (<c>docs/screenshots</c> of the repository).</summary>
    public static string Screenshots { get; } = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(BrowserFixture.ScreenshotDirectory))!, "docs", "screenshots");

    protected override bool UseRealServer => true;

    public override async Task InitializeAsync()
    {
        Stripe = await FakeStripeServer.StartAsync(null, WebhookSecret);
        await base.InitializeAsync();
        Stripe.Webhooks.Target = new Uri(ServerAddress, "/stripe/webhook");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Stripe:SecretKey", "sk_test_portal_e2e");
        builder.UseSetting("Stripe:WebhookSecret", WebhookSecret);
        builder.UseSetting("Stripe:ApiBase", Stripe.BaseUrl.ToString());
        builder.UseSetting("Stripe:MeterId", "mtr_e2e_minutes");
        builder.UseSetting("Stripe:BasePrices:Growth", "price_growth_base");
        builder.UseSetting("Stripe:BasePrices:Enterprise", "price_enterprise_base");
        builder.UseSetting("Stripe:MeteredPrices:PayAsYouGo", "price_payg_tenths");
        builder.UseSetting("Stripe:MeteredPrices:Growth", "price_growth_tenths");
        builder.UseSetting("Stripe:MeteredPrices:Enterprise", "price_enterprise_tenths");
    }

    public async Task<IPage> SignedInPageAsync(string email, string password)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = ServerAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(BrowserFixture.WaitTimeoutMs); // a wait for a condition: long only when it fails
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(page, url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        return page;
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
        if (Stripe is not null)
        {
            await Stripe.DisposeAsync();
        }
    }
}

/// <summary>
/// The owner's billing journey in a browser: Billing → Checkout on the fake Stripe's hosted page → back with an active
/// plan → two phone calls (the Twilio call simulator: signed webhook and Media Streams) → their usage on the Billing page.
/// </summary>
public sealed class BillingJourneyTests(BillingBrowserFixture app) : IClassFixture<BillingBrowserFixture>
{
    [Fact]
    public async Task Owner_ChecksOutOnStripesHostedPage_ComesBackActive_ThenSeesTheUsageOfTwoCalls()
    {
        var tenant = await app.CreateTenantAsync("Billing Journey Dental");
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        var page = await app.SignedInPageAsync(tenant.Email, tenant.Password);
        try
        {
            await page.GotoAsync("/billing");
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.Locator("[data-testid=plan-name]").WaitForAsync();
            await BrowserFixture.Expect(page.Locator("[data-testid=subscription-status]")).ToHaveTextAsync("No subscription");
            await BrowserFixture.Expect(page.Locator("[data-testid=usage-empty]")).ToBeVisibleAsync();

            // Billing → Checkout: the fake Stripe's hosted page.
            await page.ClickAsync("[data-testid=choose-Growth]");
            await BrowserFixture.WaitForUrlAsync(page, url => url.StartsWith(app.Stripe.BaseUrl + "checkout/cs_test_", StringComparison.Ordinal));
            await BrowserFixture.Expect(page.Locator("h1")).ToHaveTextAsync("Pay Portal");
            await page.ClickAsync("#pay");

            // Back on Billing with an active Growth plan (the signed webhooks were applied before the redirect).
            await BrowserFixture.WaitForUrlAsync(page, url => url.StartsWith(app.ServerAddress + "billing?checkout=success", StringComparison.Ordinal));
            await BrowserFixture.Expect(page.Locator("[data-testid=checkout-success]")).ToBeVisibleAsync();
            await BrowserFixture.Expect(page.Locator("[data-testid=plan-name]")).ToHaveTextAsync("Growth");
            await BrowserFixture.Expect(page.Locator("[data-testid=subscription-status]")).ToHaveTextAsync("Subscription active");
            await BrowserFixture.Expect(page.Locator("[data-testid=payment-method]")).ToContainTextAsync("A card is on file.");
            await BrowserFixture.Expect(page.Locator("[data-testid=invoices] a", new() { HasTextString = "PDF" })).ToHaveCountAsync(1);
            Assert.All(app.Stripe.Webhooks.Responses, status => Assert.Equal(200, status));

            // Two phone calls through the app, as Twilio places them.
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

            // Both calls end (the media stream stopped), then the usage job (Hangfire's, run here) records them.
            var ended = await EventuallyAsync(async () =>
            {
                await using var scope = app.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Conversations.IgnoreQueryFilters()
                    .CountAsync(c => c.TenantId == tenant.TenantId && sids.Contains(c.CallSid!) && c.EndedAt != null);
            }, n => n == 2);
            Assert.Equal(2, ended);
            long tenths;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<RecordUsageJob>().RunAsync(CancellationToken.None);
                var usage = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().UsageRecords.IgnoreQueryFilters()
                    .Where(u => u.TenantId == tenant.TenantId).ToListAsync();
                Assert.Equal(2, usage.Count);
                Assert.All(usage, u => Assert.True(u.BillableTenths > 0 && u.Channel == Channel.Voice));
                tenths = usage.Sum(u => (long)u.BillableTenths);
            }

            await page.GotoAsync("/billing");
            var minutes = (tenths / 10m).ToString("#,##0.0", CultureInfo.InvariantCulture);
            await BrowserFixture.Expect(page.Locator("[data-testid=minutes-used]")).ToHaveTextAsync($"{minutes} of 2,000.0");
            await BrowserFixture.Expect(page.Locator("[data-testid=minutes-progress]")).ToBeVisibleAsync();
            await BrowserFixture.Expect(page.Locator("[data-testid=usage-per-agent] tbody tr td:nth-child(2)").First).ToHaveTextAsync("2"); // calls
            await page.Locator("#usage-chart .main-svg").First.WaitForAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(BillingBrowserFixture.Screenshots, "billing-owner-stripe.png"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "billing-journey-failure.png"), FullPage = true });
            throw;
        }
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value) || timeout.IsCancellationRequested)
            {
                return value;
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }
}
