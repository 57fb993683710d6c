using Hangfire;
using Microsoft.Extensions.Logging;
using Portal.Domain.Numbers;

namespace Portal.Jobs.Numbers;

/// <summary>Frees pool numbers whose onboarding reservation expired (the owner abandoned the wizard). Safe to run twice.</summary>
public sealed class ReleaseExpiredReservationsJob(NumberPool pool, ILogger<ReleaseExpiredReservationsJob> logger)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "numbers:release-expired-reservations";

    /// <summary>Releases expired reservations; returns how many.</summary>
    [AutomaticRetry(Attempts = 3)] // a transient database error is the only expected failure; the update is idempotent
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var released = await pool.ReleaseExpiredAsync(cancellationToken);
        if (released > 0)
        {
            logger.LogInformation("Released {Count} expired number reservations", released);
        }

        return released;
    }
}
