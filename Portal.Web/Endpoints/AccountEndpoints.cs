using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Portal.Data.Identity;

namespace Portal.Web.Endpoints;

/// <summary>Account endpoints the static account pages post to.</summary>
public static class AccountEndpoints
{
    /// <summary>Maps <c>POST /Account/Logout</c>.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/Account/Logout", LogoutAsync);
        return app;
    }

    private static async Task<IResult> LogoutAsync(SignInManager<PortalUser> signInManager, UserManager<PortalUser> userManager, HttpContext context, [FromForm] string? returnUrl)
    {
        // A new security stamp ends this session everywhere: a copy of the cookie taken before logout stops
        // working at the next stamp validation (SecurityStampValidatorOptions.ValidationInterval).
        if (await userManager.GetUserAsync(context.User) is { } user)
        {
            await userManager.UpdateSecurityStampAsync(user);
        }

        await signInManager.SignOutAsync();
        return TypedResults.LocalRedirect("~/Account/Login");
    }
}
