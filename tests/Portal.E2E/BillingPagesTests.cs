using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Billing.Jobs;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Seeding;

namespace Portal.E2E;

/// <summary>
/// The billing pages in a browser on a keyless Portal (no Stripe): the owner's Billing page from local usage, saying
/// Stripe is not configured, and a spending cap saved from its form; and the platform admin's Billing page.
/// </summary>
public sealed class BillingPagesTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> SignInAsync(string email, string password)
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(page, url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        return page;
    }

    [Fact]
    public async Task Keyless_OwnerSeesLocalUsage_AndStripeNotConfigured_AdminSeesTheBusiness()
    {
        var tenant = await app.CreateTenantAsync("Keyless Billing Dental");
        // Calls on three days this month (or today only, early in the month): 4.2 + 2.5 + 10.0 minutes.
        var now = DateTimeOffset.UtcNow;
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset Day(int back) => now.AddDays(-back) > month ? now.AddDays(-back) : now.AddMinutes(-30 + back);
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            foreach (var (at, seconds) in new[] { (Day(2), 252), (Day(1), 150), (Day(0).AddMinutes(-20), 600) })
            {
                db.Conversations.Add(new Conversation
                {
                    TenantId = tenant.TenantId, AgentPersonaId = tenant.AgentId, Channel = Channel.Voice, StartedAt = at, EndedAt = at.AddSeconds(seconds),
                    DurationSeconds = seconds, CallStatus = "completed", CallSid = "CA" + Guid.NewGuid().ToString("N"), Outcome = ConversationOutcome.Answered, TurnCount = 2,
                });
            }

            return await db.SaveChangesAsync();
        });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Equal(3, await scope.ServiceProvider.GetRequiredService<RecordUsageJob>().RunAsync(CancellationToken.None));
        }

        var page = await SignInAsync(tenant.Email, tenant.Password);
        try
        {
            await page.GotoAsync("/billing");
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await BrowserFixture.Expect(page.Locator("[data-testid=stripe-not-configured]")).ToContainTextAsync("Stripe is not configured");
            await BrowserFixture.Expect(page.Locator("[data-testid=minutes-used]")).ToHaveTextAsync("16.7");
            await BrowserFixture.Expect(page.Locator("[data-testid=plan-name]")).ToHaveTextAsync("Pay-as-you-go");
            await BrowserFixture.Expect(page.Locator("[data-testid=manage-payment]")).ToHaveCountAsync(0);
            await BrowserFixture.Expect(page.Locator("[data-testid=period]")).ToContainTextAsync("(UTC month)");
            await page.Locator("#usage-chart .main-svg").First.WaitForAsync();

            // A $50 spending cap is saved on the business's account.
            await page.Locator("[data-testid=limits] input:not([type=radio])").First.FillAsync("50");
            await page.ClickAsync("[data-testid=save-limits]");
            await page.Locator(".mud-snackbar", new() { HasTextString = "Saved." }).WaitForAsync();
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var account = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().BillingAccounts.IgnoreQueryFilters()
                    .SingleAsync(a => a.TenantId == tenant.TenantId);
                Assert.Equal(5_000, account.SpendingCapCents);
            }

            await page.ScreenshotAsync(new() { Path = Path.Combine(BillingBrowserFixture.Screenshots, "billing-owner-keyless.png"), FullPage = true });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "billing-keyless-failure.png"), FullPage = true });
            throw;
        }

        var admin = await SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.DemoPassword);
        try
        {
            await admin.GotoAsync("/admin/billing");
            var row = admin.Locator("[data-testid=business-row]", new() { HasTextString = "Keyless Billing Dental" });
            await BrowserFixture.Expect(row).ToContainTextAsync("16.7");
            await BrowserFixture.Expect(admin.Locator("[data-testid=mrr]")).ToContainTextAsync("$");
            await admin.ScreenshotAsync(new() { Path = Path.Combine(BillingBrowserFixture.Screenshots, "billing-admin.png"), FullPage = true });
        }
        catch
        {
            await admin.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "billing-admin-failure.png"), FullPage = true });
            throw;
        }
    }
}
