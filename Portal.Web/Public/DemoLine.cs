using Microsoft.EntityFrameworkCore;
using Portal.Domain.Data;
using Portal.Domain.Entities;

namespace Portal.Web.Public;

/// <summary>What the landing page offers of the seeded demo business.</summary>
/// <param name="BusinessName">The demo business's name.</param>
/// <param name="Number">Its live number in E.164 ("call the demo agent"), or null when none is assigned.</param>
/// <param name="WidgetKey">Its chat widget's public key ("try it in chat"), or null when it has no widget.</param>
public sealed record DemoBusiness(string BusinessName, string? Number, string? WidgetKey);

/// <summary>
/// The demo business for the landing page: the seeded business <see cref="DemoSeeder.DemoBusinessName"/>, its assigned
/// number and its website chat widget; null when the demo is not seeded.
/// </summary>
public sealed class DemoLine(IDbContextFactory<PortalDbContext> contextFactory)
{
    /// <summary>The demo business, or null when there is none (or it offers neither a number nor a chat).</summary>
    public async Task<DemoBusiness?> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // The public site has no tenant: the demo business is looked up across tenants by its seeded name, with its number
        // and widget key in the same round trip (the landing page's first byte waits for it).
        var demo = await db.Tenants.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.Name == DemoSeeder.DemoBusinessName && t.Status == TenantStatus.Active)
            .Select(t => new
            {
                t.Name,
                Number = db.PhoneNumbers.IgnoreQueryFilters().Where(p => p.TenantId == t.Id && p.Status == PhoneNumberStatus.Assigned).Select(p => p.E164).FirstOrDefault(),
                Widget = db.ChatWidgets.IgnoreQueryFilters().Where(w => w.TenantId == t.Id).Select(w => w.PublicKey).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        return demo is null || (demo.Number is null && demo.Widget is null) ? null : new DemoBusiness(demo.Name, demo.Number, demo.Widget);
    }
}
