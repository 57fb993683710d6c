using Microsoft.EntityFrameworkCore;
using Portal.Domain.Data;
using Portal.Domain.Entities;

namespace Portal.Web.Public;

/// <summary>
/// The demo business's live number for the landing page's "call the demo agent" button: the number assigned to the
/// seeded demo business (<see cref="DemoSeeder.DemoBusinessName"/>), or none when the demo is not seeded.
/// </summary>
public sealed class DemoLine(IDbContextFactory<PortalDbContext> contextFactory)
{
    /// <summary>The demo number in E.164 and the business name, or nulls when there is no live demo business.</summary>
    public async Task<(string? Number, string? BusinessName)> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // The public site has no tenant: the demo business is looked up across tenants by its seeded name.
        var demo = await db.Tenants.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.Name == DemoSeeder.DemoBusinessName)
            .Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync(cancellationToken);
        if (demo is null)
        {
            return (null, null);
        }

        var number = await db.PhoneNumbers.AsNoTracking()
            .Where(p => p.TenantId == demo.Id && p.Status == PhoneNumberStatus.Assigned)
            .Select(p => p.E164).FirstOrDefaultAsync(cancellationToken);
        return number is null ? (null, null) : (number, demo.Name);
    }
}
