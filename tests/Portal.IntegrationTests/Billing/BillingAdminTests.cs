using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Billing;
using Portal.Billing.Jobs;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Numbers;
using Portal.Domain.Seeding;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Billing;

/// <summary>
/// The platform admin's billing: revenue, minutes and gross margin per minute per business and plan, failed payments,
/// an audited manual credit, and lifting a business's call limits (audited), against the fake Stripe.
/// </summary>
public sealed class BillingAdminTests(StripeBillingFactory app) : IClassFixture<StripeBillingFactory>
{
    /// <summary>Runs <paramref name="action"/> as the platform admin, as an admin page's circuit would.</summary>
    private async Task<T> AsAdminAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var user = await sp.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(DemoSeeder.AdminEmail) ?? throw new InvalidOperationException("no admin");
        var principal = await sp.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>().CreateAsync(user);
        ((IHostEnvironmentAuthenticationStateProvider)sp.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return await action(sp);
    }

    private async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    private async Task<List<AuditEntry>> AuditAsync(Guid tenantId) =>
        await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().AuditEntries.Where(e => e.TargetId == tenantId.ToString()).ToListAsync());

    [Fact]
    public async Task Overview_RevenueMinutesAndMarginPerMinute_FromCostComponents_ThenAnAuditedCredit_AndBadCreditsChangeNothing()
    {
        var tenant = await app.CreateTenantAsync("Margin Dental");
        var now = DateTimeOffset.UtcNow;
        var month = BillingMath.CalendarMonth(now).Start;
        var at = now.AddMinutes(-30) > month ? now.AddMinutes(-30) : month.AddSeconds(1);
        // 120 s + 60 s = 30 tenths = 3 minutes at 20 ¢ (pay-as-you-go, no trial in this factory) = 60 ¢.
        await BillingTestData.AddEndedCallsAsync(app, tenant, [(at, 120), (at.AddSeconds(1), 60)]);
        await RunAsync(sp => sp.GetRequiredService<RecordUsageJob>().RunAsync(CancellationToken.None));

        var overview = await AsAdminAsync(sp => sp.GetRequiredService<BillingAdministration>().OverviewAsync(CancellationToken.None));
        var row = Assert.Single(overview.Businesses, b => b.TenantId == tenant.TenantId);
        Assert.Equal(Plan.PayAsYouGo, row.Plan);
        Assert.Equal(30, row.Tenths);
        Assert.Equal(60, row.RevenueCents);
        // Cost components at the default unit prices for 180 s: speech-to-text 7,700 µ$/min → 23,100; text-to-speech
        // 12,000 → 36,000; telephony 14,000 → 42,000; no model tokens. 101,100 µ$.
        Assert.Equal(101_100, row.CostMicros);
        // (600,000 µ$ revenue − 101,100 µ$ cost) ÷ 3 minutes.
        Assert.Equal(166_300, row.MarginMicrosPerMinute);
        var plan = Assert.Single(overview.Plans, p => p.Plan == Plan.PayAsYouGo);
        Assert.Equal(overview.Businesses.Where(b => b.Plan == Plan.PayAsYouGo).Sum(b => b.Tenths), plan.Tenths);
        Assert.Equal(overview.Businesses.Where(b => b.Plan == Plan.PayAsYouGo).Sum(b => b.RevenueCents), plan.RevenueCents);
        Assert.True(overview.MrrCents >= row.RevenueCents);

        // Bad credits are refused and change nothing.
        await Assert.ThrowsAsync<ArgumentException>(() => AsAdminAsync(sp => sp.GetRequiredService<BillingAdministration>().GrantCreditAsync(tenant.TenantId, 0, "goodwill", CancellationToken.None)));
        await Assert.ThrowsAsync<ArgumentException>(() => AsAdminAsync(sp => sp.GetRequiredService<BillingAdministration>().GrantCreditAsync(tenant.TenantId, 25, " x ", CancellationToken.None)));
        await Assert.ThrowsAsync<ArgumentException>(() => AsAdminAsync(sp => sp.GetRequiredService<BillingAdministration>().GrantCreditAsync(Guid.NewGuid(), 25, "goodwill", CancellationToken.None)));
        Assert.Equal(0, await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().BillingCredits.IgnoreQueryFilters().CountAsync(c => c.TenantId == tenant.TenantId)));
        Assert.Empty(await AuditAsync(tenant.TenantId));
        // Nobody signed in: no credit either.
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => RunAsync(sp => sp.GetRequiredService<BillingAdministration>().GrantCreditAsync(tenant.TenantId, 25, "goodwill", CancellationToken.None)));

        await AsAdminAsync(sp => sp.GetRequiredService<BillingAdministration>().GrantCreditAsync(tenant.TenantId, 25, "Dropped call on the 3rd", CancellationToken.None));
        var audit = Assert.Single(await AuditAsync(tenant.TenantId));
        Assert.Equal(BillingAdministration.CreditAction, audit.Action);
        Assert.Equal(DemoSeeder.AdminEmail, audit.ActorEmail, ignoreCase: true);
        var credited = Assert.Single((await AsAdminAsync(sp => sp.GetRequiredService<BillingAdministration>().OverviewAsync(CancellationToken.None))).Businesses,
            b => b.TenantId == tenant.TenantId);
        Assert.Equal(35, credited.RevenueCents);

        // The owner sees the credit on their bill.
        var owner = await app.SignInAsync(tenant.Email, tenant.Password);
        Assert.Contains("after $0.25 credit", WebUtility.HtmlDecode(await owner.GetStringAsync("/billing")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedPayment_ShowsOnTheAdminPage_AndTheOwnerIsEmailed()
    {
        var tenant = await app.CreateTenantAsync("Declined Dental");
        var url = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<BillingService>()
            .StartCheckoutAsync(Plan.Growth, "http://portal.test/billing?checkout=success", "http://portal.test/billing", CancellationToken.None));
        await app.Stripe.CompleteCheckoutAsync(new Uri(url!).Segments[^1]);
        var customer = (await BillingTestData.AccountAsync(app, tenant.TenantId))!.StripeCustomerId!;

        var invoice = await app.Stripe.FailPaymentAsync(customer, 31_234);

        var overview = await AsAdminAsync(sp => sp.GetRequiredService<BillingAdministration>().OverviewAsync(CancellationToken.None));
        var failed = Assert.Single(overview.FailedPayments, f => f.TenantId == tenant.TenantId);
        Assert.Equal((string)invoice["id"]!, failed.InvoiceId);
        Assert.Equal(31_234, failed.AmountDueCents);
        Assert.Equal("Declined Dental", failed.Business);
        Assert.True(Assert.Single(overview.Businesses, b => b.TenantId == tenant.TenantId).PastDue);
        var mail = await RunAsync(sp => sp.GetRequiredService<PortalDbContext>().OutboxMessages
            .Where(m => m.TenantId == tenant.TenantId && m.Category == BillingOutboxCategories.PaymentFailed).ToListAsync());
        Assert.Contains(mail, m => m.To == tenant.Email && m.Body.Contains("$312.34", StringComparison.Ordinal));

        // Within the grace period the owner is warned on the dashboard before calls are limited.
        var owner = await app.SignInAsync(tenant.Email, tenant.Password);
        var dashboard = WebUtility.HtmlDecode(await owner.GetStringAsync("/"));
        Assert.Contains("billing-warning-banner", dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("billing-limit-banner", dashboard, StringComparison.Ordinal);

        var admin = await app.SignInAsync(DemoSeeder.AdminEmail, DemoSeeder.DemoPassword);
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/billing"));
        Assert.Contains((string)invoice["id"]!, page, StringComparison.Ordinal);
        Assert.Contains("$312.34", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.GetAsync("/admin/billing")).StatusCode);
    }

    [Fact]
    public async Task PastDueBeyondTheGracePeriod_NextCallHearsTheMessageAndIsForwarded_UntilTheInvoiceIsPaid()
    {
        var tenant = await app.CreateTenantAsync("Past Due Dental");
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        var url = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<BillingService>()
            .StartCheckoutAsync(Plan.Growth, "http://portal.test/billing?checkout=success", "http://portal.test/billing", CancellationToken.None));
        await app.Stripe.CompleteCheckoutAsync(new Uri(url!).Segments[^1]);
        var customer = (await BillingTestData.AccountAsync(app, tenant.TenantId))!.StripeCustomerId!;
        await app.InTenantAsync(tenant.TenantId, async sp => { await sp.GetRequiredService<BillingService>().SetLimitActionAsync(Portal.Data.Entities.LimitAction.Forward, CancellationToken.None); return 0; });
        var client = app.CreateClient();

        // A renewal payment failed 8 days ago (the grace period is 7 days); Stripe's event of that day arrives now.
        var failedAt = DateTimeOffset.UtcNow.AddDays(-8);
        var invoice = new JsonObject
        {
            ["id"] = "in_late_" + Guid.NewGuid().ToString("N")[..10], ["object"] = "invoice", ["customer"] = customer, ["status"] = "open", ["created"] = failedAt.ToUnixTimeSeconds(),
            ["amount_due"] = 30_000, ["amount_paid"] = 0, ["currency"] = "usd", ["livemode"] = false, ["metadata"] = new JsonObject(),
        };
        Assert.Equal(200, (await app.Stripe.Webhooks.SendAsync("invoice.payment_failed", invoice, failedAt)).Status);

        var forwarded = XDocument.Parse(await (await BillingTestData.PlaceCallAsync(client, StripeBillingFactory.AuthToken, number)).Content.ReadAsStringAsync());
        Assert.Equal(CallLimits.ForwardMessage, forwarded.Root!.Element("Say")!.Value);
        Assert.Equal("+12125550188", forwarded.Root.Element("Dial")!.Value.Trim());
        Assert.Null(forwarded.Root.Element("Connect"));
        var owner = await app.SignInAsync(tenant.Email, tenant.Password);
        Assert.Contains("billing-limit-banner", await owner.GetStringAsync("/"), StringComparison.Ordinal);

        // The owner pays: the limit ends with the invoice.paid event.
        var paid = (JsonObject)invoice.DeepClone();
        paid["status"] = "paid";
        paid["amount_paid"] = 30_000;
        Assert.Equal(200, (await app.Stripe.Webhooks.SendAsync("invoice.paid", paid)).Status);
        var answered = XDocument.Parse(await (await BillingTestData.PlaceCallAsync(client, StripeBillingFactory.AuthToken, number)).Content.ReadAsStringAsync());
        Assert.NotNull(answered.Root!.Element("Connect"));
    }

    [Fact]
    public async Task AdminLift_OfACappedBusiness_LetsTheNextCallReachTheAgent_AndIsAudited()
    {
        var tenant = await app.CreateTenantAsync("Lifted Dental");
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        await app.InTenantAsync(tenant.TenantId, async sp => { await sp.GetRequiredService<BillingService>().SetSpendingCapAsync(100, CancellationToken.None); return 0; });
        // 6 minutes at 20 ¢ = $1.20: over the $1 cap.
        var month = BillingMath.CalendarMonth(DateTimeOffset.UtcNow).Start;
        var at = DateTimeOffset.UtcNow.AddMinutes(-20) > month ? DateTimeOffset.UtcNow.AddMinutes(-20) : month.AddSeconds(1);
        await BillingTestData.AddEndedCallsAsync(app, tenant, [(at, 360)]);
        await RunAsync(sp => sp.GetRequiredService<RecordUsageJob>().RunAsync(CancellationToken.None));
        var client = app.CreateClient();
        var limited = XDocument.Parse(await (await BillingTestData.PlaceCallAsync(client, StripeBillingFactory.AuthToken, number)).Content.ReadAsStringAsync());
        Assert.Equal(CallLimits.VoicemailMessage, limited.Root!.Element("Say")!.Value);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => AsAdminAsync(async sp => { await sp.GetRequiredService<BillingAdministration>().LiftLimitAsync(tenant.TenantId, 0, CancellationToken.None); return 0; }));
        Assert.Null((await BillingTestData.AccountAsync(app, tenant.TenantId))!.LimitLiftedUntil);

        await AsAdminAsync(async sp => { await sp.GetRequiredService<BillingAdministration>().LiftLimitAsync(tenant.TenantId, 7, CancellationToken.None); return 0; });
        var lifted = XDocument.Parse(await (await BillingTestData.PlaceCallAsync(client, StripeBillingFactory.AuthToken, number)).Content.ReadAsStringAsync());
        Assert.NotNull(lifted.Root!.Element("Connect"));
        Assert.Null(lifted.Root.Element("Record"));
        var audit = Assert.Single(await AuditAsync(tenant.TenantId));
        Assert.Equal(BillingAdministration.LiftAction, audit.Action);
        var until = (await BillingTestData.AccountAsync(app, tenant.TenantId))!.LimitLiftedUntil!.Value;
        Assert.InRange(until, DateTimeOffset.UtcNow.AddDays(6.9), DateTimeOffset.UtcNow.AddDays(7.1));
    }
}
