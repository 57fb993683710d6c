using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;

namespace Portal.Web.Tenancy;

/// <summary>Looks up which tenant a signed-in user belongs to (from the user row, so a tenant created mid-session is seen at once).</summary>
public static class UserTenantLookup
{
    /// <summary>The tenant of <paramref name="user"/>, or null (anonymous, platform admin, owner before onboarding).</summary>
    public static async Task<Guid?> FindAsync(IDbContextFactory<PortalDbContext> factory, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        // An API key (Authorization: Bearer on /api/v1) carries its business.
        if (Accounts.ApiKeyAuthenticationHandler.TenantOf(user) is { } keyTenant)
        {
            return keyTenant;
        }

        if (user.Identity?.IsAuthenticated != true || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return null;
        }

        // A platform admin "viewing as" a business (bannered, audited; see ViewAsTenant) resolves to that one business.
        if (Components.Pages.Admin.ViewAsTenant.TenantOf(user) is { } viewed)
        {
            return viewed;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.TenantId).FirstOrDefaultAsync(cancellationToken);
    }
}

/// <summary>Fills <see cref="ITenantContext"/> for each HTTP request from the signed-in user.</summary>
public sealed class TenantResolutionMiddleware(RequestDelegate next)
{
    /// <summary>Resolves the tenant, then calls the next middleware.</summary>
    public async Task InvokeAsync(HttpContext context, ITenantContext tenant, IDbContextFactory<PortalDbContext> factory)
    {
        tenant.SetTenant(await UserTenantLookup.FindAsync(factory, context.User, context.RequestAborted));
        await next(context);
    }
}

/// <summary>
/// Fills <see cref="ITenantContext"/> for a Blazor Server circuit when it opens (before any
/// component renders) and again whenever the authentication state changes.
/// </summary>
public sealed class TenantCircuitHandler(AuthenticationStateProvider authentication, ITenantContext tenant, IDbContextFactory<PortalDbContext> factory) : CircuitHandler
{
    /// <inheritdoc />
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        tenant.SetTenant(await UserTenantLookup.FindAsync(factory, state.User, cancellationToken));
        authentication.AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    /// <inheritdoc />
    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        authentication.AuthenticationStateChanged -= OnAuthenticationStateChanged;
        return Task.CompletedTask;
    }

    private async void OnAuthenticationStateChanged(Task<AuthenticationState> task)
    {
        try
        {
            var state = await task;
            tenant.SetTenant(await UserTenantLookup.FindAsync(factory, state.User, CancellationToken.None));
        }
        catch (Exception)
        {
            // A failed lookup must never leave the previous user's tenant in place.
            tenant.SetTenant(null);
        }
    }
}

/// <summary>Pipeline registration.</summary>
public static class TenantResolutionExtensions
{
    /// <summary>Adds <see cref="TenantResolutionMiddleware"/> (after authentication).</summary>
    public static IApplicationBuilder UseTenantResolution(this IApplicationBuilder app) => app.UseMiddleware<TenantResolutionMiddleware>();
}
