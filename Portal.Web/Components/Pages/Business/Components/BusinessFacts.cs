using Microsoft.EntityFrameworkCore;
using Portal.Domain.Data;

namespace Portal.Web.Components.Pages.Business.Components;

/// <summary>
/// Marks the tenant's business facts as changed in the same unit of work as the edit: increments
/// <see cref="Portal.Domain.Entities.Tenant.FactsVersion"/>. After saving, callers invalidate <c>BusinessProfileCache</c>
/// (and <c>IKnowledgeBase</c> for FAQs) with the returned tenant id.
/// </summary>
public static class BusinessFacts
{
    /// <summary>Increments the current tenant's facts version (tracked; saved by the caller) and returns its id.</summary>
    public static async Task<Guid> BumpAsync(PortalDbContext db)
    {
        var tenant = await db.Tenants.FirstOrDefaultAsync() ?? throw new InvalidOperationException("No current tenant.");
        tenant.FactsVersion++;
        return tenant.Id;
    }
}
