using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Affiliates;

namespace Portal.Billing.Stripe;

/// <summary>
/// The payment-fingerprint self-referral check of the affiliate programme: when a referred business pays, the cards saved
/// on its Stripe customer are compared with the cards saved on the Stripe customers of the affiliate's own businesses
/// (<see cref="StripeGateway.CardFingerprintsAsync"/>). One shared card fingerprint means the affiliate is paying for their
/// own referral: the referral is flagged <see cref="SelfReferral.SamePaymentFingerprint"/> for the admin and earns no
/// commission (the same user is never attributed at all; a shared email domain is only flagged).
/// </summary>
public sealed class SelfReferralGuard(StripeGateway stripe, ILogger<SelfReferralGuard> logger)
{
    /// <summary>
    /// Checks the live referral of <paramref name="tenantId"/> (if any) and flags it when the payer's cards overlap the
    /// affiliate's. Runs inside the webhook's transaction on <paramref name="db"/>; the flag is saved with it.
    /// </summary>
    /// <param name="db">The webhook's context.</param>
    /// <param name="tenantId">The business whose invoice was paid.</param>
    /// <param name="payerCustomerId">The paying Stripe customer (<c>cus_…</c>), or null.</param>
    /// <param name="cancellationToken">Cancels the reads and Stripe calls.</param>
    /// <returns>True when the payment must earn no commission (flagged now or before).</returns>
    /// <exception cref="global::Stripe.StripeException">Stripe could not list the cards: the webhook fails and Stripe redelivers it.</exception>
    public async Task<bool> IsSelfReferralAsync(PortalDbContext db, Guid tenantId, string? payerCustomerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var referral = await AffiliateLedger.ActiveReferralForTenantAsync(db, tenantId, cancellationToken);
        if (referral is null)
        {
            return false;
        }

        if (referral.Flag == SelfReferral.SamePaymentFingerprint)
        {
            return true;
        }

        if (payerCustomerId is null || !stripe.IsConfigured)
        {
            return false;
        }

        // Webhooks are platform work: the affiliate's own businesses are found across tenants.
        var affiliateUserId = await db.Affiliates.Where(a => a.Id == referral.AffiliateId).Select(a => a.UserId).FirstAsync(cancellationToken);
        var affiliateTenants = db.Users.IgnoreQueryFilters().Where(u => u.Id == affiliateUserId).Select(u => u.TenantId);
        var affiliateCustomers = await db.BillingAccounts.IgnoreQueryFilters()
            .Where(b => affiliateTenants.Contains(b.TenantId) && b.StripeCustomerId != null && b.StripeCustomerId != payerCustomerId)
            .Select(b => b.StripeCustomerId!).Distinct().ToListAsync(cancellationToken);
        if (affiliateCustomers.Count == 0)
        {
            return false;
        }

        var payerCards = await stripe.CardFingerprintsAsync(payerCustomerId, cancellationToken);
        if (payerCards.Count == 0)
        {
            return false;
        }

        foreach (var customer in affiliateCustomers)
        {
            var shared = (await stripe.CardFingerprintsAsync(customer, cancellationToken)).Overlaps(payerCards);
            if (shared)
            {
                referral.Flag = SelfReferral.SamePaymentFingerprint;
                logger.LogWarning("Affiliate referral {ReferralId} flagged: the referred business pays with a card of the affiliate's own business", referral.Id);
                return true;
            }
        }

        return false;
    }
}
