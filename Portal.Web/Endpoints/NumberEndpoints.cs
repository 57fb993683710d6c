using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;

namespace Portal.Web.Endpoints;

/// <summary>A phone number of the business: E.164, area code, region and locality, status (Reserved, Assigned, Suspended), the agent answering it.</summary>
public sealed record NumberDto(Guid Id, string E164, string AreaCode, string Region, string Locality, string Status, Guid? AgentId, DateTimeOffset? AssignedAt);

/// <summary>The business's phone numbers (from the platform's pool).</summary>
public static class NumberEndpoints
{
    /// <summary>Maps <c>/api/v1/numbers</c>.</summary>
    public static IEndpointRouteBuilder MapNumberEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/numbers").WithTags("Numbers").RequireAuthorization(Policies.BusinessUser);
        group.MapGet("", ListAsync).WithSummary("List the business's phone numbers");
        return app;
    }

    private static async Task<Ok<List<NumberDto>>> ListAsync(PortalDbContext db, ITenantContext tenant, CancellationToken ct)
    {
        // The pool is a global table (PhoneNumber opts out of the tenant filter); a business sees the numbers it holds.
        var tenantId = tenant.TenantId;
        var rows = await db.PhoneNumbers.AsNoTracking()
            .Where(n => tenantId != null && n.TenantId == tenantId && n.Status != PhoneNumberStatus.Available && n.Status != PhoneNumberStatus.Released)
            .OrderBy(n => n.E164)
            .Select(n => new NumberDto(n.Id, n.E164, n.AreaCode, n.Region, n.Locality, n.Status.ToString(), n.AgentPersonaId, n.AssignedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(rows);
    }
}
