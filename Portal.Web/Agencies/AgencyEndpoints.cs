using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Agencies;
using Portal.Domain.Audit;
using Portal.Web.Components.Pages.Admin;

namespace Portal.Web.Agencies;

/// <summary>
/// The agency endpoints: the reverse proxy's on-demand TLS <c>ask</c>, the brand images, the usage CSV and the agency's
/// "view as" a client (audited, with the same cookie and banner as a platform admin's, ADR-008).
/// </summary>
public static class AgencyEndpoints
{
    /// <summary>Authorization policy: an agency owner or staff member.</summary>
    public const string AgencyMemberPolicy = "AgencyMember";

    /// <summary>Authorization policy: an agency owner (team, billing).</summary>
    public const string AgencyOwnerPolicy = "AgencyOwner";

    /// <summary>Maps <c>GET /tls/ask</c>, <c>GET /brand/{agencyId}/logo|favicon</c>, <c>GET /agency/usage.csv</c>, <c>POST /agency/clients/{tenantId}/view-as</c>.</summary>
    public static IEndpointRouteBuilder MapAgencyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tls/ask", AskAsync).AllowAnonymous().WithTags("Agencies");
        app.MapGet("/brand/{agencyId:guid}/logo", (Guid agencyId, BrandResolver brands, CancellationToken ct) => ImageAsync(agencyId, BrandImageKind.Logo, brands, ct)).AllowAnonymous();
        app.MapGet("/brand/{agencyId:guid}/favicon", (Guid agencyId, BrandResolver brands, CancellationToken ct) => ImageAsync(agencyId, BrandImageKind.Favicon, brands, ct)).AllowAnonymous();
        var agency = app.MapGroup("/agency").RequireAuthorization(AgencyMemberPolicy).WithTags("Agencies");
        agency.MapGet("/usage.csv", UsageCsvAsync);
        agency.MapPost("/clients/{tenantId:guid}/view-as", ViewAsAsync);
        return app;
    }

    /// <summary>
    /// Caddy's on-demand TLS question (https://caddyserver.com/docs/caddyfile/options#on-demand-tls): 200 when
    /// <paramref name="domain"/> is a verified agency domain, else 404 (any non-2xx refuses the certificate); 400 without it.
    /// </summary>
    public static async Task<Results<Ok, NotFound, BadRequest<string>>> AskAsync(string? domain, TlsAskService ask, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            return TypedResults.BadRequest("The domain query parameter is required.");
        }

        return await ask.IsAllowedAsync(domain, cancellationToken) ? TypedResults.Ok() : TypedResults.NotFound();
    }

    private static async Task<IResult> ImageAsync(Guid agencyId, BrandImageKind kind, BrandResolver brands, CancellationToken cancellationToken)
    {
        var image = await brands.ImageAsync(agencyId, kind, cancellationToken);
        if (image is null)
        {
            return TypedResults.NotFound();
        }

        // SVGs were sanitized on upload; the CSP keeps a browser opening one directly from running anything anyway.
        return new ImageResult(image.Bytes, image.ContentType);
    }

    private static async Task<IResult> UsageCsvAsync(AgencyUsage usage, CancellationToken cancellationToken)
    {
        try
        {
            var month = await usage.MonthAsync(cancellationToken);
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(AgencyUsage.ToCsv(month)), "text/csv", $"usage-{month.From:yyyy-MM}.csv");
        }
        catch (UnauthorizedAccessException)
        {
            return TypedResults.Forbid();
        }
    }

    private static async Task<IResult> ViewAsAsync(Guid tenantId, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl, HttpContext http, AgencyClients clients,
        AuditLog auditLog, IDataProtectionProvider dataProtection, TimeProvider clock)
    {
        if (await clients.ClientNameAsync(tenantId, http.RequestAborted) is not { } name)
        {
            return TypedResults.NotFound();
        }

        var actor = await auditLog.RequireActorAsync(http.RequestAborted);
        await auditLog.RecordAsync(AuditActions.TenantImpersonateStart, "Tenant", tenantId.ToString(), tenantId, new { name, by = "agency" }, http.RequestAborted);
        ViewAsTenant.Issue(http, dataProtection, actor.UserId, tenantId, clock.GetUtcNow());
        return TypedResults.LocalRedirect("~/");
    }

    /// <summary>Bytes with their content type, cacheable for a day (URLs carry a version), no sniffing, no scripts.</summary>
    private sealed class ImageResult(byte[] bytes, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            headers.CacheControl = "public, max-age=86400";
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
            httpContext.Response.ContentType = contentType;
            return httpContext.Response.Body.WriteAsync(bytes, httpContext.RequestAborted).AsTask();
        }
    }

    /// <summary>Adds the agency web services and the <see cref="AgencyMemberPolicy"/> and <see cref="AgencyOwnerPolicy"/> policies.</summary>
    public static IServiceCollection AddPortalAgencyWeb(this IServiceCollection services)
    {
        services.AddScoped<BrandContext>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AgencyMemberPolicy, p => p.RequireRole(Roles.AgencyOwner, Roles.AgencyStaff))
            .AddPolicy(AgencyOwnerPolicy, p => p.RequireRole(Roles.AgencyOwner));
        return services;
    }
}
