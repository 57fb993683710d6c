using Microsoft.EntityFrameworkCore;
using Portal.Billing.Stripe;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Agencies;

namespace Portal.Billing.Agencies;

/// <summary>One reseller tier of the agency's month (cents, whole minutes).</summary>
/// <param name="Tier">The tier.</param>
/// <param name="ActiveClients">Active clients on it: the subscription item's quantity.</param>
/// <param name="UnitCents">Price per client per month.</param>
/// <param name="OverageMinutes">Minutes beyond each client's included minutes, summed over the tier's clients.</param>
/// <param name="OverageCentsPerMinute">The tier's overage price.</param>
public sealed record AgencyTierLine(ResellerTier Tier, int ActiveClients, long UnitCents, long OverageMinutes, int OverageCentsPerMinute)
{
    /// <summary>Clients × unit price, cents.</summary>
    public long BaseCents => ActiveClients * UnitCents;

    /// <summary>Overage minutes × the tier's price, cents.</summary>
    public long OverageCents => OverageMinutes * OverageCentsPerMinute;
}

/// <summary>One of the agency's Stripe invoices.</summary>
/// <param name="Number">Invoice number or null (draft).</param>
/// <param name="Status">Stripe status (draft, open, paid, void, uncollectible).</param>
/// <param name="AmountDueCents">Amount due, cents.</param>
/// <param name="HostedUrl">Stripe's hosted invoice page (where the agency pays).</param>
/// <param name="PdfUrl">PDF link.</param>
/// <param name="CreatedAt">Created (UTC).</param>
public sealed record AgencyInvoice(string? Number, string Status, long AmountDueCents, string? HostedUrl, string? PdfUrl, DateTimeOffset CreatedAt);

/// <summary>The agency's wholesale bill as its owners see it.</summary>
/// <param name="Month">Start of the UTC month.</param>
/// <param name="StripeConfigured">Portal charges agencies at all (Stripe and every tier's prices configured).</param>
/// <param name="Charged">Portal charges the agency through Stripe (configured and a subscription exists).</param>
/// <param name="SubscriptionId">Stripe subscription id or null.</param>
/// <param name="SubscriptionStatus">Its Stripe status, or null when not charged or not reachable.</param>
/// <param name="Tiers">Every tier, cheapest first.</param>
/// <param name="Invoices">Latest invoices, newest first.</param>
/// <param name="StripeError">Why Stripe's side could not be read, or null.</param>
public sealed record AgencyBillingOverview(DateTimeOffset Month, bool StripeConfigured, bool Charged, string? SubscriptionId, string? SubscriptionStatus,
    IReadOnlyList<AgencyTierLine> Tiers, IReadOnlyList<AgencyInvoice> Invoices, string? StripeError)
{
    /// <summary>This month's wholesale charge so far: clients' fees plus overage, cents.</summary>
    public long TotalCents => Tiers.Sum(t => t.BaseCents + t.OverageCents);
}

/// <summary>
/// The agency billing page's figures: the subscription's quantities per tier (active clients), this month's overage
/// per tier counted as the meter reporter counts it, the Stripe subscription's status and the agency's invoices.
/// Owners only.
/// </summary>
public sealed class AgencyBillingView(IDbContextFactory<PortalDbContext> contextFactory, AgencyAccess access, AgencySubscriptions subscriptions, StripeGateway stripe, TimeProvider clock)
{
    /// <summary>The month so far.</summary>
    /// <exception cref="UnauthorizedAccessException">Not an owner of an active agency.</exception>
    public async Task<AgencyBillingOverview> OverviewAsync(CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Owner, cancellationToken);
        var now = clock.GetUtcNow();
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var counts = await subscriptions.ActiveClientsAsync(membership.AgencyId, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var agency = await db.Agencies.AsNoTracking().FirstAsync(a => a.Id == membership.AgencyId, cancellationToken);
        // The agency's own clients across the tenant filter.
        var clients = await (from t in db.Tenants.IgnoreQueryFilters().AsNoTracking()
                             join p in db.AgencyClientPlans.IgnoreQueryFilters().AsNoTracking() on t.Id equals p.TenantId into plans
                             from p in plans.DefaultIfEmpty()
                             where t.AgencyId == membership.AgencyId
                             select new { t.Id, Tier = p == null ? ResellerTier.Starter : p.Tier }).ToListAsync(cancellationToken);
        var minutes = await AgencyUsage.CallMinutesAsync(db, clients.Select(c => c.Id).ToList(), month, cancellationToken);
        var tiers = ResellerPricing.All.Select(t => new AgencyTierLine(t.Tier, counts[t.Tier], t.MonthlyFeeCents,
            clients.Where(c => c.Tier == t.Tier).Sum(c => Math.Max(0, minutes.GetValueOrDefault(c.Id).Minutes - t.IncludedMinutes)), t.OverageCentsPerMinute)).ToList();
        var charged = subscriptions.IsConfigured && agency.StripeSubscriptionId is not null;
        if (!charged)
        {
            return new AgencyBillingOverview(month, subscriptions.IsConfigured, false, null, null, tiers, [], null);
        }

        try
        {
            var subscription = await stripe.GetSubscriptionAsync(agency.StripeSubscriptionId!, cancellationToken);
            var invoices = await stripe.ListInvoicesAsync(agency.StripeCustomerId!, 12, cancellationToken);
            return new AgencyBillingOverview(month, true, true, subscription.Id, subscription.Status, tiers,
                invoices.Select(i => new AgencyInvoice(i.Number, i.Status ?? "draft", i.AmountDue, i.HostedInvoiceUrl, i.InvoicePdf,
                    new DateTimeOffset(DateTime.SpecifyKind(i.Created, DateTimeKind.Utc)))).ToList(), null);
        }
        catch (Exception ex) when (ex is global::Stripe.StripeException or HttpRequestException)
        {
            return new AgencyBillingOverview(month, true, true, agency.StripeSubscriptionId, null, tiers, [], "Stripe could not be reached; the figures below are Portal's own count.");
        }
    }
}
