using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Numbers;

/// <summary>Why a reservation failed.</summary>
public enum ReserveResult
{
    /// <summary>Reserved.</summary>
    Reserved,
    /// <summary>Already yours.</summary>
    AlreadyYours,
    /// <summary>Taken.</summary>
    Taken,
    /// <summary>Not found.</summary>
    NotFound,
}

/// <summary>
/// The tenant-facing side of the number pool (the platform buys numbers; each business gets one): list available numbers, reserve one
/// during onboarding (reservation expires), assign it to the tenant's agent at the end. Every
/// state change is a conditional update on the row's current status, so two tenants racing for
/// one number cannot both win; the unique E.164 index and xmin token back it up.
/// </summary>
public sealed class NumberPool(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider, Notifications.PlatformNotifier notifier)
{
    /// <summary>How long an onboarding reservation holds a number.</summary>
    public static readonly TimeSpan ReservationLifetime = TimeSpan.FromMinutes(30);

    /// <summary>Available numbers, optionally filtered by area code prefix and region, E.164 order, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<PhoneNumber>> ListAvailableAsync(string? areaCode, string? region, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var query = db.PhoneNumbers.AsNoTracking()
            .Where(p => p.Status == PhoneNumberStatus.Available || (p.Status == PhoneNumberStatus.Reserved && p.ReservedUntil < now));
        if (!string.IsNullOrWhiteSpace(areaCode))
        {
            query = query.Where(p => p.AreaCode.StartsWith(areaCode.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(region))
        {
            query = query.Where(p => p.Region == region.Trim().ToUpperInvariant());
        }

        return await query.OrderBy(p => p.E164).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>Distinct regions that have available numbers.</summary>
    public async Task<IReadOnlyList<string>> AvailableRegionsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.PhoneNumbers.Where(p => p.Status == PhoneNumberStatus.Available).Select(p => p.Region).Distinct().OrderBy(r => r).ToListAsync(cancellationToken);
    }

    /// <summary>The number the tenant holds (reserved or assigned), if any.</summary>
    public async Task<PhoneNumber?> HeldByAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        return await db.PhoneNumbers.AsNoTracking()
            .Where(p => p.TenantId == tenantId && (p.Status == PhoneNumberStatus.Assigned || (p.Status == PhoneNumberStatus.Reserved && p.ReservedUntil >= now)))
            .OrderByDescending(p => p.Status == PhoneNumberStatus.Assigned)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The numbers <paramref name="tenantId"/> holds (reserved, assigned or suspended; not available or released), by
    /// E.164; empty for null. The pool is a global table (no tenant filter), so the tenant is explicit.
    /// </summary>
    public async Task<IReadOnlyList<PhoneNumber>> ListHeldAsync(Guid? tenantId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.PhoneNumbers.AsNoTracking()
            .Where(n => tenantId != null && n.TenantId == tenantId && n.Status != PhoneNumberStatus.Available && n.Status != PhoneNumberStatus.Released)
            .OrderBy(n => n.E164)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Reserves <paramref name="numberId"/> for the tenant, releasing any other reservation it held. Atomic: one conditional UPDATE.</summary>
    public async Task<ReserveResult> ReserveAsync(Guid tenantId, Guid numberId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var until = now + ReservationLifetime;
        var won = await db.PhoneNumbers
            .Where(p => p.Id == numberId && (p.Status == PhoneNumberStatus.Available
                || (p.Status == PhoneNumberStatus.Reserved && (p.ReservedUntil < now || p.TenantId == tenantId))))
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, PhoneNumberStatus.Reserved)
                .SetProperty(p => p.TenantId, tenantId)
                .SetProperty(p => p.ReservedUntil, until)
                .SetProperty(p => p.UpdatedAt, now), cancellationToken);
        if (won == 0)
        {
            var row = await db.PhoneNumbers.AsNoTracking().FirstOrDefaultAsync(p => p.Id == numberId, cancellationToken);
            return row is null ? ReserveResult.NotFound : row.TenantId == tenantId ? ReserveResult.AlreadyYours : ReserveResult.Taken;
        }

        await db.PhoneNumbers
            .Where(p => p.TenantId == tenantId && p.Id != numberId && p.Status == PhoneNumberStatus.Reserved)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, PhoneNumberStatus.Available)
                .SetProperty(p => p.TenantId, (Guid?)null)
                .SetProperty(p => p.ReservedUntil, (DateTimeOffset?)null)
                .SetProperty(p => p.UpdatedAt, now), cancellationToken);
        return ReserveResult.Reserved;
    }

    /// <summary>
    /// Turns the tenant's reservation into an assignment to <paramref name="agentId"/>; false when the tenant
    /// holds no live reservation. The first assignment emails the business's users "your number is live"
    /// through the outbox (a repeated call for the same agent does not).
    /// </summary>
    public async Task<bool> AssignAsync(Guid tenantId, Guid numberId, Guid agentId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var before = await db.PhoneNumbers.AsNoTracking().Where(p => p.Id == numberId).Select(p => new { p.Status, p.E164 }).FirstOrDefaultAsync(cancellationToken);
        var rows = await db.PhoneNumbers
            .Where(p => p.Id == numberId && p.TenantId == tenantId
                && ((p.Status == PhoneNumberStatus.Reserved && p.ReservedUntil >= now) || (p.Status == PhoneNumberStatus.Assigned && p.AgentPersonaId == agentId)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, PhoneNumberStatus.Assigned)
                .SetProperty(p => p.AgentPersonaId, agentId)
                .SetProperty(p => p.ReservedUntil, (DateTimeOffset?)null)
                .SetProperty(p => p.AssignedAt, now)
                .SetProperty(p => p.UpdatedAt, now), cancellationToken);
        if (rows == 1 && before is { Status: PhoneNumberStatus.Reserved })
        {
            await notifier.NumberLiveAsync(tenantId, before.E164, cancellationToken);
        }

        return rows == 1;
    }

    /// <summary>Frees every reservation past its expiry; returns how many. Safe to run twice.</summary>
    public async Task<int> ReleaseExpiredAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        return await db.PhoneNumbers
            .Where(p => p.Status == PhoneNumberStatus.Reserved && p.ReservedUntil < now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, PhoneNumberStatus.Available)
                .SetProperty(p => p.TenantId, (Guid?)null)
                .SetProperty(p => p.ReservedUntil, (DateTimeOffset?)null)
                .SetProperty(p => p.UpdatedAt, now), cancellationToken);
    }
}
