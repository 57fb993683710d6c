using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;
using Portal.Web.Endpoints;

namespace Portal.Web.Public;

/// <summary>Limits of the landing page's in-browser demo call (configuration section <c>PublicSite:DemoCall</c>).</summary>
public sealed class DemoCallOptions
{
    /// <summary>Demo calls one IP address may start per hour.</summary>
    public int CallsPerAddressPerHour { get; set; } = 5;

    /// <summary>Demo calls on the line at once, across all visitors (each runs recognition and synthesis on this machine).</summary>
    public int MaxConcurrent { get; set; } = 4;

    /// <summary>Longest demo call, seconds; the call is then ended politely by closing the socket.</summary>
    public int MaxDurationSeconds { get; set; } = 180;
}

/// <summary>Per-address and concurrent-call limits of the demo call (one per instance).</summary>
public sealed class DemoCallLimits(IOptions<DemoCallOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Value.CallsPerAddressPerHour),
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
        }));

    private readonly ConcurrencyLimiter _onTheLine = new(new ConcurrencyLimiterOptions { PermitLimit = Math.Max(1, options.Value.MaxConcurrent), QueueLimit = 0 });

    /// <summary>A lease for one demo call from <paramref name="address"/>, or null with the reason when a limit is reached.</summary>
    public (IDisposable? Lease, string? Refusal) TryStart(string address)
    {
        var call = _onTheLine.AttemptAcquire();
        if (!call.IsAcquired)
        {
            call.Dispose();
            return (null, "The demo line is busy. Please try again in a minute.");
        }

        using var perAddress = _perAddress.AttemptAcquire(address);
        if (!perAddress.IsAcquired)
        {
            call.Dispose();
            return (null, "You have tried the demo several times this hour. Create an account to keep talking to your own agent.");
        }

        return (call, null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _perAddress.Dispose();
        _onTheLine.Dispose();
    }
}

/// <summary>
/// <c>GET /demo/call</c>: the landing page's "call the demo agent" in the browser, for anonymous visitors. The same
/// browser call as an owner's (<see cref="BrowserCallRunner"/>), always against the seeded demo business
/// (<see cref="DemoLine.TenantAsync"/>, never chosen by the client), from this site's own pages only, within
/// <see cref="DemoCallOptions"/>. Its conversations are test conversations of the demo business.
/// </summary>
public static class DemoCallEndpoints
{
    /// <summary>Route of the demo call WebSocket.</summary>
    public const string Path = "/demo/call";

    /// <summary>Maps the route (anonymous).</summary>
    public static IEndpointRouteBuilder MapDemoCallEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, CallAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>400 unless a WebSocket request; 403 from another site's page; 404 when no demo is seeded; 429 past a limit.</summary>
    private static async Task<IResult> CallAsync(HttpContext context, DemoLine demo, DemoCallLimits limits, ITenantContext tenant, IOptions<DemoCallOptions> options)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.BadRequest();
        }

        if (!BrowserCallRunner.IsSameOrigin(context.Request))
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (await demo.TenantAsync(context.RequestAborted) is not { } demoTenant)
        {
            return TypedResults.NotFound();
        }

        var (lease, refusal) = limits.TryStart(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (lease is null)
        {
            return TypedResults.Problem(refusal, statusCode: StatusCodes.Status429TooManyRequests);
        }

        using (lease)
        {
            tenant.SetTenant(demoTenant);
            return await BrowserCallRunner.RunAsync(context, demoTenant, TimeSpan.FromSeconds(Math.Max(10, options.Value.MaxDurationSeconds)));
        }
    }
}
