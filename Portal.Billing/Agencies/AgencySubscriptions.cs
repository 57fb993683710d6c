using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Billing.Stripe;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Agencies;

namespace Portal.Billing.Agencies;

/// <summary>
/// The agency as Portal's Stripe customer (ADR-021): one customer per agency and one invoiced subscription whose items
/// are the reseller tiers' licensed prices, quantity = the agency's active (not suspended) clients on each tier, plus
/// each tier's metered overage price (<see cref="AgencyMeterReporter"/>). <see cref="ClientsChangedAsync"/> runs right
/// after a client changes; <see cref="SyncAllAsync"/> runs with the billing job and repairs whatever a Stripe outage left
/// behind. Quantities are always sent as absolute values computed from the database, so a repeat changes nothing.
/// Nothing happens while Stripe or the tier prices are not configured (the figures are then shown, not charged).
/// </summary>
public sealed class AgencySubscriptions(IDbContextFactory<PortalDbContext> contextFactory, StripeGateway stripe, ILogger<AgencySubscriptions> logger) : IAgencyBillingSync
{
    /// <summary>Whether agencies are charged: Stripe configured with a licensed and a metered price for every tier.</summary>
    public bool IsConfigured => stripe.IsConfigured && ResellerPricing.All.All(t =>
        stripe.Options.Agency.TierPrices.ContainsKey(t.Tier.ToString()) && stripe.Options.Agency.OveragePrices.ContainsKey(t.Tier.ToString()));

    /// <inheritdoc />
    public async Task ClientsChangedAsync(Guid agencyId, CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync(agencyId, cancellationToken);
        }
        catch (Exception ex) when (ex is global::Stripe.StripeException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The client change stands; the billing job brings the subscription in step on its next run.
            logger.LogWarning(ex, "Agency {AgencyId}: the wholesale subscription could not be updated now", agencyId);
        }
    }

    /// <summary>Active clients per tier of <paramref name="agencyId"/> (every tier present, 0 when none).</summary>
    public async Task<IReadOnlyDictionary<ResellerTier, int>> ActiveClientsAsync(Guid agencyId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Agency billing: the agency's clients across the tenant filter, narrowed to this agency.
        var tiers = await (from t in db.Tenants.IgnoreQueryFilters().AsNoTracking()
                           join p in db.AgencyClientPlans.IgnoreQueryFilters().AsNoTracking() on t.Id equals p.TenantId into plans
                           from p in plans.DefaultIfEmpty()
                           where t.AgencyId == agencyId && t.Status != TenantStatus.Suspended
                           select p == null ? ResellerTier.Starter : p.Tier).ToListAsync(cancellationToken);
        return ResellerPricing.All.ToDictionary(t => t.Tier, t => tiers.Count(x => x == t.Tier));
    }

    /// <summary>
    /// Creates the agency's customer and subscription when it has its first active client, else sets each tier's
    /// quantity. Throws Stripe's errors (<see cref="ClientsChangedAsync"/> and the job catch them).
    /// </summary>
    /// <returns>Whether Stripe was asked to change anything.</returns>
    public async Task<bool> SyncAsync(Guid agencyId, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return false;
        }

        var counts = await ActiveClientsAsync(agencyId, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var agency = await db.Agencies.FirstOrDefaultAsync(a => a.Id == agencyId, cancellationToken);
        if (agency is null || (agency.StripeSubscriptionId is null && counts.Values.Sum() == 0))
        {
            return false;
        }

        var prices = stripe.Options.Agency;
        var wanted = ResellerPricing.All.SelectMany(t => new[]
        {
            new SubscriptionItemWant(prices.TierPrices[t.Tier.ToString()], counts[t.Tier]),
            new SubscriptionItemWant(prices.OveragePrices[t.Tier.ToString()], null),
        }).ToList();
        if (agency.StripeCustomerId is null)
        {
            var email = await (from m in db.AgencyMembers join u in db.Users on m.UserId equals u.Id
                               where m.AgencyId == agencyId && m.Role == AgencyRole.Owner orderby m.CreatedAt select u.Email).FirstOrDefaultAsync(cancellationToken);
            agency.StripeCustomerId = await stripe.CreateAgencyCustomerAsync(agencyId, agency.Name, email, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        if (agency.StripeSubscriptionId is null)
        {
            agency.StripeSubscriptionId = await stripe.CreateAgencySubscriptionAsync(agencyId, agency.StripeCustomerId, wanted, prices.DaysUntilDue, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Agency {AgencyId}: wholesale subscription {SubscriptionId} created", agencyId, agency.StripeSubscriptionId);
            return true;
        }

        return await stripe.SetSubscriptionItemsAsync(agency.StripeSubscriptionId, wanted, cancellationToken);
    }

    /// <summary>Syncs every active agency that has clients or a subscription; failures are logged per agency.</summary>
    /// <returns>How many agencies' subscriptions changed.</returns>
    public async Task<int> SyncAllAsync(CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return 0;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Platform job over every agency.
        var ids = await db.Agencies.AsNoTracking()
            .Where(a => a.Status == AgencyStatus.Active && (a.StripeSubscriptionId != null || db.Tenants.IgnoreQueryFilters().Any(t => t.AgencyId == a.Id)))
            .Select(a => a.Id).ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var id in ids)
        {
            try
            {
                changed += await SyncAsync(id, cancellationToken) ? 1 : 0;
            }
            catch (Exception ex) when (ex is global::Stripe.StripeException or HttpRequestException)
            {
                logger.LogWarning(ex, "Agency {AgencyId}: the wholesale subscription could not be updated", id);
            }
        }

        return changed;
    }
}
