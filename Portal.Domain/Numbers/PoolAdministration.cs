using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Data;
using Portal.Domain.Entities;

namespace Portal.Domain.Numbers;

/// <summary>Outcome of an admin action on a number or tenant.</summary>
public enum AdminActionResult
{
    /// <summary>Done and audited.</summary>
    Done,
    /// <summary>No such row.</summary>
    NotFound,
    /// <summary>The row is not in a state the action applies to (nothing changed, nothing audited).</summary>
    NotApplicable,
}

/// <summary>Filters for the admin number list; every one optional. <see cref="Digits"/> matches anywhere in the E.164 digits.</summary>
public sealed record NumberPoolQuery(PhoneNumberStatus? Status = null, string? AreaCode = null, string? Region = null, string? Digits = null, string? TenantName = null);

/// <summary>One number as the admin list shows it.</summary>
public sealed record NumberPoolRow(Guid Id, string E164, PhoneNumberStatus Status, string AreaCode, string Region, string Locality,
    Guid? TenantId, string? TenantName, Guid? AgentPersonaId, DateTimeOffset? AssignedAt, long MonthlyCostCents);

/// <summary>One page of results and the total count over all pages.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total);

/// <summary>
/// The platform-admin side of the number pool: a paged, filtered list over every number and the
/// suspend / reactivate / release actions. Each action is one conditional UPDATE on the row's
/// current status plus its audit entry, committed in one transaction, so a racing change makes the
/// action a no-op instead of overwriting it. Callers must be platform admins.
/// </summary>
public sealed class PoolAdministration(IDbContextFactory<PortalDbContext> contextFactory, AuditLog auditLog, TimeProvider timeProvider)
{
    /// <summary>Largest page size <see cref="SearchAsync"/> serves.</summary>
    public const int MaxPageSize = 100;

    /// <summary>
    /// One page (<paramref name="pageIndex"/> from 0) of numbers matching <paramref name="query"/>, in E.164 order
    /// (the unique e164 index), with the total from a separate COUNT. Offset paging: the pool is thousands of rows, not millions.
    /// </summary>
    public async Task<Paged<NumberPoolRow>> SearchAsync(NumberPoolQuery query, int pageIndex, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        pageIndex = Math.Max(0, pageIndex);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var total = await Filter(db, query).CountAsync(cancellationToken);
        var items = await PageQuery(db, query, pageIndex, pageSize).ToListAsync(cancellationToken);
        return new Paged<NumberPoolRow>(items, total);
    }

    /// <summary>
    /// The query behind one page: filters, ORDER BY e164 (served by the unique e164 index), OFFSET/LIMIT.
    /// Public so tests can EXPLAIN the exact SQL and prove the indexes are usable.
    /// </summary>
    public static IQueryable<NumberPoolRow> PageQuery(PortalDbContext db, NumberPoolQuery query, int pageIndex, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        pageIndex = Math.Max(0, pageIndex);
        // Tenant names cross tenants: the admin list deliberately ignores the tenant filter.
        var tenants = db.Tenants.IgnoreQueryFilters();
        return Filter(db, query).OrderBy(p => p.E164).Skip(pageIndex * pageSize).Take(pageSize)
            .Select(p => new NumberPoolRow(p.Id, p.E164, p.Status, p.AreaCode, p.Region, p.Locality, p.TenantId,
                tenants.Where(t => t.Id == p.TenantId).Select(t => t.Name).FirstOrDefault(), p.AgentPersonaId, p.AssignedAt, p.MonthlyCostCents));
    }

