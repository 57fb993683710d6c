using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Portal.Data.Identity;
using Portal.Domain.ApiKeys;

namespace Portal.Web.Accounts;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c> (RFC 6750 §2.1, https://www.rfc-editor.org/rfc/rfc6750#section-2.1)
/// through <see cref="IApiKeyValidator"/>. The principal has the key's tenant (<see cref="TenantClaim"/>), its scopes
/// (<see cref="ScopeClaim"/>) and the <see cref="Roles.BusinessStaff"/> role, so <c>/api/v1</c> endpoints guarded by
/// <see cref="Policies.BusinessUser"/> accept it; <see cref="ApiKeyScopeRequirement"/> then limits it to its scopes.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IApiKeyValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>Claim holding the key's tenant id.</summary>
    public const string TenantClaim = "portal:tenant";

    /// <summary>Claim holding the key's id.</summary>
    public const string KeyIdClaim = "portal:api_key";

    /// <summary>Claim holding one scope (repeated).</summary>
    public const string ScopeClaim = "scope";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await validator.ValidateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var claims = new List<Claim>
        {
            new(KeyIdClaim, key.KeyId.ToString()),
            new(TenantClaim, key.TenantId.ToString()),
            new(ClaimTypes.Name, "API key " + key.Name),
            new(ClaimTypes.Role, Roles.BusinessStaff),
        };
        claims.AddRange(key.Scopes.Select(s => new Claim(ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    /// <summary>The tenant of an API-key principal, or null for any other principal.</summary>
    public static Guid? TenantOf(ClaimsPrincipal user) =>
        user.Identity?.AuthenticationType == SchemeName && Guid.TryParse(user.FindFirstValue(TenantClaim), out var id) ? id : null;

    /// <summary>The key id of an API-key principal, or null.</summary>
    public static string? KeyIdOf(ClaimsPrincipal user) => user.Identity?.AuthenticationType == SchemeName ? user.FindFirstValue(KeyIdClaim) : null;
}

/// <summary>An API-key principal needs scope <c>read</c> for GET/HEAD and <c>write</c> for other methods; other principals pass.</summary>
public sealed class ApiKeyScopeRequirement : IAuthorizationRequirement;

/// <summary>Checks <see cref="ApiKeyScopeRequirement"/> against the request's method.</summary>
public sealed class ApiKeyScopeHandler(IHttpContextAccessor accessor) : AuthorizationHandler<ApiKeyScopeRequirement>
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiKeyScopeRequirement requirement)
    {
        if (context.User.Identity?.AuthenticationType != ApiKeyAuthenticationHandler.SchemeName)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        var method = (context.Resource as HttpContext ?? accessor.HttpContext)?.Request.Method ?? "";
        var needed = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? ApiKeyScopes.Read : ApiKeyScopes.Write;
        if (context.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, needed))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
