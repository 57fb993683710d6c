using Portal.Domain.LiveChat;

namespace Portal.Web.LiveChat;

/// <summary>
/// The widget's HTTP edge, ahead of routing, for every request under <see cref="HubPath"/>: the <c>agent</c> query parameter
/// names the widget (404 when unknown), the browser's <c>Origin</c> must be one of the business's allowed websites (403
/// otherwise, nothing else runs), allowed origins get CORS headers and their preflights a 204 (the CORS policy of the hub:
/// per business, so it lives here rather than in a static <c>AddCors</c> policy), and new connections are rate-limited per IP.
/// </summary>
public sealed class WidgetEdge(RequestDelegate next, WidgetRateLimits limits)
{
    /// <summary>Path of the widget's SignalR hub.</summary>
    public const string HubPath = "/widget/hub";

    /// <summary>Runs the checks, then the rest of the pipeline.</summary>
    public async Task InvokeAsync(HttpContext context, WidgetDirectory directory)
    {
        if (!context.Request.Path.StartsWithSegments(HubPath))
        {
            await next(context);
            return;
        }

        var widget = await directory.FindAsync(context.Request.Query["agent"].ToString(), context.RequestAborted);
        if (widget is null)
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, "No chat widget has this key.");
            return;
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (!IsAllowed(widget, context.Request))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "This website is not allowed to use this chat widget.");
            return;
        }

        var headers = context.Response.Headers;
        if (origin.Length > 0)
        {
            headers.AccessControlAllowOrigin = origin;
        }

        headers.Vary = "Origin";
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            headers.AccessControlAllowMethods = "GET, POST";
            headers.AccessControlAllowHeaders = "Content-Type, X-Requested-With, X-SignalR-User-Agent";
            headers.AccessControlMaxAge = "600";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var opening = context.Request.Path.Value!.EndsWith("/negotiate", StringComparison.Ordinal)
            || (string.Equals(context.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase) && !context.Request.Query.ContainsKey("id"));
        if (opening && !limits.TryConnect(ClientIp(context)))
        {
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, "Too many chat connections from this address. Please try again in a minute.");
            return;
        }

        await next(context);
    }

    /// <summary>
    /// True when the request may use <paramref name="widget"/>: its <c>Origin</c> is one of the business's allowed websites,
    /// or the request comes from Portal's own pages (the same origin as the request, or a same-origin request that sends no
    /// <c>Origin</c>, as a browser's same-origin GET does): the landing page's "try it in chat" embeds the demo business's
    /// widget. Only Portal serves pages on its own origin, so this lets no other website in.
    /// </summary>
    public static bool IsAllowed(WidgetInfo widget, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(widget);
        ArgumentNullException.ThrowIfNull(request);
        var origin = request.Headers.Origin.ToString();
        if (widget.Allows(origin))
        {
            return true;
        }

        if (origin.Length == 0)
        {
            return string.Equals(request.Headers["Sec-Fetch-Site"], "same-origin", StringComparison.Ordinal);
        }

        var own = WidgetOrigins.Normalize($"{request.Scheme}://{request.Host.Value}");
        return own is not null && string.Equals(WidgetOrigins.Normalize(origin), own, StringComparison.Ordinal);
    }

    /// <summary>The client's IP address as the server sees it (behind a proxy, configure forwarded headers).</summary>
    public static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message, context.RequestAborted);
    }

    /// <summary>Puts <see cref="WidgetEdge"/> at the very start of the pipeline.</summary>
    internal sealed class StartupFilter : IStartupFilter
    {
        /// <inheritdoc />
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<WidgetEdge>();
            next(app);
        };
    }
}
