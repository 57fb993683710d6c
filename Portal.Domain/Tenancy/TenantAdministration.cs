using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Domain.Numbers;

namespace Portal.Domain.Tenancy;

/// <summary>One business as the admin tenant list shows it.</summary>
public sealed record TenantAdminRow(Guid Id, string Name, Industry Industry, TenantStatus Status, int OnboardingStep,
    IReadOnlyList<string> Numbers, int ConversationsThisMonth, DateTimeOffset? LastActivity, DateTimeOffset CreatedAt);

/// <summary>
/// The platform-admin view of every business: a list with numbers and activity, and suspend /
/// reactivate, each a conditional UPDATE plus its audit entry in one transaction. Every query here
/// crosses tenants on purpose (<c>IgnoreQueryFilters</c>); callers must be platform admins.
/// </summary>
public sealed class TenantAdministration(IDbContextFactory<PortalDbContext> contextFactory, AuditLog auditLog, TimeProvider timeProvider)
{
    /// <summary>Businesses whose name contains <paramref name="search"/> (all when empty), newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<TenantAdminRow>> ListAsync(string? search, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Admin list: every tenant, so the tenant filter is ignored deliberately throughout.
        var tenantQuery = db.Tenants.IgnoreQueryFilters().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{Like.Escape(search.Trim())}%";
            tenantQuery = tenantQuery.Where(t => EF.Functions.ILike(t.Name, pattern));
        }

        var tenants = await tenantQuery.OrderByDescending(t => t.CreatedAt).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken);
        var ids = tenants.Select(t => t.Id).ToList();
        var now = timeProvider.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var numbers = await db.PhoneNumbers.AsNoTracking()
            .Where(p => p.TenantId != null && ids.Contains(p.TenantId.Value) && p.Status != PhoneNumberStatus.Available)
            .Select(p => new { p.TenantId, p.E164 }).ToListAsync(cancellationToken);
        var activity = await db.Conversations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => ids.Contains(c.TenantId))
            .GroupBy(c => c.TenantId)
            .Select(g => new { TenantId = g.Key, ThisMonth = g.Count(c => c.StartedAt >= monthStart), Last = (DateTimeOffset?)g.Max(c => c.StartedAt) })
            .ToDictionaryAsync(a => a.TenantId, cancellationToken);
        return tenants.Select(t => new TenantAdminRow(t.Id, t.Name, t.Industry, t.Status, t.OnboardingStep,
                numbers.Where(n => n.TenantId == t.Id).Select(n => n.E164).Order(StringComparer.Ordinal).ToList(),
                activity.TryGetValue(t.Id, out var a) ? a.ThisMonth : 0,
                activity.TryGetValue(t.Id, out var b) ? b.Last : null,
                t.CreatedAt))
            .ToList();
    }

    /// <summary>Any status but Suspended → Suspended.</summary>
    public Task<AdminActionResult> SuspendAsync(Guid tenantId, CancellationToken cancellationToken) =>
        ActAsync(tenantId, AuditActions.TenantSuspend, t => t.Status != TenantStatus.Suspended,
            (q, now) => q.ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TenantStatus.Suspended).SetProperty(t => t.UpdatedAt, now), cancellationToken),
            cancellationToken);

    /// <summary>Suspended → Active when onboarding is finished (step 4), else back to Onboarding.</summary>
    public Task<AdminActionResult> ReactivateAsync(Guid tenantId, CancellationToken cancellationToken) =>
        ActAsync(tenantId, AuditActions.TenantReactivate, t => t.Status == TenantStatus.Suspended,
            (q, now) => q.ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, t => t.OnboardingStep >= 4 ? TenantStatus.Active : TenantStatus.Onboarding)
                .SetProperty(t => t.UpdatedAt, now), cancellationToken),
            cancellationToken);

    private async Task<AdminActionResult> ActAsync(Guid tenantId, string action, System.Linq.Expressions.Expression<Func<Tenant, bool>> applies,
        Func<IQueryable<Tenant>, DateTimeOffset, Task<int>> update, CancellationToken cancellationToken)
    {
        var actor = await auditLog.RequireActorAsync(cancellationToken);
        if (!actor.IsPlatformAdmin)
        {
            throw new UnauthorizedAccessException("Only platform admins suspend or reactivate businesses.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Admin action on any tenant: the tenant filter is ignored on purpose.
        var tenants = db.Tenants.IgnoreQueryFilters();
        var before = await tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (before is null)
        {
            return AdminActionResult.NotFound;
        }

        if (await update(tenants.Where(t => t.Id == tenantId).Where(applies), timeProvider.GetUtcNow()) == 0)
        {
            return AdminActionResult.NotApplicable;
        }

        var after = await tenants.AsNoTracking().FirstAsync(t => t.Id == tenantId, cancellationToken);
        auditLog.Stage(db, actor, action, nameof(Tenant), tenantId.ToString(), tenantId,
            new { name = before.Name, from = before.Status.ToString(), to = after.Status.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminActionResult.Done;
    }
}
