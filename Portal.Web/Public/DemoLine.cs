using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Seeding;

namespace Portal.Web.Public;

/// <summary>What the landing page offers of the seeded demo business.</summary>
/// <param name="TenantId">The demo business's tenant (the in-browser demo call's business).</param>
/// <param name="BusinessName">The demo business's name.</param>
/// <param name="Number">Its live number in E.164 ("call the demo agent"), or null when none is assigned.</param>
/// <param name="WidgetKey">Its chat widget's public key ("try it in chat"), or null when it has no widget.</param>
public sealed record DemoBusiness(Guid TenantId, string BusinessName, string? Number, string? WidgetKey);

/// <summary>
/// The seeded demo business (<see cref="DemoSeeder.DemoBusinessName"/>) that the landing page lets anyone try: its
/// number, its chat widget and its tenant for the in-browser demo call. The public site has no tenant, so the demo is
/// looked up across tenants; it counts only when both the name and the seeded owner's account
/// (<see cref="DemoSeeder.OwnerEmail"/>) match, so a customer who names their business the same is never taken for it.
/// </summary>
public sealed class DemoLine(IDbContextFactory<PortalDbContext> contextFactory)
{
    /// <summary>The active demo business, or null when the demo is not seeded.</summary>
    public async Task<DemoBusiness?> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var normalizedOwner = DemoSeeder.OwnerEmail.ToUpperInvariant();
        // One round trip: the landing page's first byte waits for it.
        var demo = await db.Tenants.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.Name == DemoSeeder.DemoBusinessName && t.Status == TenantStatus.Active
                        && db.Users.Any(u => u.TenantId == t.Id && u.NormalizedEmail == normalizedOwner))
            .Select(t => new
            {
                t.Id,
                t.Name,
                Number = db.PhoneNumbers.IgnoreQueryFilters().Where(p => p.TenantId == t.Id && p.Status == PhoneNumberStatus.Assigned).Select(p => p.E164).FirstOrDefault(),
                Widget = db.ChatWidgets.IgnoreQueryFilters().Where(w => w.TenantId == t.Id).Select(w => w.PublicKey).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        return demo is null ? null : new DemoBusiness(demo.Id, demo.Name, demo.Number, demo.Widget);
    }

    /// <summary>The demo business's tenant id, or null when the demo is not seeded.</summary>
    public async Task<Guid?> TenantAsync(CancellationToken cancellationToken) => (await GetAsync(cancellationToken))?.TenantId;
}
