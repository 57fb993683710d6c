using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Portal.Web.LiveChat;

/// <summary>
/// Fixed-window limits of the widget (https://learn.microsoft.com/dotnet/api/system.threading.ratelimiting): messages per
/// visitor and per IP, connections per IP. Singleton; a refused request is not queued.
/// </summary>
public sealed class WidgetRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perVisitor;
    private readonly PartitionedRateLimiter<string> _perIp;
    private readonly PartitionedRateLimiter<string> _connections;

    /// <summary>Creates the limiters from <see cref="LiveChatOptions"/>.</summary>
    public WidgetRateLimits(IOptions<LiveChatOptions> options)
    {
        var o = options.Value;
        _perVisitor = Limiter(o.MessagesPerVisitorPerMinute);
        _perIp = Limiter(o.MessagesPerIpPerMinute);
        _connections = Limiter(o.ConnectionsPerIpPerMinute);
    }

    /// <summary>Takes one message permit for <paramref name="visitor"/> and one for <paramref name="ip"/>; false when either is exhausted.</summary>
    public bool TryMessage(string visitor, string ip)
    {
        using var byVisitor = _perVisitor.AttemptAcquire(visitor);
        if (!byVisitor.IsAcquired)
        {
            return false;
        }

        using var byIp = _perIp.AttemptAcquire(ip);
        return byIp.IsAcquired;
    }

    /// <summary>Takes one connection permit for <paramref name="ip"/>.</summary>
    public bool TryConnect(string ip)
    {
        using var lease = _connections.AttemptAcquire(ip);
        return lease.IsAcquired;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _perVisitor.Dispose();
        _perIp.Dispose();
        _connections.Dispose();
    }

    private static PartitionedRateLimiter<string> Limiter(int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
}
