using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Billing;

/// <summary>The part of one usage record the free trial pays for.</summary>
/// <param name="UsageId">The usage record.</param>
/// <param name="StartedAt">When its call started (UTC).</param>
/// <param name="Tenths">Tenths of a minute the trial covers (1 to the record's billable tenths).</param>
public sealed record TrialShare(Guid UsageId, DateTimeOffset StartedAt, int Tenths);

/// <summary>
/// The one home of <see cref="BillingAccount"/> rows: opened on first use with the configured trial minutes, and the
/// usage sums every billing view shares (period used tenths, lifetime tenths before a date, credits).
/// Cross-tenant on purpose (callers pass the tenant id): the voice webhook, jobs and admin pages use it.
/// </summary>
public sealed class BillingAccounts(IDbContextFactory<PortalDbContext> contextFactory, IOptions<BillingOptions> options, TimeProvider timeProvider)
{
    /// <summary>The business's account, opened now (with <see cref="BillingOptions.TrialMinutes"/>) when it has none.</summary>
    /// <param name="tenantId">The business.</param>
    /// <param name="cancellationToken">Cancels the read/write.</param>
    /// <returns>A detached copy.</returns>
    public async Task<BillingAccount> GetOrOpenAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Platform work about one named business: its billing row, whatever tenant (if any) is current.
        var existing = await db.BillingAccounts.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var account = new BillingAccount { TenantId = tenantId, TrialMinutes = options.Value.TrialMinutes };
        db.BillingAccounts.Add(account);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return account;
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            await using var again = await contextFactory.CreateDbContextAsync(cancellationToken);
            return await again.BillingAccounts.IgnoreQueryFilters().AsNoTracking().FirstAsync(a => a.TenantId == tenantId, cancellationToken);
        }
    }

    /// <summary>The account's current period: Stripe's when known and holding now, else the calendar month (UTC).</summary>
    public (DateTimeOffset Start, DateTimeOffset End) PeriodOf(BillingAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var now = timeProvider.GetUtcNow();
        return account.CurrentPeriodStart is { } s && account.CurrentPeriodEnd is { } e && s <= now && now < e ? (s, e) : BillingMath.CalendarMonth(now);
    }

    /// <summary>The bill so far for the account's current period (trial and credits applied).</summary>
    /// <param name="account">The account.</param>
    /// <param name="plan">The business's plan.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<BillAmounts> BillSoFarAsync(BillingAccount account, Portal.Data.Entities.Plan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var (start, end) = PeriodOf(account);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var usage = db.UsageRecords.IgnoreQueryFilters().Where(u => u.TenantId == account.TenantId);
        var used = await usage.Where(u => u.StartedAt >= start && u.StartedAt < end).SumAsync(u => (long)u.BillableTenths, cancellationToken);
        var before = await usage.Where(u => u.StartedAt < start).SumAsync(u => (long)u.BillableTenths, cancellationToken);
        var credits = await db.BillingCredits.IgnoreQueryFilters().Where(c => c.TenantId == account.TenantId && c.CreatedAt >= start && c.CreatedAt < end)
            .SumAsync(c => (long)c.AmountCents, cancellationToken);
        return BillingMath.Bill(plan, used, (account.TrialMinutes * 10L) - before, credits);
    }

    /// <summary>
    /// How the business's free trial falls on its calls: chronologically (by start, then id) until it is used up, the
    /// rule <see cref="BillSoFarAsync"/> applies per period (the trial left at a period's start pays the period's first
    /// tenths). The meter reporter sends Stripe only the rest of each call, and the reconciler expects only that rest.
    /// </summary>
    /// <param name="tenantId">The business.</param>
    /// <param name="trialMinutes">Its trial (<see cref="BillingAccount.TrialMinutes"/>).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The records the trial covers, wholly or partly; empty without a trial.</returns>
    public async Task<IReadOnlyList<TrialShare>> TrialSharesAsync(Guid tenantId, int trialMinutes, CancellationToken cancellationToken)
    {
        const int Page = 200;
        var left = trialMinutes * 10L;
        var shares = new List<TrialShare>();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        for (var skip = 0; left > 0; skip += Page)
        {
            // Platform work about one named business (the reporter and the reconciler run with no tenant current).
            var page = await db.UsageRecords.IgnoreQueryFilters().AsNoTracking()
                .Where(u => u.TenantId == tenantId && u.BillableTenths > 0)
                .OrderBy(u => u.StartedAt).ThenBy(u => u.Id).Skip(skip).Take(Page)
                .Select(u => new { u.Id, u.StartedAt, u.BillableTenths }).ToListAsync(cancellationToken);
            foreach (var u in page.TakeWhile(_ => left > 0))
            {
                var share = (int)Math.Min(left, u.BillableTenths);
                shares.Add(new TrialShare(u.Id, u.StartedAt, share));
                left -= share;
            }

            if (page.Count < Page)
            {
                break;
            }
        }

        return shares;
    }

    /// <summary>Applies <paramref name="change"/> to the business's account (opened first when missing) and saves.</summary>
    /// <returns>The saved copy.</returns>
    public async Task<BillingAccount> UpdateAsync(Guid tenantId, Action<BillingAccount> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await GetOrOpenAsync(tenantId, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.BillingAccounts.IgnoreQueryFilters().FirstAsync(a => a.TenantId == tenantId, cancellationToken);
        change(account);
        await db.SaveChangesAsync(cancellationToken);
        return account;
    }
}
