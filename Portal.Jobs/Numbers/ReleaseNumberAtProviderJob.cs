using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Numbers;
using Portal.Telephony;

namespace Portal.Jobs.Numbers;

/// <summary>
/// Gives a retired number (<see cref="PhoneNumberStatus.Released"/>) back to the provider so the platform stops paying
/// for it: <see cref="ITelephonyProvider.ReleaseAsync"/> (Twilio <c>DELETE …/IncomingPhoneNumbers/{Sid}.json</c>), then
/// the row's <see cref="PhoneNumber.ProviderSid"/> is cleared, which is how the pool page tells "given back" from
/// "being given back". Idempotent: the provider treats an already-deleted number as released, and a row without a SID
/// (given back already, or a sandbox number never bought) is left alone. A failure is retried by Hangfire; until it
/// succeeds, reconciliation reports the number as owned at the provider but not in the pool.
/// </summary>
public sealed class ReleaseNumberAtProviderJob(IDbContextFactory<PortalDbContext> contexts, ITelephonyProvider provider, TimeProvider time, ILogger<ReleaseNumberAtProviderJob> logger)
{
    /// <summary>Releases the number at the provider; true when it was given back now, false when there was nothing to do.</summary>
    /// <exception cref="TelephonyException">The provider failed after its own retries (Hangfire retries the job).</exception>
    [AutomaticRetry(Attempts = 10)]
    public async Task<bool> RunAsync(Guid numberId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var number = await db.PhoneNumbers.FirstOrDefaultAsync(p => p.Id == numberId && p.Status == PhoneNumberStatus.Released, cancellationToken);
        if (number?.ProviderSid is not { } sid)
        {
            return false;
        }

        if (!string.Equals(number.Provider, provider.ProviderName, StringComparison.Ordinal))
        {
            logger.LogWarning("Number {E164} was bought from {Provider} but {Configured} is configured; not released", number.E164, number.Provider, provider.ProviderName);
            return false;
        }

        await provider.ReleaseAsync(sid, cancellationToken);
        number.ProviderSid = null;
        number.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Number {E164} given back to {Provider} ({Sid})", number.E164, provider.ProviderName, sid);
        return true;
    }
}

/// <summary>The pool page's "give back" action: retires the number in the pool (audited) and enqueues <see cref="ReleaseNumberAtProviderJob"/>.</summary>
public sealed class NumberRetirement(PoolAdministration pool, IBackgroundJobClient jobs)
{
    /// <summary>Retires the number (<see cref="PoolAdministration.RetireAsync"/>) and, when done, enqueues its release at the provider.</summary>
    /// <exception cref="UnauthorizedAccessException">The signed-in user is not a platform admin.</exception>
    public async Task<AdminActionResult> RetireAsync(Guid numberId, CancellationToken cancellationToken)
    {
        var result = await pool.RetireAsync(numberId, cancellationToken);
        if (result == AdminActionResult.Done)
        {
            jobs.Enqueue<ReleaseNumberAtProviderJob>(j => j.RunAsync(numberId, CancellationToken.None));
        }

        return result;
    }
}
