using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Portal.Web.Accounts;

/// <summary>Sign-in rate limits (section <c>Accounts:SignIn</c>).</summary>
public sealed class SignInLimitOptions
{
    /// <summary>Sign-in, register and password-reset posts allowed per client IP per <see cref="PerIpWindowSeconds"/> (default 20).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int PerIpPermitLimit { get; set; } = 20;

    /// <summary>Window of the per-IP limit, in seconds (default 60).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 86_400)]
    public int PerIpWindowSeconds { get; set; } = 60;

    /// <summary>Password attempts allowed for one account from one IP per <see cref="PerAccountWindowSeconds"/> (default 5).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000)]
    public int PerAccountPermitLimit { get; set; } = 5;

    /// <summary>Window of the per-account limit, in seconds (default 300).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 86_400)]
    public int PerAccountWindowSeconds { get; set; } = 300;
}

/// <summary>Per-key limits of the public REST API (section <c>Accounts:ApiKeys</c>).</summary>
public sealed class ApiKeyLimitOptions
{
    /// <summary>Requests one API key may make per <see cref="WindowSeconds"/> (default 120); more get 429 with Retry-After.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 120;

    /// <summary>Window of <see cref="PermitLimit"/>, in seconds (default 60).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>
/// Per-account sign-in throttle keyed by (account, client IP). It replaces Identity's account lockout, which let
/// anyone lock anyone out with five wrong passwords: here a burst of guesses from one address only slows that
/// address for that account; the owner signing in from elsewhere is never affected. The partition key uses the
/// typed email whether or not such an account exists, so the throttle reveals nothing about which accounts exist.
/// Uses <see cref="PartitionedRateLimiter"/> from System.Threading.RateLimiting (the library behind ASP.NET Core's
/// rate-limiting middleware, https://learn.microsoft.com/aspnet/core/performance/rate-limit).
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    /// <summary>Creates the throttle from <see cref="SignInLimitOptions"/>.</summary>
    public SignInThrottle(IOptions<SignInLimitOptions> options)
    {
        var o = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = o.PerAccountPermitLimit,
            Window = TimeSpan.FromSeconds(o.PerAccountWindowSeconds),
            SegmentsPerWindow = 5,
            QueueLimit = 0,
        }));
    }

    /// <summary>Takes one attempt for <paramref name="email"/> from <paramref name="clientIp"/>.</summary>
    /// <param name="email">The email as typed; compared case-insensitively.</param>
    /// <param name="clientIp">The client's address, or null when unknown.</param>
    /// <returns>True when the attempt may go ahead; false when this address has used up its attempts for this account.</returns>
    public bool TryAcquire(string email, string? clientIp)
    {
        using var lease = _limiter.AttemptAcquire($"{email.Trim().ToUpperInvariant()}|{clientIp ?? "?"}");
        return lease.IsAcquired;
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
