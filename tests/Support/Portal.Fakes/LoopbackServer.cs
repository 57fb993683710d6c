using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Fakes;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with an OS-chosen port, or a given one (WebSockets enabled), the host of every fake. Vendors are
/// faked at the wire (their documented HTTP and WebSocket protocols), so the production clients run unchanged against it.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The server's origin, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The same origin with the <c>ws</c> scheme.</summary>
    public Uri WebSocketBaseUrl => new UriBuilder(BaseUrl) { Scheme = "ws" }.Uri;

    /// <summary>Starts a server whose every request goes to <paramref name="handler"/>.</summary>
    /// <param name="handler">Request handler (routes by path itself).</param>
    /// <param name="port">TCP port on 127.0.0.1; 0 (the default) lets the OS choose a free one.</param>
    /// <returns>The started server.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 0..65535.</exception>
    public static async Task<LoopbackServer> StartAsync(RequestDelegate handler, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024 * 1024);
        var app = builder.Build();
        app.Urls.Add(FormattableString.Invariant($"http://127.0.0.1:{port}"));
        app.UseWebSockets();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackServer(app, new Uri(address));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
