using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Portal.Domain.Brain.Mcp;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Web.Mcp.OAuth;

/// <summary>
/// The OAuth endpoints OpenIddict passes through (authorization, token) and dynamic client registration (RFC 7591). The
/// authorization endpoint sends a signed-out visitor to the sign-in page and back, a signed-in one to the consent page,
/// and turns the consent form's answer into a code bound to one business (ADR-025).
/// </summary>
public static class OAuthEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapOAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(OAuthSetup.AuthorizePath, (Func<HttpContext, Task<IResult>>)AuthorizeAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(OAuthSetup.AuthorizePath, ConsentAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(OAuthSetup.TokenPath, TokenAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapPost(OAuthSetup.RegisterPath, RegisterAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    /// <summary>GET: validated by OpenIddict; then sign-in (signed out) or the consent page (signed in).</summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (ResourceProblem(context, request) is { } problem)
        {
            return Refuse(Errors.InvalidTarget, problem);
        }

        var cookie = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!cookie.Succeeded)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "Sign in to Portal first.");
            }

            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + context.Request.QueryString }, [IdentityConstants.ApplicationScheme]);
        }

        return request.HasPromptValue(PromptValues.None)
            ? Refuse(Errors.ConsentRequired, "The owner must approve this app.")
            : Results.Redirect(context.Request.PathBase + OAuthSetup.ConsentPath + context.Request.QueryString);
    }

    /// <summary>
    /// POST from the consent page (antiforgery-checked: form parameters make minimal APIs require the token): deny, or a
    /// code for the chosen business and scopes. The form's own fields are bound one by one (a missing one is null; a
    /// record with a constructor would refuse a form without "AllowBooking"); the OAuth parameters ride along and are
    /// validated again by OpenIddict.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="decision">"allow" or "deny".</param>
    /// <param name="business">The chosen business's id.</param>
    /// <param name="allowBooking">"true" when the owner ticked "allow booking".</param>
    /// <param name="grants">Records the grant.</param>
    private static async Task<IResult> ConsentAsync(HttpContext context, [FromForm(Name = "Decision")] string? decision, [FromForm(Name = "Business")] string? business,
        [FromForm(Name = "AllowBooking")] string? allowBooking, McpOAuthGrantService grants)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var cookie = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!cookie.Succeeded || !Guid.TryParse(cookie.Principal!.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + OAuthSetup.AuthorizePath + QueryString.Create(request.GetParameters().Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString()))) }, [IdentityConstants.ApplicationScheme]);
        }

        if (ResourceProblem(context, request) is { } problem)
        {
            return Refuse(Errors.InvalidTarget, problem);
        }

        if (decision != "allow")
        {
            return Refuse(Errors.AccessDenied, "The owner denied access.");
        }

        if (!Guid.TryParse(business, out var tenantId))
        {
            return Refuse(Errors.AccessDenied, "No business was chosen.");
        }

        var scopes = ImmutableArray.Create(McpOAuthScopes.Read, Scopes.OfflineAccess);
        if (allowBooking == "true")
        {
            scopes = scopes.Add(McpOAuthScopes.Book);
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, userId.ToString())
            .SetClaim(Claims.Name, cookie.Principal.Identity?.Name ?? userId.ToString())
            .SetClaim(OAuthSetup.TenantClaim, tenantId.ToString());
        identity.SetScopes(scopes);
        identity.SetResources(OAuthSetup.ResourceUrl(context.Request));
        try
        {
            identity.SetAuthorizationId(await grants.GrantAsync(userId, tenantId, request.ClientId!, identity, scopes, context.RequestAborted));
        }
        catch (UnauthorizedAccessException ex)
        {
            return Refuse(Errors.AccessDenied, ex.Message);
        }

        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Code and refresh-token grants (OpenIddict has checked PKCE, reuse and expiry); a disconnected app gets invalid_grant.</summary>
    private static async Task<IResult> TokenAsync(HttpContext context, McpOAuthGrantService grants)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType())
        {
            return Refuse(Errors.UnsupportedGrantType, "Only authorization_code and refresh_token are supported.");
        }

        var principal = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        if (principal is null || !Guid.TryParse(principal.GetClaim(OAuthSetup.TenantClaim), out var tenantId) || principal.GetAuthorizationId() is not { } authorizationId
            || !await grants.IsActiveAsync(authorizationId, tenantId, context.RequestAborted))
        {
            return Refuse(Errors.InvalidGrant, "The app was disconnected from this business.");
        }

        var identity = new ClaimsIdentity(principal.Claims, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>RFC 7591 §3: 201 with the client's metadata, or 400 with <c>invalid_redirect_uri</c> / <c>invalid_client_metadata</c>.</summary>
    private static async Task<IResult> RegisterAsync(HttpContext context, McpClientRegistration registration, ILoggerFactory loggers)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return Results.Json(new { error = "invalid_client_metadata", error_description = "The body must be JSON." }, statusCode: StatusCodes.Status400BadRequest);
        }

        context.Response.Headers.CacheControl = "no-store";
        var result = await registration.RegisterAsync(body, context.RequestAborted);
        if (result.Client is null)
        {
            // The metadata a refused client sent (a registration request carries no secret), to see what real MCP clients send.
            var raw = body.GetRawText();
            loggers.CreateLogger(typeof(OAuthEndpoints)).LogWarning("Client registration refused ({Error}: {Description}); metadata: {Metadata}",
                result.Error, result.Description, raw.Length > 2000 ? raw[..2000] : raw);
        }

        return result.Client is not null
            ? Results.Json(result.Client, statusCode: StatusCodes.Status201Created)
            : Results.Json(new { error = result.Error, error_description = result.Description }, statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>Null when the request names this host's <c>/mcp</c> resource (or none, which means it); else why not.</summary>
    private static string? ResourceProblem(HttpContext context, OpenIddictRequest request)
    {
        var resources = request.GetResources();
        var ours = OAuthSetup.ResourceUrl(context.Request);
        return resources.IsDefaultOrEmpty || resources.All(r => string.Equals(r.TrimEnd('/'), ours, StringComparison.Ordinal))
            ? null
            : $"This server issues tokens only for the resource {ours}.";
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
