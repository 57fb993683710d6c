using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;
using Portal.Voice.Calls;

namespace Portal.Web.Endpoints;

/// <summary>
/// "Call your agent" from the browser: the owner's microphone over a WebSocket into the same
/// <see cref="MediaStreamSession"/> that answers phone calls (turn-taking, endpointing, barge-in, the conversation),
/// through <see cref="BrowserCallTransport"/> (the wire protocol is documented there) and <see cref="BrowserCallRunner"/>.
/// </summary>
public static class BrowserCallEndpoints
{
    /// <summary>Route of the browser call WebSocket.</summary>
    public const string Path = "/api/v1/browser-call";

    /// <summary>Maps <c>GET /api/v1/browser-call</c> (WebSocket upgrade), for signed-in business users.</summary>
    public static IEndpointRouteBuilder MapBrowserCallEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, CallAsync).WithTags("Calls").RequireAuthorization(Policies.BusinessUser).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// 400 unless a WebSocket request; 403 when the upgrade comes from another site's page (<c>Origin</c> is not this
    /// host: cross-site WebSocket hijacking) or the user has no business; otherwise the call of the signed-in user's
    /// tenant and agent (never chosen by the client), run by <see cref="BrowserCallRunner.RunAsync"/>.
    /// </summary>
    private static async Task<IResult> CallAsync(HttpContext context, ITenantContext tenant)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.BadRequest();
        }

        if (!BrowserCallRunner.IsSameOrigin(context.Request) || tenant.TenantId is not { } tenantId)
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        return await BrowserCallRunner.RunAsync(context, tenantId, maxDuration: null);
    }
}
