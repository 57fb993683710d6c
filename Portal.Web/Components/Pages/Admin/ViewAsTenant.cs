using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Tenancy;

namespace Portal.Web.Components.Pages.Admin;

/// <summary>
/// "View as tenant" (ADR-008): a platform admin opens the portal as one business's owner sees
/// it, with the owner's rights, under a banner, audited at start and exit. The choice is held in one
/// cookie, protected with ASP.NET Data Protection and bound to the admin's user id, valid for
/// <see cref="Lifetime"/>. <see cref="ViewAsClaimsTransformation"/> turns a valid cookie into two claims
/// on the admin's principal: <see cref="TenantClaim"/> (the one tenant the request and circuit resolve
/// to, so tenants never mix) and the <see cref="Roles.BusinessOwner"/> role (so the owner's pages open).
/// </summary>
public static class ViewAsTenant
{
    /// <summary>Cookie holding the protected choice.</summary>
    public const string CookieName = "Portal.ViewAs";

    /// <summary>Claim carrying the viewed tenant's id while viewing.</summary>
    public const string TenantClaim = "portal:view-as-tenant";

    /// <summary>How long one "view as" lasts before it ends by itself.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private const string Purpose = "Portal.Admin.ViewAs.v1";

    /// <summary>The viewed tenant when <paramref name="user"/> is a platform admin viewing as one, else null.</summary>
    public static Guid? TenantOf(ClaimsPrincipal user) =>
        MayViewAs(user) && Guid.TryParse(user.FindFirstValue(TenantClaim), out var id) ? id : null;

    /// <summary>Whether <paramref name="user"/> may hold a "view as": a platform admin, or an agency member (for its own clients, checked when it starts).</summary>
    public static bool MayViewAs(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.PlatformAdmin) || user.IsInRole(Roles.AgencyOwner) || user.IsInRole(Roles.AgencyStaff);
    }

    /// <summary>Maps <c>POST /admin/view-as/{tenantId}</c> (start, platform admins only) and <c>POST /admin/view-as/exit</c> (anyone who may view as, see <see cref="MayViewAs"/>), antiforgery-checked forms.</summary>
    public static IEndpointRouteBuilder MapViewAsTenantEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/view-as").RequireAuthorization();
        // Only someone who may hold a "view as" can end one; a business owner gets 403 like on every admin route.
        group.MapPost("/exit", ExitAsync).RequireAuthorization(p => p.RequireAssertion(c => MayViewAs(c.User)));
        group.MapPost("/{tenantId:guid}", StartAsync).RequireAuthorization(Policies.PlatformAdmin);
        return app;
    }

    /// <summary>Writes the protected cookie: <paramref name="userId"/> views <paramref name="tenantId"/> until <see cref="Lifetime"/> from <paramref name="now"/>. The caller has checked the right to and audited it.</summary>
    internal static void Issue(HttpContext http, IDataProtectionProvider dataProtection, Guid userId, Guid tenantId, DateTimeOffset now)
    {
        var expires = now + Lifetime;
        var payload = string.Create(CultureInfo.InvariantCulture, $"{userId}|{tenantId}|{expires.ToUnixTimeSeconds()}");
        http.Response.Cookies.Append(CookieName, dataProtection.CreateProtector(Purpose).Protect(payload), new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Strict, Path = "/", Expires = expires, IsEssential = true,
        });
    }

    /// <summary>Reads and checks the cookie: null unless it is intact, unexpired and issued to <paramref name="adminUserId"/>.</summary>
    internal static Guid? Read(IDataProtectionProvider dataProtection, string? cookie, Guid adminUserId, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        try
        {
            var parts = dataProtection.CreateProtector(Purpose).Unprotect(cookie).Split('|');
            return parts.Length == 3 && Guid.TryParse(parts[0], out var admin) && admin == adminUserId && Guid.TryParse(parts[1], out var tenant)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires) && now.ToUnixTimeSeconds() < expires
                ? tenant
                : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static async Task<IResult> StartAsync(Guid tenantId, [FromForm] string? returnUrl, HttpContext http, TenantAdministration tenants,
        AuditLog auditLog, IDataProtectionProvider dataProtection, TimeProvider clock)
    {
        if (await tenants.NameAsync(tenantId, http.RequestAborted) is not { } name)
        {
            return TypedResults.NotFound();
        }

        var actor = await auditLog.RequireActorAsync(http.RequestAborted);
        await auditLog.RecordAsync(AuditActions.TenantImpersonateStart, "Tenant", tenantId.ToString(), tenantId, new { name }, http.RequestAborted);
        Issue(http, dataProtection, actor.UserId, tenantId, clock.GetUtcNow());
        return TypedResults.LocalRedirect("~/");
    }

    private static async Task<IResult> ExitAsync(HttpContext http, [FromForm] string? returnUrl, AuditLog auditLog)
    {
        if (TenantOf(http.User) is { } tenantId)
        {
            await auditLog.RecordAsync(AuditActions.TenantImpersonateEnd, "Tenant", tenantId.ToString(), tenantId, null, http.RequestAborted);
        }

        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
        return TypedResults.LocalRedirect(http.User.IsInRole(Roles.PlatformAdmin) ? "~/admin/tenants" : "~/agency/clients");
    }
}

/// <summary>Adds the "view as" claims (<see cref="ViewAsTenant"/>) to a platform admin's principal holding a valid cookie. Runs on every authenticated request.</summary>
public sealed class ViewAsClaimsTransformation(IHttpContextAccessor httpContextAccessor, IDataProtectionProvider dataProtection, TimeProvider clock) : IClaimsTransformation
{
    /// <inheritdoc />
    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var cookie = httpContextAccessor.HttpContext?.Request.Cookies[ViewAsTenant.CookieName];
        if (cookie is null || !ViewAsTenant.MayViewAs(principal) || principal.HasClaim(c => c.Type == ViewAsTenant.TenantClaim)
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || ViewAsTenant.Read(dataProtection, cookie, userId, clock.GetUtcNow()) is not { } tenantId)
        {
            return Task.FromResult(principal);
        }

        var identity = new ClaimsIdentity(
            [new Claim(ViewAsTenant.TenantClaim, tenantId.ToString()), new Claim(ClaimTypes.Role, Roles.BusinessOwner)],
            "ViewAs");
        var viewing = principal.Clone();
        viewing.AddIdentity(identity);
        return Task.FromResult(viewing);
    }
}
