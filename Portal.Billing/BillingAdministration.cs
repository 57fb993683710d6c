using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Audit;

namespace Portal.Billing;

/// <summary>One business on the admin billing page (this calendar month, UTC).</summary>
public sealed record BusinessBillingRow(
    Guid TenantId, string Name, Plan Plan, string? SubscriptionStatus, long Tenths, long RevenueCents, long CostMicros, long MarginMicrosPerMinute,
    bool PastDue, LimitReason Limit, DateTimeOffset? LimitLiftedUntil);

/// <summary>Totals of one plan.</summary>
public sealed record PlanBillingRow(Plan Plan, int Businesses, long Tenths, long RevenueCents, long CostMicros);

/// <summary>A failed payment.</summary>
public sealed record FailedPaymentRow(Guid TenantId, string Business, string InvoiceId, long AmountDueCents, DateTimeOffset CreatedAt);

/// <summary>The platform admin's billing view.</summary>
/// <param name="MrrCents">Monthly recurring revenue: each business's projected bill for this month (commitments plus metered usage).</param>
/// <param name="Businesses">Per business.</param>
/// <param name="Plans">Per plan.</param>
/// <param name="FailedPayments">Unpaid invoices whose payment failed.</param>
/// <param name="Drift">Open reconciliation findings.</param>
public sealed record PlatformBillingOverview(long MrrCents, IReadOnlyList<BusinessBillingRow> Businesses, IReadOnlyList<PlanBillingRow> Plans,
    IReadOnlyList<FailedPaymentRow> FailedPayments, IReadOnlyList<BillingDriftFinding> Drift);

