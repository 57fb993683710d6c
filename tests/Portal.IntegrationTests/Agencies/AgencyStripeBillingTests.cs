using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Billing;
using Portal.Billing.Agencies;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Agencies;

namespace Portal.IntegrationTests.Agencies;

/// <summary>
/// The agency as Portal's Stripe customer, against the fake Stripe: one customer and one subscription per agency whose
/// tier quantities follow its active clients (create, re-tier, suspend, reactivate), overage minutes beyond each tier's
/// included minutes sent once to the tier's meter (identifiers make a lost answer harmless), the billing view's total,
/// and an agency's client that cannot subscribe to Portal itself.
/// </summary>
public sealed class AgencyStripeBillingTests(AgencyStripeFactory app) : IClassFixture<AgencyStripeFactory>
{
    [Fact]
    public async Task Subscription_QuantityPerTier_FollowsActiveClients_AndARepeatChangesNothing()
    {
        var agency = await app.CreateAgencyAsync("Quantity Agency");
        var (one, _) = await app.CreateClientAsync(agency, "Quantity One");
        var (two, _) = await app.CreateClientAsync(agency, "Quantity Two");
        var customer = await CustomerOfAsync(agency);
        Assert.Equal(new Dictionary<string, long?> { ["Starter"] = 2, ["Growth"] = 0, ["Enterprise"] = 0 }, Quantities(customer));

        await AsOwner(agency, c => c.SetPriceAsync(two, new ClientPrice(ResellerTier.Growth, 30_000, 2_000, 15), CancellationToken.None));
        Assert.Equal(new Dictionary<string, long?> { ["Starter"] = 1, ["Growth"] = 1, ["Enterprise"] = 0 }, Quantities(customer));

        await AsOwner(agency, c => c.SetSuspendedAsync(one, true, CancellationToken.None));
        Assert.Equal(new Dictionary<string, long?> { ["Starter"] = 0, ["Growth"] = 1, ["Enterprise"] = 0 }, Quantities(customer));

        await AsOwner(agency, c => c.SetSuspendedAsync(one, false, CancellationToken.None));
        Assert.Equal(new Dictionary<string, long?> { ["Starter"] = 1, ["Growth"] = 1, ["Enterprise"] = 0 }, Quantities(customer));

        // Every tier's metered overage price is on the subscription too, without a quantity.
        var items = app.Stripe.SubscriptionOf(customer)!["items"]!["data"]!.AsArray();
        foreach (var tier in new[] { "Starter", "Growth", "Enterprise" })
        {
            var metered = Assert.Single(items, i => (string?)i!["price"]!["id"] == AgencyStripeFactory.OveragePrice(tier));
            Assert.Null(metered!["quantity"]);
        }

        // Idempotent: syncing again (the job, or a retry) changes nothing at Stripe (no update, so no subscription event)
        // and makes no second customer or subscription.
        var events = app.Stripe.Webhooks.Responses.Count;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var subscriptions = scope.ServiceProvider.GetRequiredService<AgencySubscriptions>();
            Assert.False(await subscriptions.SyncAsync(agency.AgencyId, CancellationToken.None));
            Assert.Equal(0, await subscriptions.SyncAllAsync(CancellationToken.None));
        }

