using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Billing.Stripe;

/// <summary>
/// The nightly check that Stripe's meter holds what Portal reported: for each business with a Stripe customer it
/// compares the tenths of its reported usage in the window with the meter event summary
/// (https://docs.stripe.com/api/billing/meter-event-summary/list) and stores a <see cref="BillingDriftFinding"/> for each
/// difference (one open per business and window), then emails the admins the new ones. The local side is what the
/// meter reporter sends: reported tenths less the free trial's shares (<see cref="BillingAccounts.TrialSharesAsync"/>).
/// </summary>
public sealed class BillingReconciler(
    IDbContextFactory<PortalDbContext> contextFactory, StripeGateway stripe, BillingAccounts accounts, BillingNotices notices, TimeProvider timeProvider,
    ILogger<BillingReconciler> logger)
{
    /// <summary>Compares [<paramref name="start"/>, <paramref name="end"/>) for every business (whole minutes, UTC).</summary>
    /// <returns>The new findings.</returns>
    public async Task<IReadOnlyList<BillingDriftFinding>> ReconcileAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        if (!stripe.IsConfigured || string.IsNullOrWhiteSpace(stripe.Options.MeterId))
        {
            return [];
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Platform job over every business.
        var customers = await db.BillingAccounts.IgnoreQueryFilters().AsNoTracking().Where(a => a.StripeCustomerId != null)
            .Select(a => new { a.TenantId, Customer = a.StripeCustomerId!, a.TrialMinutes }).ToListAsync(cancellationToken);
        var local = await db.UsageRecords.IgnoreQueryFilters().Where(u => u.MeterReportedAt != null && u.StartedAt >= start && u.StartedAt < end)
            .GroupBy(u => u.TenantId).Select(g => new { TenantId = g.Key, Tenths = g.Sum(u => (long)u.BillableTenths) })
            .ToDictionaryAsync(x => x.TenantId, x => x.Tenths, cancellationToken);
        var found = new List<BillingDriftFinding>();
        foreach (var account in customers)
        {
            var remote = await stripe.MeterTotalAsync(account.Customer, start, end, cancellationToken);
            var mine = local.GetValueOrDefault(account.TenantId) - await TrialReportedAsync(db, account.TenantId, account.TrialMinutes, start, end, cancellationToken);
            if (remote == mine)
            {
                continue;
            }

            var open = await db.BillingDriftFindings.AnyAsync(f => f.TenantId == account.TenantId && f.PeriodStart == start && f.ResolvedAt == null, cancellationToken);
            if (open)
            {
                continue;
            }

            var finding = new BillingDriftFinding
            {
                TenantId = account.TenantId, PeriodStart = start, PeriodEnd = end, LocalTenths = mine, StripeTenths = remote, FoundAt = timeProvider.GetUtcNow(),
            };
            db.BillingDriftFindings.Add(finding);
            found.Add(finding);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (found.Count > 0)
        {
            var body = new StringBuilder();
            body.Append(CultureInfo.InvariantCulture, $"Billing reconciliation for {start:yyyy-MM-dd HH:mm} to {end:yyyy-MM-dd HH:mm} UTC found {found.Count} difference(s) between Portal's usage and Stripe's meter:\n\n");
            foreach (var f in found)
            {
                body.Append(CultureInfo.InvariantCulture, $"- business {f.TenantId}: Portal {f.LocalTenths / 10m:0.0} min, Stripe {f.StripeTenths / 10m:0.0} min\n");
            }

            body.Append("\nOpen Platform › Billing in Portal to review them.");
            await notices.EmailAdminsAsync($"Billing drift: {found.Count} business(es)", body.ToString(), BillingOutboxCategories.Drift, cancellationToken);
            logger.LogWarning("Billing reconciliation found {Count} drift(s)", found.Count);
        }

        return found;
    }

    /// <summary>Tenths of the reported records in [start, end) that the free trial paid for (never sent to Stripe).</summary>
    private async Task<long> TrialReportedAsync(PortalDbContext db, Guid tenantId, int trialMinutes, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        if (trialMinutes <= 0)
        {
            return 0;
        }

        var shares = (await accounts.TrialSharesAsync(tenantId, trialMinutes, cancellationToken)).Where(s => s.StartedAt >= start && s.StartedAt < end).ToList();
        var ids = shares.Select(s => s.UsageId).ToList();
        // Platform job about one named business.
        var reported = await db.UsageRecords.IgnoreQueryFilters().Where(u => ids.Contains(u.Id) && u.MeterReportedAt != null).Select(u => u.Id).ToListAsync(cancellationToken);
        return shares.Where(s => reported.Contains(s.UsageId)).Sum(s => (long)s.Tenths);
    }

    /// <summary>The nightly window: the current calendar month (UTC) up to the start of this minute.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) NightlyWindow()
    {
        var now = timeProvider.GetUtcNow();
        var end = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var start = BillingMath.CalendarMonth(now).Start;
        return (start, end > start ? end : start.AddMinutes(1));
    }
}