/// <summary>
/// Platform-admin billing: revenue, minutes and gross margin per business and plan (margin per minute = (revenue − cost
/// components) / minutes), failed payments, drift, and the audited actions: a manual credit and lifting
/// a business's call limits. Cross-tenant on purpose (admin pages); callers are authorised by the page's policy.
/// </summary>
public sealed class BillingAdministration(
    IDbContextFactory<PortalDbContext> contextFactory, BillingAccounts accounts, CallLimits limits, AuditLog audit, TimeProvider timeProvider)
{
    /// <summary>Audit action of a manual credit.</summary>
    public const string CreditAction = "billing.credit";

    /// <summary>Audit action of lifting limits.</summary>
    public const string LiftAction = "billing.lift-limit";

    /// <summary>The overview for this calendar month (UTC).</summary>
    public async Task<PlatformBillingOverview> OverviewAsync(CancellationToken cancellationToken)
    {
        var (start, end) = BillingMath.CalendarMonth(timeProvider.GetUtcNow());
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Admin view across every business.
        var tenants = await db.Tenants.IgnoreQueryFilters().AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name, t.Plan }).ToListAsync(cancellationToken);
        var usage = await db.UsageRecords.IgnoreQueryFilters().Where(u => u.StartedAt >= start && u.StartedAt < end).GroupBy(u => u.TenantId)
            .Select(g => new
            {
                TenantId = g.Key,
                Tenths = g.Sum(u => (long)u.BillableTenths),
                Cost = g.Sum(u => u.SttCostMicros + u.TtsCostMicros + u.ModelCostMicros + u.TelephonyCostMicros),
            })
            .ToDictionaryAsync(x => x.TenantId, cancellationToken);
        var rows = new List<BusinessBillingRow>();
        long mrr = 0;
        foreach (var t in tenants)
        {
            var account = await accounts.GetOrOpenAsync(t.Id, cancellationToken);
            var bill = await accounts.BillSoFarAsync(account, t.Plan, cancellationToken);
            var (limit, _, _) = await limits.ReasonAsync(t.Id, cancellationToken);
            var u = usage.GetValueOrDefault(t.Id);
            var tenths = u?.Tenths ?? 0;
            var cost = u?.Cost ?? 0;
            var revenueMicros = bill.TotalCents * 10_000L;
            rows.Add(new BusinessBillingRow(t.Id, t.Name, t.Plan, account.SubscriptionStatus, tenths, bill.TotalCents, cost,
                tenths == 0 ? 0 : (revenueMicros - cost) * 10 / tenths, account.PastDueSince is not null, limit, account.LimitLiftedUntil));
            mrr += BillingMath.Project(bill.MinimumCents + bill.OverageCents - bill.CreditCents, start, end, timeProvider.GetUtcNow()) is var p && p > 0 ? p : 0;
        }

        var plans = rows.GroupBy(r => r.Plan).OrderBy(g => g.Key)
            .Select(g => new PlanBillingRow(g.Key, g.Count(), g.Sum(r => r.Tenths), g.Sum(r => r.RevenueCents), g.Sum(r => r.CostMicros))).ToList();
        var names = tenants.ToDictionary(t => t.Id, t => t.Name);
        var failed = await db.BillingInvoices.IgnoreQueryFilters().AsNoTracking().Where(i => i.PaymentFailed).OrderByDescending(i => i.StripeCreatedAt).Take(100)
            .Select(i => new { i.TenantId, i.StripeInvoiceId, i.AmountDueCents, i.StripeCreatedAt }).ToListAsync(cancellationToken);
        var drift = await db.BillingDriftFindings.AsNoTracking().Where(f => f.ResolvedAt == null).OrderByDescending(f => f.FoundAt).Take(100).ToListAsync(cancellationToken);
        return new PlatformBillingOverview(mrr, rows, plans,
            failed.Select(f => new FailedPaymentRow(f.TenantId, names.GetValueOrDefault(f.TenantId, "?"), f.StripeInvoiceId, f.AmountDueCents, f.StripeCreatedAt)).ToList(), drift);
    }

    /// <summary>Grants a manual credit, audited (the credit and its audit entry commit together).</summary>
    /// <param name="tenantId">The business.</param>
    /// <param name="amountCents">1 to <see cref="BillingCredit.MaxCents"/>.</param>
    /// <param name="reason">Why, 3–<see cref="BillingCredit.ReasonMaxLength"/> characters.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">Bad amount or reason, or no such business; nothing changes.</exception>
    /// <exception cref="UnauthorizedAccessException">Nobody signed in.</exception>
    public async Task<BillingCredit> GrantCreditAsync(Guid tenantId, int amountCents, string reason, CancellationToken cancellationToken)
    {
        if (amountCents is < 1 or > BillingCredit.MaxCents)
        {
            throw new ArgumentException($"The credit must be between 1 and {BillingCredit.MaxCents} cents.", nameof(amountCents));
        }

        reason = (reason ?? "").Trim();
        if (reason.Length is < 3 or > BillingCredit.ReasonMaxLength)
        {
            throw new ArgumentException($"Give a reason of 3 to {BillingCredit.ReasonMaxLength} characters.", nameof(reason));
        }

        var actor = await audit.RequireActorAsync(cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Tenants.IgnoreQueryFilters().AnyAsync(t => t.Id == tenantId, cancellationToken))
        {
            throw new ArgumentException("No such business.", nameof(tenantId));
        }

        var credit = new BillingCredit { TenantId = tenantId, AmountCents = amountCents, Reason = reason, GrantedBy = actor.Email };
        db.BillingCredits.Add(credit);
        audit.Stage(db, actor, CreditAction, "tenant", tenantId.ToString(), tenantId, new { amountCents, reason });
        await db.SaveChangesAsync(cancellationToken);
        return credit;
    }

    /// <summary>Lifts a business's call limits for <paramref name="days"/> days (1–31), audited.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Bad number of days; nothing changes.</exception>
    public async Task LiftLimitAsync(Guid tenantId, int days, CancellationToken cancellationToken)
    {
        if (days is < 1 or > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, "Lift for 1 to 31 days.");
        }

        var actor = await audit.RequireActorAsync(cancellationToken);
        var until = timeProvider.GetUtcNow().AddDays(days);
        await accounts.GetOrOpenAsync(tenantId, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.BillingAccounts.IgnoreQueryFilters().FirstAsync(a => a.TenantId == tenantId, cancellationToken);
        account.LimitLiftedUntil = until;
        audit.Stage(db, actor, LiftAction, "tenant", tenantId.ToString(), tenantId, new { until });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Marks a drift finding resolved.</summary>
    public async Task ResolveDriftAsync(Guid findingId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.BillingDriftFindings.Where(f => f.Id == findingId && f.ResolvedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.ResolvedAt, timeProvider.GetUtcNow()), cancellationToken);
    }
}
