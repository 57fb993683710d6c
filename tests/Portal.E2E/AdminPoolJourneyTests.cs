using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Seeding;
using Portal.Jobs.Numbers;

namespace Portal.E2E;

/// <summary>
/// The number pool end to end in headless Chromium: the platform admin buys 10 numbers from the sandbox
/// inventory, sees them in the pool, a new business picks one in the onboarding wizard, and the admin
/// sees it assigned. The test app runs no Hangfire server, so the test plays the job server: it runs
/// the enqueued <see cref="PurchaseNumbersJob"/> itself while the page polls the batch's progress.
/// </summary>
public sealed partial class AdminPoolJourneyTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private const string AreaCode = "617"; // Boston: in the sandbox inventory, not in the seeded pool

    [Fact]
    public async Task Admin_BuysTenNumbers_NewBusinessPicksOne_AdminSeesItAssigned()
    {
        var admin = await app.NewPageAsync();
        var owner = await app.NewPageAsync();
        try
        {
            await JourneyAsync(admin, owner);
        }
        catch
        {
            await Shot(admin, "admin-failure-admin");
            await Shot(owner, "admin-failure-owner");
            throw;
        }
    }

    private async Task JourneyAsync(IPage admin, IPage owner)
    {
        // The platform admin signs in and searches the sandbox inventory in area code 617.
        await admin.GotoAsync("/Account/Login");
        await admin.FillAsync("#email", DemoSeeder.AdminEmail);
        await admin.FillAsync("#password", DemoSeeder.DemoPassword);
        await admin.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(admin, new Regex("/admin$|/$"));
        await admin.GotoAsync("/admin/numbers/buy");
        await Interactive(admin);
        await Shot(admin, "admin-01-buy-empty");

        // Validation: a malformed area code is refused with a message.
        await admin.FillAsync(Input("search-area-code"), "12");
        await admin.ClickAsync("[data-testid=search]");
        await admin.GetByText("Area code is three digits").First.WaitForAsync();
        await Shot(admin, "admin-02-buy-validation");

        await admin.FillAsync(Input("search-area-code"), AreaCode);
        await UntilVisibleAsync(() => admin.ClickAsync("[data-testid=search]"), admin.Locator("[data-testid=inventory-number]"));
        Assert.Contains("+1617555", await admin.Locator("[data-testid=inventory-number]").First.InnerTextAsync(), StringComparison.Ordinal);
        await Shot(admin, "admin-03-buy-search");

        // Buy any 10: the batch appears queued; the test runs the job the page is waiting for.
        await admin.ClickAsync("[data-testid=buy-bulk-10]");
        await admin.Locator("[data-testid=batch]").WaitForAsync(new() { Timeout = BrowserFixture.WaitTimeoutMs });
        var batchId = await LatestBatchAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Equal(PurchaseBatchStatus.Completed, await scope.ServiceProvider.GetRequiredService<PurchaseNumbersJob>().RunAsync(batchId, CancellationToken.None));
        }

        await admin.Locator("[data-testid=batch-status]", new() { HasText = "Completed" }).WaitForAsync();
        Assert.Equal(10, await admin.Locator("[data-testid=batch-item-status]", new() { HasText = "Purchased" }).CountAsync());
        await Shot(admin, "admin-04-buy-completed");

        // The ten numbers are in the pool, available.
        await admin.GotoAsync("/admin/numbers");
        await Interactive(admin);
        await admin.FillAsync(Input("filter-area-code"), AreaCode);
        await admin.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=number-e164]').length === 10 && [...document.querySelectorAll('[data-testid=number-e164]')].every(e => e.textContent.startsWith('+1617'))");
        Assert.Equal(10, await admin.Locator("[data-testid=number-status]", new() { HasText = "Available" }).CountAsync());
        await Shot(admin, "admin-05-pool-bought");

        // A new business registers and picks one of them in the wizard.
        const string business = "Back Bay Physio";
        await owner.GotoAsync("/Account/Register");
        await owner.FillAsync("#name", "Morgan Owner");
        var ownerEmail = $"owner-{Guid.NewGuid():N}@e2e.example";
        await owner.FillAsync("#email", ownerEmail);
        await owner.FillAsync("#password", "E2e!Passw0rd");
        await owner.ClickAsync("button[type=submit]");
        // Registration answers "check your email" whether or not the address is taken (no account enumeration); the new owner may sign in at once.
        await owner.Locator("[data-testid=register-confirmation]").WaitForAsync();
        await owner.GotoAsync("/Account/Login");
        await owner.FillAsync("#email", ownerEmail);
        await owner.FillAsync("#password", "E2e!Passw0rd");
        await owner.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(owner, new Regex("/onboarding$"));
        await Interactive(owner);
        await owner.FillAsync("#business-name", business);
        await owner.FillAsync("#business-address", "1 Boylston Street, Boston, MA 02116");
        await owner.Locator("[data-testid=template-services]").WaitForAsync();
        await owner.ClickAsync("[data-testid=wizard-next]");
        await owner.Locator("#area-code").WaitForAsync();
        await owner.FillAsync("#area-code", AreaCode);
        await owner.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=pool-number]').length > 0 && [...document.querySelectorAll('[data-testid=pool-number]')].every(e => e.textContent.includes('(617)'))");
        await owner.Locator("[data-testid=pick-number]").First.ClickAsync();
        var held = await owner.Locator("[data-testid=held-number]").InnerTextAsync();
        var picked = E164Of(held);
        await Shot(owner, "admin-06-owner-picks-617");
        await owner.ClickAsync("[data-testid=wizard-next]");
        await owner.Locator("#agent-name").WaitForAsync();
        await owner.ClickAsync("[data-testid=wizard-next]");
        await owner.Locator("[data-testid=wizard-finish]").WaitForAsync();
        await owner.ClickAsync("[data-testid=wizard-finish]");
        await owner.Locator("[data-testid=agent-live]").WaitForAsync();

        // The admin sees the number assigned to the new business.
        await admin.GotoAsync("/admin/numbers");
        await Interactive(admin);
        await admin.FillAsync(Input("filter-digits"), picked[2..]);
        var row = admin.Locator("tr", new() { Has = admin.Locator("[data-testid=number-e164]", new() { HasText = picked }) });
        await row.Locator("[data-testid=number-status]", new() { HasText = "Assigned" }).WaitForAsync();
        Assert.Contains(business, await row.Locator("[data-testid=number-tenant]").InnerTextAsync(), StringComparison.Ordinal);
        await Shot(admin, "admin-07-pool-assigned");

        // A call to the new number (as the voice webhook would record it) feeds the agents page and its chart.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            // Test setup across tenants: the new business is looked up by name.
            var tenant = await db.Tenants.IgnoreQueryFilters().SingleAsync(t => t.Name == business);
            var agentId = await db.AgentPersonas.IgnoreQueryFilters().Where(a => a.TenantId == tenant.Id).Select(a => a.Id).SingleAsync();
            var now = DateTimeOffset.UtcNow;
            db.Conversations.Add(new Conversation
            {
                TenantId = tenant.Id, AgentPersonaId = agentId, Channel = Channel.Voice, StartedAt = now.AddMinutes(-3), EndedAt = now,
                DurationSeconds = 180, Outcome = ConversationOutcome.Booked, CallStatus = "completed", ToNumber = picked, FromNumber = "+16175550999",
            });
            await db.SaveChangesAsync();
        }

        await admin.GotoAsync("/admin/agents");
        await Interactive(admin);
        await admin.Locator("#volume-chart .main-svg").First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = BrowserFixture.WaitTimeoutMs });
        var agentRow = admin.Locator("tr", new() { Has = admin.Locator("[data-testid=agent-tenant]", new() { HasText = business }) });
        Assert.Contains("1 / 1", await agentRow.Locator("[data-testid=agent-calls]").InnerTextAsync(), StringComparison.Ordinal);

        // The other admin pages render for people.
        foreach (var (path, name) in new[] { ("/admin/tenants", "admin-08-tenants"), ("/admin/agents", "admin-09-agents"), ("/admin/outbox", "admin-10-outbox"), ("/admin/health", "admin-11-health"), ("/admin/audit", "admin-12-audit") })
        {
            await admin.GotoAsync(path);
            await Interactive(admin);
            await admin.Locator("[data-testid=loading]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
            await Shot(admin, name);
        }

        // The tenants list shows the new business with its number; the outbox holds its "number is live" email.
        await admin.GotoAsync("/admin/tenants");
        await Interactive(admin);
        var tenantRow = admin.Locator("tr", new() { Has = admin.Locator("[data-testid=tenant-name]", new() { HasText = business }) });
        Assert.Contains(picked, await tenantRow.Locator("[data-testid=tenant-numbers]").InnerTextAsync(), StringComparison.Ordinal);
        await admin.GotoAsync("/admin/outbox");
        await Interactive(admin);
        await admin.Locator("[data-testid=outbox-subject]", new() { HasText = "(617)" }).First.WaitForAsync();
    }

    private async Task<Guid> LatestBatchAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.NumberPurchaseBatches.OrderByDescending(b => b.CreatedAt).Select(b => b.Id).FirstAsync();
    }

    /// <summary>"Held for you: (617) 555-0100 (Boston, MA)" → "+16175550100".</summary>
    private static string E164Of(string text)
    {
        var m = HeldNumber().Match(text);
        Assert.True(m.Success, text);
        return $"+1{m.Groups[1].Value}{m.Groups[2].Value}{m.Groups[3].Value}";
    }

    private static async Task UntilVisibleAsync(Func<Task> act, ILocator expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            await act();
            try
            {
                await expected.First.WaitForAsync(new() { Timeout = 5_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>The text input of a MudTextField carrying <paramref name="testId"/> (MudBlazor puts user attributes on the input or its wrapper).</summary>
    private static string Input(string testId) => $"input[data-testid={testId}], [data-testid={testId}] input";

    private static Task Interactive(IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });

    [GeneratedRegex(@"\((\d{3})\) (\d{3})-(\d{4})")]
    private static partial Regex HeldNumber();
}
