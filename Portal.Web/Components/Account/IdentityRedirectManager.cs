using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Account;

/// <summary>Redirects from static server-rendered account pages, refusing open redirects.</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public void RedirectTo(string? uri)
    {
        // Only local paths: an absolute, protocol-relative or scheme URL becomes "/" (never an exception, never another site).
        navigationManager.NavigateTo(Portal.Web.Accounts.SafeReturnUrl.Normalize(uri));
    }
}
