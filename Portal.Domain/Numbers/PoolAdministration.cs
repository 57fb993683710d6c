using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Audit;

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
    Guid? TenantId, string? TenantName, Guid? AgentPersonaId, DateTimeOffset? AssignedAt, long MonthlyCostCents, bool AtProvider = false);

/// <summary>An agent a number can be reassigned to, with its business and whether it already answers on a number.</summary>
public sealed record AgentChoice(Guid AgentId, string AgentName, Guid TenantId, string TenantName, string? CurrentNumber);

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
                tenants.Where(t => t.Id == p.TenantId).Select(t => t.Name).FirstOrDefault(), p.AgentPersonaId, p.AssignedAt, p.MonthlyCostCents, p.ProviderSid != null));
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

    /// <summary>
    /// Available or Suspended without an agent → Released: the number leaves the pool for good and is given back to the
    /// provider by the release job (so the platform stops paying for it). A number a business holds (Reserved, Assigned)
    /// must be released from it first. Audited like the other actions.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The signed-in user is not a platform admin.</exception>
    public Task<AdminActionResult> RetireAsync(Guid numberId, CancellationToken cancellationToken) =>
        ActAsync(numberId, AuditActions.NumberRetire,
            p => p.Status == PhoneNumberStatus.Available || (p.Status == PhoneNumberStatus.Suspended && p.AgentPersonaId == null),
            (q, now) => q.ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, PhoneNumberStatus.Released)
                .SetProperty(p => p.TenantId, (Guid?)null)
                .SetProperty(p => p.ReservedUntil, (DateTimeOffset?)null)
                .SetProperty(p => p.UpdatedAt, now), cancellationToken),
            cancellationToken);

    /// <summary>
    /// Agents whose business name or agent name contains <paramref name="search"/> (all when empty),
    /// by business name, at most <paramref name="limit"/> (1–200), for the reassign dialog.
    /// </summary>
    public async Task<IReadOnlyList<AgentChoice>> AgentChoicesAsync(string? search, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Reassigning crosses tenants by nature: the admin picks any business's agent.
        var agents = db.AgentPersonas.IgnoreQueryFilters().AsNoTracking();
        var tenants = db.Tenants.IgnoreQueryFilters().AsNoTracking();
        var rows = from a in agents
                   join t in tenants on a.TenantId equals t.Id
                   select new { a, t };
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{Like.Escape(search.Trim())}%";
            rows = rows.Where(r => EF.Functions.ILike(r.t.Name, pattern) || EF.Functions.ILike(r.a.Name, pattern));
        }

        return await rows.OrderBy(r => r.t.Name).ThenBy(r => r.a.Name).Take(Math.Clamp(limit, 1, 200))
            .Select(r => new AgentChoice(r.a.Id, r.a.Name, r.t.Id, r.t.Name,
                db.PhoneNumbers.Where(p => p.AgentPersonaId == r.a.Id).Select(p => p.E164).FirstOrDefault()))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Moves an Available, Assigned or Suspended number to <paramref name="agentId"/> (and its business):
    /// status Assigned, assignment date now, reservation cleared, one audit entry. The agent must not
    /// already answer on another number (one number per agent, a unique index). NotApplicable when the
    /// number is Reserved/Released, the agent already holds a number, or a racing change won.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The current user is not a platform admin.</exception>
    public async Task<AdminActionResult> ReassignAsync(Guid numberId, Guid agentId, CancellationToken cancellationToken)
    {
        var actor = await auditLog.RequireActorAsync(cancellationToken);
        if (!actor.IsPlatformAdmin)
        {
            throw new UnauthorizedAccessException("Only platform admins manage the number pool.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var before = await db.PhoneNumbers.AsNoTracking().FirstOrDefaultAsync(p => p.Id == numberId, cancellationToken);
        // The target agent may belong to any business: read it across tenants on purpose.
        var agent = await db.AgentPersonas.IgnoreQueryFilters().AsNoTracking().Where(a => a.Id == agentId)
            .Select(a => new { a.Id, a.TenantId }).FirstOrDefaultAsync(cancellationToken);
        if (before is null || agent is null)
        {
            return AdminActionResult.NotFound;
        }

        if (before.AgentPersonaId == agentId
            || await db.PhoneNumbers.AnyAsync(p => p.AgentPersonaId == agentId && p.Id != numberId, cancellationToken))
        {
            return AdminActionResult.NotApplicable;
        }

        var now = timeProvider.GetUtcNow();
        var changed = await db.PhoneNumbers
            .Where(p => p.Id == numberId && p.Version == before.Version
                && (p.Status == PhoneNumberStatus.Available || p.Status == PhoneNumberStatus.Assigned || p.Status == PhoneNumberStatus.Suspended))
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, PhoneNumberStatus.Assigned)
                .SetProperty(p => p.TenantId, agent.TenantId)
                .SetProperty(p => p.AgentPersonaId, agent.Id)
                .SetProperty(p => p.ReservedUntil, (DateTimeOffset?)null)
                .SetProperty(p => p.AssignedAt, now)
                .SetProperty(p => p.UpdatedAt, now), cancellationToken);
        if (changed == 0)
        {
            return AdminActionResult.NotApplicable;
        }

        auditLog.Stage(db, actor, AuditActions.NumberReassign, nameof(PhoneNumber), numberId.ToString(), agent.TenantId, new
        {
            e164 = before.E164,
            from = before.Status.ToString(),
            to = PhoneNumberStatus.Assigned.ToString(),
            fromTenantId = before.TenantId,
            fromAgentPersonaId = before.AgentPersonaId,
            toTenantId = agent.TenantId,
            toAgentPersonaId = agent.Id,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminActionResult.Done;
    }

    /// <summary>Open reconciliation findings (not yet fixed or gone), newest first, at most <paramref name="limit"/> (1–500).</summary>
    public async Task<IReadOnlyList<PoolDriftFinding>> OpenDriftAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.PoolDriftFindings.AsNoTracking().Where(f => f.ResolvedAt == null)
            .OrderByDescending(f => f.DetectedAt).ThenBy(f => f.E164).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
    }

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