        Assert.Equal(events, app.Stripe.Webhooks.Responses.Count);
        Assert.Single(app.Stripe.Customers, c => (string?)c["metadata"]!["agency_id"] == agency.AgencyId.ToString());
        Assert.Equal(new Dictionary<string, long?> { ["Starter"] = 1, ["Growth"] = 1, ["Enterprise"] = 0 }, Quantities(customer));
        Assert.All(app.Stripe.Webhooks.Responses, status => Assert.Equal(200, status));
    }

    [Fact]
    public async Task Overage_MinutesBeyondTheTiersIncludedMinutes_AreMeteredOncePerTier_ThroughALostAnswer()
    {
        var agency = await app.CreateAgencyAsync("Overage Agency");
        var (starter, _) = await app.CreateClientAsync(agency, "Overage Starter");
        var (growth, _) = await app.CreateClientAsync(agency, "Overage Growth");
        // The agency's own price for the client (2 included minutes) does not change what Portal charges: the tier's does.
        await AsOwner(agency, c => c.SetPriceAsync(starter, new ClientPrice(ResellerTier.Starter, 20_000, 2, 50), CancellationToken.None));
        await AsOwner(agency, c => c.SetPriceAsync(growth, new ClientPrice(ResellerTier.Growth, 40_000, 100, 50), CancellationToken.None));
        var customer = await CustomerOfAsync(agency);

        // Starter: 30,000 s (500 min) + 61 s (2) + 119 s (2) = 504 min → 4 beyond 500. Growth: 90,000 s (1,500) + 1 s (1) = 1,501 → 1 beyond 1,500.
        // A test-console call of 10,000 s counts for nobody.
        await AddCallsAsync(starter, 30_000, 61, 119);
        await AddCallsAsync(growth, 90_000, 1);
        await AddCallsAsync(growth, isTest: true, 10_000);

        var first = await ReportAsync();
        Assert.Equal((2, 2, 0), (first.Queued, first.Sent, first.Failed));
        Assert.Equal(4, Metered(customer, "portal_agency_overage_starter"));
        Assert.Equal(1, Metered(customer, "portal_agency_overage_growth"));
        Assert.Equal(0, Metered(customer, "portal_agency_overage_enterprise"));

        // Nothing new: nothing sent.
        var before = app.Stripe.MeterEventRequests;
        var again = await ReportAsync();
        Assert.Equal((0, 0, 0), (again.Queued, again.Sent, again.Failed));
        Assert.Equal(before, app.Stripe.MeterEventRequests);

        // Two more minutes: only the growth is sent (4 → 6).
        await AddCallsAsync(starter, 120);
        var more = await ReportAsync();
        Assert.Equal((1, 1), (more.Queued, more.Sent));
        Assert.Equal(6, Metered(customer, "portal_agency_overage_starter"));

        // One more minute whose answer is lost after Stripe stored it: the event stays unsent, the next run resends the
        // same identifier, and Stripe counts it once.
        await AddCallsAsync(starter, 60);
        var month = new DateTimeOffset(DateTimeOffset.UtcNow.Year, DateTimeOffset.UtcNow.Month, 1, 0, 0, 0, TimeSpan.Zero);
        app.Stripe.FailMeterEventsAfterStoring([AgencyMeterReporter.Identifier(starter, month, 7)]);
        var lost = await ReportAsync();
        Assert.Equal((1, 0, 1), (lost.Queued, lost.Sent, lost.Failed));
        app.Stripe.StopFailing();
        var resent = await ReportAsync();
        Assert.Equal((0, 1, 0), (resent.Queued, resent.Sent, resent.Failed));
        Assert.Equal(7, Metered(customer, "portal_agency_overage_starter"));
        Assert.Single(app.Stripe.MeterEvents, e => e.Identifier == AgencyMeterReporter.Identifier(starter, month, 7));

        // The billing page's figures, computed here from the price list: one Starter and one Growth client at
        // $99 + $199, 7 minutes at $0.12 and 1 at $0.10.
        var overview = await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyBillingView>().OverviewAsync(CancellationToken.None));
        Assert.True(overview.Charged);
        Assert.Equal("active", overview.SubscriptionStatus);
        Assert.Equal(9_900 + 19_900 + (7 * 12) + (1 * 10), overview.TotalCents);
        Assert.Equal((1, 7L), (overview.Tiers.Single(t => t.Tier == ResellerTier.Starter).ActiveClients, overview.Tiers.Single(t => t.Tier == ResellerTier.Starter).OverageMinutes));

        await app.Stripe.PayInvoiceAsync(customer, 29_800);
        var withInvoice = await app.AsOwnerAsync(agency, sp => sp.GetRequiredService<AgencyBillingView>().OverviewAsync(CancellationToken.None));
        var invoice = Assert.Single(withInvoice.Invoices);
        Assert.Equal((29_800L, "paid"), (invoice.AmountDueCents, invoice.Status));
    }

    [Fact]
    public async Task AgencyClient_CannotSubscribeToPortal_AndItsBillingPageNamesTheAgency()
    {
        var agency = await app.CreateAgencyAsync("Provider Agency");
        var (client, ownerEmail) = await app.CreateClientAsync(agency, "Provided Client");
        // Its owner has finished onboarding (the billing page is not behind the wizard).
        await app.InTenantAsync(client, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Tenants.ExecuteUpdateAsync(t => t.SetProperty(x => x.Status, TenantStatus.Active).SetProperty(x => x.OnboardingStep, 4));
        });
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.InTenantAsync(client, sp => sp.GetRequiredService<BillingService>()
            .StartCheckoutAsync(Plan.Growth, "http://localhost/ok", "http://localhost/no", CancellationToken.None)));
        Assert.Contains("provider", refused.Message, StringComparison.Ordinal);

        using var owner = await app.SignInAsync(ownerEmail, AgencyAppFactory.Password);
        var checkout = await owner.GetAsync("/billing/checkout/Growth");
        Assert.Equal(HttpStatusCode.BadRequest, checkout.StatusCode);
        Assert.Contains("billing-by-agency", await owner.GetStringAsync("/billing"), StringComparison.Ordinal);
        Assert.DoesNotContain(app.Stripe.Customers, c => (string?)c["metadata"]!["tenant_id"] == client.ToString());
    }

    private Task AsOwner(TestAgency agency, Func<AgencyClients, Task> act) =>
        app.AsOwnerAsync(agency, async sp => { await act(sp.GetRequiredService<AgencyClients>()); return 0; });

    private async Task<string> CustomerOfAsync(TestAgency agency)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var row = await db.Agencies.SingleAsync(a => a.Id == agency.AgencyId);
        Assert.NotNull(row.StripeSubscriptionId);
        Assert.Equal(row.StripeSubscriptionId, (string?)app.Stripe.SubscriptionOf(row.StripeCustomerId!)!["id"]);
        return row.StripeCustomerId!;
    }

    private Dictionary<string, long?> Quantities(string customer)
    {
        var items = app.Stripe.SubscriptionOf(customer)!["items"]!["data"]!.AsArray();
        return new[] { "Starter", "Growth", "Enterprise" }.ToDictionary(t => t, t =>
            items.FirstOrDefault(i => (string?)i!["price"]!["id"] == AgencyStripeFactory.TierPrice(t))?["quantity"]?.GetValue<long>());
    }

    private long Metered(string customer, string eventName) =>
        app.Stripe.MeterEvents.Where(e => e.Customer == customer && e.EventName == eventName).Sum(e => e.Value);

    private async Task<AgencyMeterResult> ReportAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AgencyMeterReporter>().ReportAsync(CancellationToken.None);
    }

    private Task AddCallsAsync(Guid tenantId, params int[] seconds) => AddCallsAsync(tenantId, false, seconds);

    private Task AddCallsAsync(Guid tenantId, bool isTest, params int[] seconds) =>
        app.InTenantAsync(tenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var agent = await db.AgentPersonas.SingleAsync();
            var now = DateTimeOffset.UtcNow;
            foreach (var s in seconds)
            {
                db.Conversations.Add(new Conversation
                {
                    TenantId = tenantId, AgentPersonaId = agent.Id, Channel = isTest ? Channel.Test : Channel.Voice, IsTest = isTest,
                    StartedAt = now, EndedAt = now.AddSeconds(s), DurationSeconds = isTest ? null : s, CallSid = isTest ? null : "CA" + Guid.NewGuid().ToString("N"),
                });
            }

            return await db.SaveChangesAsync();
        });
}