    /// <summary>Distinct regions in the pool, for the filter.</summary>
    public async Task<IReadOnlyList<string>> RegionsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.PhoneNumbers.Select(p => p.Region).Distinct().OrderBy(r => r).ToListAsync(cancellationToken);
    }

    /// <summary>Assigned or Available → Suspended (calls to it are no longer routed).</summary>
    public Task<AdminActionResult> SuspendAsync(Guid numberId, CancellationToken cancellationToken) =>
        ActAsync(numberId, AuditActions.NumberSuspend, p => p.Status == PhoneNumberStatus.Assigned || p.Status == PhoneNumberStatus.Available,
            (q, now) => q.ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PhoneNumberStatus.Suspended).SetProperty(p => p.UpdatedAt, now), cancellationToken),
            cancellationToken);

    /// <summary>Suspended → Assigned when it still has an agent, else Available (and then held by no tenant).</summary>
    public Task<AdminActionResult> ReactivateAsync(Guid numberId, CancellationToken cancellationToken) =>
        ActAsync(numberId, AuditActions.NumberReactivate, p => p.Status == PhoneNumberStatus.Suspended,
            (q, now) => q.ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, p => p.AgentPersonaId != null ? PhoneNumberStatus.Assigned : PhoneNumberStatus.Available)
                .SetProperty(p => p.TenantId, p => p.AgentPersonaId != null ? p.TenantId : null)
                .SetProperty(p => p.UpdatedAt, now), cancellationToken),
            cancellationToken);

    /// <summary>Reserved, Assigned or Suspended → Available, clearing tenant, agent, reservation and assignment date.</summary>
    public Task<AdminActionResult> ReleaseAsync(Guid numberId, CancellationToken cancellationToken) =>
        ActAsync(numberId, AuditActions.NumberRelease,
            p => p.Status == PhoneNumberStatus.Assigned || p.Status == PhoneNumberStatus.Suspended || p.Status == PhoneNumberStatus.Reserved,
            (q, now) => q.ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, PhoneNumberStatus.Available)
                .SetProperty(p => p.TenantId, (Guid?)null)
                .SetProperty(p => p.AgentPersonaId, (Guid?)null)
                .SetProperty(p => p.ReservedUntil, (DateTimeOffset?)null)
                .SetProperty(p => p.AssignedAt, (DateTimeOffset?)null)
                .SetProperty(p => p.UpdatedAt, now), cancellationToken),
            cancellationToken);

    private static IQueryable<PhoneNumber> Filter(PortalDbContext db, NumberPoolQuery query)
    {
        var numbers = db.PhoneNumbers.AsNoTracking();
        if (query.Status is { } status)
        {
            numbers = numbers.Where(p => p.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(query.AreaCode))
        {
            var areaCode = query.AreaCode.Trim();
            numbers = numbers.Where(p => p.AreaCode.StartsWith(areaCode));
        }

        if (!string.IsNullOrWhiteSpace(query.Region))
        {
            var region = query.Region.Trim().ToUpperInvariant();
            numbers = numbers.Where(p => p.Region == region);
        }

        var digits = new string((query.Digits ?? "").Where(char.IsAsciiDigit).ToArray());
        if (digits.Length > 0)
        {
            numbers = numbers.Where(p => p.E164.Contains(digits));
        }

        if (!string.IsNullOrWhiteSpace(query.TenantName))
        {
            var pattern = $"%{Like.Escape(query.TenantName.Trim())}%";
            // Searching by tenant name crosses tenants: admin-only, so the tenant filter is ignored on purpose.
            var tenantIds = db.Tenants.IgnoreQueryFilters().Where(t => EF.Functions.ILike(t.Name, pattern)).Select(t => (Guid?)t.Id);
            numbers = numbers.Where(p => tenantIds.Contains(p.TenantId));
        }

        return numbers;
    }

    private async Task<AdminActionResult> ActAsync(Guid numberId, string action, System.Linq.Expressions.Expression<Func<PhoneNumber, bool>> applies,
        Func<IQueryable<PhoneNumber>, DateTimeOffset, Task<int>> update, CancellationToken cancellationToken)
    {
        var actor = await auditLog.RequireActorAsync(cancellationToken);
        if (!actor.IsPlatformAdmin)
        {
            throw new UnauthorizedAccessException("Only platform admins manage the number pool.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var before = await db.PhoneNumbers.AsNoTracking().FirstOrDefaultAsync(p => p.Id == numberId, cancellationToken);
        if (before is null)
        {
            return AdminActionResult.NotFound;
        }

        var now = timeProvider.GetUtcNow();
        if (await update(db.PhoneNumbers.Where(p => p.Id == numberId).Where(applies), now) == 0)
        {
            return AdminActionResult.NotApplicable;
        }

        var after = await db.PhoneNumbers.AsNoTracking().FirstAsync(p => p.Id == numberId, cancellationToken);
        auditLog.Stage(db, actor, action, nameof(PhoneNumber), numberId.ToString(), before.TenantId ?? after.TenantId, new
        {
            e164 = before.E164,
            from = before.Status.ToString(),
            to = after.Status.ToString(),
            tenantId = before.TenantId,
            agentPersonaId = before.AgentPersonaId,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminActionResult.Done;
    }
}

/// <summary>LIKE pattern helpers.</summary>
internal static class Like
{
    /// <summary>Escapes <c>\</c>, <c>%</c> and <c>_</c> (PostgreSQL's default LIKE escape is backslash).</summary>
    public static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
