using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Billing;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Affiliates;

namespace Portal.IntegrationTests.PublicSite;

/// <summary>The commission ledger: the math against an independent calculation, and invoice.paid / refund webhooks from the fake Stripe.</summary>
public sealed class CommissionLedgerTests(PublicSiteFactory app) : IClassFixture<PublicSiteFactory>
{
    [Fact]
    public void Math_MatchesAnIndependentDecimalCalculation()
    {
        var random = new Random(20261207);
        for (var i = 0; i < 2_000; i++)
        {
            long paid = random.Next(0, 5_000_000);
            var expected = (long)Math.Round(paid * 0.20m, MidpointRounding.AwayFromZero);
            Assert.Equal(expected, CommissionMath.CommissionCents(paid));
            long refunded = random.Next(1, (int)paid + 2);
            var expectedReversal = refunded >= paid ? expected : Math.Min(expected, (long)Math.Round(expected * (decimal)refunded / paid, MidpointRounding.AwayFromZero));
            Assert.Equal(expectedReversal, CommissionMath.ReversalCents(expected, paid, refunded));
        }

        Assert.False(CommissionMath.CanPayOut(4_999));
        Assert.True(CommissionMath.CanPayOut(5_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => CommissionMath.CommissionCents(-1));
    }

    [Fact]
    public async Task InvoicePaid_OfReferredBusiness_EarnsTwentyPercentPending_ApprovedAfter30Days_RefundReverses()
    {
        var affiliate = await app.CreateAffiliateAsync($"ledger-{Guid.NewGuid():N}@affiliates.example");
        var tenant = await app.CreateTenantAsync("Referred Dental");
        var ownerId = await app.DbAsync(db => db.Users.Where(u => u.Email == tenant.Email).Select(u => u.Id).SingleAsync());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var touch = new AttributionTouch(affiliate.Code, app.Clock.GetUtcNow(), "podcast", null, null);
            Assert.NotNull(await scope.ServiceProvider.GetRequiredService<AffiliateTracking>().AttributeSignUpAsync(touch, ownerId, tenant.Email, CancellationToken.None));
        }

        var customer = await SubscribeAsync(tenant);
        long[] invoices = [30_000, 12_345, 99_999];
        var ids = new List<string>();
        foreach (var amount in invoices)
        {
            ids.Add((string)(await app.Stripe.PayInvoiceAsync(customer, amount))["id"]!);
        }

        Assert.All(app.Stripe.Webhooks.Responses, status => Assert.Equal(200, status));
        var lines = await app.DbAsync(db => db.AffiliateCommissions.Where(c => c.AffiliateId == affiliate.Id).OrderBy(c => c.AmountPaidCents).ToListAsync());
        Assert.Equal(invoices.Order(), lines.Select(l => l.AmountPaidCents));
        Assert.Equal(invoices.Order().Select(a => (long)Math.Round(a * 0.2m, MidpointRounding.AwayFromZero)), lines.Select(l => l.CommissionCents));
        Assert.All(lines, l => Assert.Equal(CommissionStatus.Pending, l.Status));

        // A redelivered invoice.paid earns nothing twice (the payment id is unique in the ledger).
        await app.Stripe.Webhooks.SendAsync("invoice.paid", new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = ids[0], ["object"] = "invoice", ["customer"] = customer, ["status"] = "paid", ["amount_paid"] = 30_000, ["amount_due"] = 30_000,
            ["currency"] = "usd", ["created"] = app.Clock.GetUtcNow().ToUnixTimeSeconds(), ["livemode"] = false, ["metadata"] = new System.Text.Json.Nodes.JsonObject(),
        });
        Assert.Equal(3, await app.DbAsync(db => db.AffiliateCommissions.CountAsync(c => c.AffiliateId == affiliate.Id)));

        // Refund: the full refund of the 12,345-cent invoice reverses its 2,469-cent commission.
        await app.Stripe.RefundInvoiceAsync(ids[1], 12_345);
        var refunded = await app.DbAsync(db => db.AffiliateCommissions.SingleAsync(c => c.PaymentId == ids[1]));
        Assert.Equal(CommissionStatus.Reversed, refunded.Status);
        Assert.Equal(refunded.CommissionCents, refunded.ReversedCents);

