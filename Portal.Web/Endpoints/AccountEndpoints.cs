using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Portal.Domain.Identity;

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

    private static async Task<IResult> LogoutAsync(SignInManager<PortalUser> signInManager, [FromForm] string? returnUrl)
    {
        await signInManager.SignOutAsync();
        return TypedResults.LocalRedirect("~/Account/Login");
    }
}
