using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Data.Identity;
using Portal.Domain.Audit;

namespace Portal.Web.Tenancy;

/// <summary>
/// <see cref="ICurrentUser"/> for the web: the circuit's authentication state (a Blazor Server
/// circuit has no live HttpContext), falling back to the request's user when no component has
/// set that state (minimal API endpoints).
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication, IHttpContextAccessor httpContextAccessor) : ICurrentUser
{
    /// <inheritdoc />
    public async Task<Actor?> GetAsync(CancellationToken cancellationToken)
    {
        ClaimsPrincipal? user;
        try
        {
            user = (await authentication.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException)
        {
            // No authentication state outside components: use the HTTP request's user.
            user = httpContextAccessor.HttpContext?.User;
        }

        if (user?.Identity?.IsAuthenticated != true || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            return null;
        }

        var email = user.FindFirstValue(ClaimTypes.Email) ?? user.Identity.Name ?? "";
        return new Actor(id, email, user.IsInRole(Roles.PlatformAdmin));
    }
}
