using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Domain.Billing;
using Portal.Domain.Data;

namespace Portal.Billing;

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
    public async Task<BillAmounts> BillSoFarAsync(BillingAccount account, Domain.Entities.Plan plan, CancellationToken cancellationToken)
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
