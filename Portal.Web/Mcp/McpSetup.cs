using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Portal.Data.Tenancy;
using Portal.Domain.ApiKeys;
using Portal.Domain.Brain.Mcp;
using Portal.Domain.Tenancy;
using Portal.Web.Mcp.OAuth;

namespace Portal.Web.Mcp;

/// <summary>
/// The business's MCP server (Model Context Protocol, streamable HTTP transport,
/// https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#streamable-http) at <see cref="Path"/>,
/// for the owner's own AI assistant. Requests need <c>Authorization: Bearer &lt;token&gt;</c> with a token bound to one
/// business: an MCP token or API key (<see cref="IMcpTokenValidator"/>), or an OAuth access token of this server's
/// authorization server (<see cref="OAuthSetup"/>, ADR-025) whose audience is this host's <c>/mcp</c>; without one the answer is 401 with
/// <c>WWW-Authenticate: Bearer resource_metadata="…"</c> pointing at the protected resource metadata document
/// (RFC 9728, https://www.rfc-editor.org/rfc/rfc9728; MCP authorization,
/// https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization).
/// </summary>
public static class McpSetup
{
    /// <summary>Where the MCP endpoint is served.</summary>
    public const string Path = "/mcp";

    /// <summary>Where the protected resource metadata document is served (RFC 9728 §3).</summary>
    public const string MetadataPath = "/.well-known/oauth-protected-resource";

    /// <summary>Claim holding the token's tenant id.</summary>
    public const string TenantClaim = "portal:mcp_tenant";

    /// <summary>Claim present ("true") when the token may create bookings.</summary>
    public const string BookingClaim = "portal:mcp_booking";

    /// <summary>Registers the MCP server (stateless streamable HTTP), its tools and its resource.</summary>
    public static IServiceCollection AddPortalMcp(this IServiceCollection services)
    {
        services.AddMcpServer(o => o.ServerInfo = new() { Name = "portal", Version = "1.0" })
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools([typeof(PortalMcpTools), typeof(PortalMcpBookingTools)])
            .WithResources([typeof(PortalMcpResources)]);
        return services;
    }

    /// <summary>Authenticates <see cref="Path"/> requests by bearer token (after tenant resolution, which it overrides).</summary>
    public static IApplicationBuilder UseMcpTokenAuthentication(this IApplicationBuilder app) =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Path), b => b.UseMiddleware<McpTokenMiddleware>());

    /// <summary>Maps the MCP endpoint and the protected resource metadata (both <c>/.well-known/oauth-protected-resource</c> and its <c>/mcp</c>-suffixed form).</summary>
    public static IEndpointRouteBuilder MapPortalMcp(this IEndpointRouteBuilder app)
    {
        app.MapMcp(Path).AllowAnonymous().DisableAntiforgery();
        app.MapGet(MetadataPath, Metadata).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(MetadataPath + Path, Metadata).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>The absolute URL of the MCP endpoint for this request's host.</summary>
    public static string ResourceUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{Path}";

    /// <summary>The tenant and booking permission a request's principal carries, or null.</summary>
    public static McpGrant? GrantOf(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirstValue(TenantClaim), out var tenantId)
            ? new McpGrant(tenantId, user!.HasClaim(BookingClaim, "true"))
            : null;

    private static IResult Metadata(HttpRequest request) => TypedResults.Json(new Dictionary<string, object>
    {
        ["resource"] = ResourceUrl(request),
        ["bearer_methods_supported"] = new[] { "header" },
        ["resource_name"] = "Portal business data (MCP)",
        ["authorization_servers"] = new[] { OAuthSetup.IssuerUrl(request) },
        ["scopes_supported"] = McpOAuthScopes.All,
    });
}

/// <summary>Validates the bearer token of an MCP request, binds the request to the token's business or answers 401.</summary>
public sealed class McpTokenMiddleware(RequestDelegate next)
{
    /// <summary>Authenticates, then calls the MCP endpoint.</summary>
    public async Task InvokeAsync(HttpContext context, IMcpTokenValidator validator, ITenantContext tenant)
    {
        var header = context.Request.Headers.Authorization.ToString();
        McpGrant? grant = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            grant = token.StartsWith(McpTokenService.TokenPrefix, StringComparison.Ordinal) || token.StartsWith(ApiKeyService.KeyPrefix, StringComparison.Ordinal)
                ? await validator.ValidateAsync(token, context.RequestAborted)
                : await OAuthGrantAsync(context);
        }

        if (grant is null)
        {
            // A cookie-signed-in owner must not reach the MCP server without a token either.
            tenant.SetTenant(null);
            var metadata = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{McpSetup.MetadataPath}{McpSetup.Path}";
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = header.Length == 0
                ? $"Bearer resource_metadata=\"{metadata}\""
                : $"Bearer error=\"invalid_token\", resource_metadata=\"{metadata}\"";
            // A body keeps the status-code pages (the HTML not-found page) off this API response.
            await context.Response.WriteAsJsonAsync(new { error = header.Length == 0 ? "missing_token" : "invalid_token", resource_metadata = metadata }, context.RequestAborted);
            return;
        }

        var claims = new List<Claim> { new(McpSetup.TenantClaim, grant.TenantId.ToString()) };
        if (grant.AllowBooking)
        {
            claims.Add(new Claim(McpSetup.BookingClaim, "true"));
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "McpToken"));
        tenant.SetTenant(grant.TenantId);
        await next(context);
    }

    /// <summary>
    /// The grant of an OAuth access token (OpenIddict validation: signature or Data Protection envelope, expiry, token and
    /// authorization entries not revoked), or null when it is invalid, was issued for another resource (audience other
    /// than this host's <c>/mcp</c>, RFC 8707), carries no business or lacks <see cref="McpOAuthScopes.Read"/>.
    /// </summary>
    private static async Task<McpGrant?> OAuthGrantAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is not { } principal)
        {
            return null;
        }

        var resource = McpSetup.ResourceUrl(context.Request);
        if (!principal.GetAudiences().Contains(resource, StringComparer.Ordinal)
            || !Guid.TryParse(principal.GetClaim(OAuthSetup.TenantClaim), out var tenantId) || !principal.HasScope(McpOAuthScopes.Read))
        {
            return null;
        }

        return new McpGrant(tenantId, principal.HasScope(McpOAuthScopes.Book));
    }
}
