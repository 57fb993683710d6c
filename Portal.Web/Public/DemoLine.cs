using Microsoft.EntityFrameworkCore;
using Portal.Domain.Data;
using Portal.Domain.Entities;

namespace Portal.Web.Public;

/// <summary>
/// The seeded demo business (<see cref="DemoSeeder.DemoBusinessName"/>) that the landing page lets anyone try: its live
/// number for "call the demo agent" and its tenant for the in-browser demo call. The public site has no tenant, so the
/// demo is looked up across tenants; it counts only when both the name and the seeded owner's account
/// (<see cref="DemoSeeder.OwnerEmail"/>) match, so a customer who names their business the same is never taken for it.
/// </summary>
public sealed class DemoLine(IDbContextFactory<PortalDbContext> contextFactory)
{
    /// <summary>The demo number in E.164 and the business name, or nulls when there is no live demo business.</summary>
    public async Task<(string? Number, string? BusinessName)> GetAsync(CancellationToken cancellationToken)
    {
        if (await TenantAsync(cancellationToken) is not { } demo)
        {
            return (null, null);
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var number = await db.PhoneNumbers.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.TenantId == demo && p.Status == PhoneNumberStatus.Assigned)
            .Select(p => p.E164).FirstOrDefaultAsync(cancellationToken);
        return number is null ? (null, null) : (number, DemoSeeder.DemoBusinessName);
    }

    /// <summary>The demo business's tenant id, or null when the demo is not seeded.</summary>
    public async Task<Guid?> TenantAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var normalizedOwner = DemoSeeder.OwnerEmail.ToUpperInvariant();
        return await db.Tenants.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.Name == DemoSeeder.DemoBusinessName
                        && db.Users.Any(u => u.TenantId == t.Id && u.NormalizedEmail == normalizedOwner))
            .Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken);
    }
}
