using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;
using Portal.Web.Components.Shared;

namespace Portal.Web.Tenancy;

/// <summary>
/// The current tenant's time zone for pages, read once per circuit (scoped) and per tenant, so every page and every
/// <see cref="LocalTime"/> shows the business's wall clock without loading it itself. UTC when there is no tenant
/// (platform admin) or the zone id is unknown.
/// </summary>
public sealed class TenantClock(IDbContextFactory<PortalDbContext> contextFactory, ITenantContext tenantContext)
{
    private (Guid? TenantId, TimeZoneInfo Zone)? _cached;

    /// <summary>The zone of the current tenant. Throws database exceptions when it cannot be read.</summary>
    public async ValueTask<TimeZoneInfo> ZoneAsync(CancellationToken cancellationToken = default)
    {
        var tenantId = tenantContext.TenantId;
        if (_cached is { } cached && cached.TenantId == tenantId)
        {
            return cached.Zone;
        }

        var zone = TimeZoneInfo.Utc;
        if (tenantId is not null)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            zone = TenantTime.Zone(await db.Tenants.AsNoTracking().Select(t => t.TimeZoneId).FirstOrDefaultAsync(cancellationToken));
        }

        _cached = (tenantId, zone);
        return zone;
    }

    /// <summary>Forgets the zone (the owner changed it), so the next read loads it again.</summary>
    public void Invalidate() => _cached = null;
}
