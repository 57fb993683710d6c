using Portal.Web.LiveChat;

namespace Portal.Web.Endpoints;

/// <summary>The website chat widget's endpoints: the SignalR hub (WebSockets, long-polling fallback). <c>/widget.js</c> is a static asset.</summary>
public static class WidgetEndpoints
{
    /// <summary>Maps <see cref="WidgetHub"/> at <see cref="WidgetEdge.HubPath"/> (anonymous; <see cref="WidgetEdge"/> authorizes by origin).</summary>
    public static IEndpointRouteBuilder MapWidgetEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHub<WidgetHub>(WidgetEdge.HubPath, o =>
        {
            o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets | Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
            o.CloseOnAuthenticationExpiration = false;
        }).AllowAnonymous().DisableAntiforgery();
        return app;
    }
}
