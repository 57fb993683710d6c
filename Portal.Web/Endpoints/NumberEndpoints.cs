using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Data.Tenancy;
using Portal.Domain.Numbers;
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

    private static async Task<Ok<List<NumberDto>>> ListAsync(NumberPool pool, ITenantContext tenant, CancellationToken ct)
    {
        // The pool is a global table (PhoneNumber opts out of the tenant filter); a business sees the numbers it holds.
        var rows = (await pool.ListHeldAsync(tenant.TenantId, ct))
            .Select(n => new NumberDto(n.Id, n.E164, n.AreaCode, n.Region, n.Locality, n.Status.ToString(), n.AgentPersonaId, n.AssignedAt))
            .ToList();
        return TypedResults.Ok(rows);
    }
}