        // 30 days later the job approves what is left; the approved balance ($6,000 + $19,999.80 → 26,000 cents) can be paid out.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
            var later = new FakeTimeProvider(app.Clock.GetUtcNow().AddDays(31));
            var ledger = new AffiliateLedger(factory, later);
            Assert.Equal(2, await ledger.ApproveDueAsync(CancellationToken.None));
            var summary = await ledger.SummaryAsync(affiliate.Id, CancellationToken.None);
            Assert.Equal(6_000 + 20_000, summary.ApprovedCents);
            Assert.Equal(0, summary.PendingCents);
            Assert.Contains(affiliate.Code, await ledger.PayoutsDueCsvAsync(CancellationToken.None), StringComparison.Ordinal);
            var payout = await ledger.RecordPayoutAsync(affiliate.Id, "PAYPAL-123", CancellationToken.None);
            Assert.Equal(26_000, payout.AmountCents);
            await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.RecordPayoutAsync(affiliate.Id, "again", CancellationToken.None));
        }
    }

    [Fact]
    public async Task RejectedConversion_EarnsNothingMore()
    {
        var affiliate = await app.CreateAffiliateAsync($"reject-{Guid.NewGuid():N}@affiliates.example");
        var tenant = await app.CreateTenantAsync("Rejected Dental");
        var ownerId = await app.DbAsync(db => db.Users.Where(u => u.Email == tenant.Email).Select(u => u.Id).SingleAsync());
        await using var scope = app.Services.CreateAsyncScope();
        var referral = await scope.ServiceProvider.GetRequiredService<AffiliateTracking>()
            .AttributeSignUpAsync(new AttributionTouch(affiliate.Code, app.Clock.GetUtcNow(), null, null, null), ownerId, tenant.Email, CancellationToken.None);
        var customer = await SubscribeAsync(tenant);
        await app.Stripe.PayInvoiceAsync(customer, 10_000);
        await scope.ServiceProvider.GetRequiredService<AffiliateLedger>().RejectReferralAsync(referral!.Id, "Cookie stuffing", CancellationToken.None);
        await app.Stripe.PayInvoiceAsync(customer, 10_000);
        var lines = await app.DbAsync(db => db.AffiliateCommissions.Where(c => c.AffiliateId == affiliate.Id).ToListAsync());
        var line = Assert.Single(lines);
        Assert.Equal(CommissionStatus.Rejected, line.Status);
    }

    [Fact]
    public async Task InvoicePaid_WithACardOfTheAffiliatesOwnBusiness_IsFlaggedSelfReferral_AndEarnsNothing()
    {
        // The affiliate also owns a business on Portal, subscribed with their card.
        var own = await app.CreateTenantAsync("Affiliate's Own Salon");
        var affiliate = await AffiliateForOwnerAsync(own);
        var ownCustomer = await SubscribeAsync(own);
        app.Stripe.AttachCard(ownCustomer, "fp_affiliates_card", "1111");

        // Two businesses sign up through the link: one pays with the affiliate's card, the other with its own.
        var (selfPaid, selfReferral) = await ReferredAsync(affiliate, "Self Paid Barbers");
        app.Stripe.AttachCard(selfPaid, "fp_affiliates_card", "1111");
        var (honest, honestReferral) = await ReferredAsync(affiliate, "Honest Florist");
        app.Stripe.AttachCard(honest, "fp_florists_card", "2222");

        await app.Stripe.PayInvoiceAsync(selfPaid, 20_000);
        await app.Stripe.PayInvoiceAsync(honest, 20_000);
        await app.Stripe.PayInvoiceAsync(selfPaid, 20_000); // later months stay uncommissioned

        Assert.All(app.Stripe.Webhooks.Responses, status => Assert.Equal(200, status));
        var referrals = await app.DbAsync(db => db.AffiliateReferrals.Where(r => r.AffiliateId == affiliate.Id).ToDictionaryAsync(r => r.Id));
        Assert.Equal(SelfReferral.SamePaymentFingerprint, referrals[selfReferral].Flag);
        // (Test owners share the test.example domain, so the honest one keeps only the weaker domain flag.)
        Assert.NotEqual(SelfReferral.SamePaymentFingerprint, referrals[honestReferral].Flag);
        var lines = await app.DbAsync(db => db.AffiliateCommissions.Where(c => c.AffiliateId == affiliate.Id).ToListAsync());
        var line = Assert.Single(lines);
        Assert.Equal(honestReferral, line.ReferralId);
        Assert.Equal(4_000, line.CommissionCents);
    }

    private async Task<Affiliate> AffiliateForOwnerAsync(Portal.IntegrationTests.Infrastructure.TestTenant tenant)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var ownerId = await app.DbAsync(db => db.Users.Where(u => u.Email == tenant.Email).Select(u => u.Id).SingleAsync());
        var applications = scope.ServiceProvider.GetRequiredService<AffiliateApplications>();
        var applied = await applications.ApplyAsync(ownerId, "Salon owner", tenant.Email, "I recommend tools to other salons", PayoutMethod.PayPal, tenant.Email, CancellationToken.None);
        await applications.DecideAsync(applied.Id, true, app.Clock.GetUtcNow(), CancellationToken.None);
        return (await applications.ForUserAsync(ownerId, CancellationToken.None))!;
    }

    private async Task<(string Customer, Guid ReferralId)> ReferredAsync(Affiliate affiliate, string name)
    {
        var tenant = await app.CreateTenantAsync(name);
        var ownerId = await app.DbAsync(db => db.Users.Where(u => u.Email == tenant.Email).Select(u => u.Id).SingleAsync());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var touch = new AttributionTouch(affiliate.Code, app.Clock.GetUtcNow(), null, null, null);
            var referral = await scope.ServiceProvider.GetRequiredService<AffiliateTracking>().AttributeSignUpAsync(touch, ownerId, tenant.Email, CancellationToken.None);
            Assert.NotNull(referral);
            return (await SubscribeAsync(tenant), referral.Id);
        }
    }

    private async Task<string> SubscribeAsync(Portal.IntegrationTests.Infrastructure.TestTenant tenant)
    {
        var url = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<BillingService>()
            .StartCheckoutAsync(Plan.Growth, "http://portal.test/billing?checkout=success", "http://portal.test/billing", CancellationToken.None));
        await app.Stripe.CompleteCheckoutAsync(new Uri(url!).Segments[^1]);
        return await app.DbAsync(db => db.BillingAccounts.IgnoreQueryFilters().Where(a => a.TenantId == tenant.TenantId).Select(a => a.StripeCustomerId!).SingleAsync());
    }
}
