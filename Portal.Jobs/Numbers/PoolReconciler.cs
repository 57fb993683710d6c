using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Audit;
using Portal.Domain.Notifications;
using Portal.Domain.Numbers;
using Portal.Telephony;

namespace Portal.Jobs.Numbers;

/// <summary>Counts of one reconciliation run.</summary>
/// <param name="ProviderNumbers">Numbers the provider account owns.</param>
/// <param name="PoolNumbers">Pool numbers of this provider that have a provider SID (the ones expected at the provider).</param>
/// <param name="Open">Findings open after the run.</param>
/// <param name="New">Findings first seen in this run (reported to admins).</param>
/// <param name="Resolved">Findings closed because the drift is gone.</param>
/// <param name="WebhooksChecked">False when no expected webhook URL is known (no <c>Telephony:PublicBaseUrl</c> and no purchase yet).</param>
public sealed record ReconciliationResult(int ProviderNumbers, int PoolNumbers, int Open, int New, int Resolved, bool WebhooksChecked);

/// <summary>
/// Compares the number pool with the numbers the provider account really owns and stores every
/// difference as a <see cref="PoolDriftFinding"/>: a pool number (with a provider SID, not Released)
/// the provider no longer has; a provider number the pool does not know; a number whose VoiceUrl or
/// StatusCallback is not Portal's. Pool rows without a SID (seeded sandbox numbers never bought) are
/// not expected at the provider. New findings are emailed to admins through the outbox; findings that
/// are no longer seen are resolved. <see cref="FixWebhookAsync"/> re-points one number (audited).
/// </summary>
public sealed class PoolReconciler(
    IDbContextFactory<PortalDbContext> contextFactory,
    ITelephonyProvider provider,
    PortalWebhookUrls webhookUrls,
    PlatformNotifier notifier,
    AuditLog auditLog,
    TimeProvider timeProvider,
    ILogger<PoolReconciler> logger)
{
    /// <summary>Runs one reconciliation. Safe to run twice: findings are keyed by (kind, number).</summary>
    /// <exception cref="TelephonyException">The provider's owned numbers could not be listed (nothing is changed).</exception>
    public async Task<ReconciliationResult> ReconcileAsync(CancellationToken cancellationToken)
    {
        var owned = await provider.ListOwnedAsync(cancellationToken);
        var expected = await webhookUrls.ExpectedAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var pool = await db.PhoneNumbers.AsNoTracking()
            .Where(p => p.Provider == provider.ProviderName && p.Status != PhoneNumberStatus.Released)
            .Select(p => new { p.Id, p.E164, p.ProviderSid })
            .ToListAsync(cancellationToken);
        var poolByE164 = pool.ToDictionary(p => p.E164, StringComparer.Ordinal);
        var ownedByE164 = owned.GroupBy(o => o.PhoneNumber, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var seen = new List<PoolDriftFinding>();
        foreach (var p in pool.Where(p => p.ProviderSid is not null && !ownedByE164.ContainsKey(p.E164)))
        {
            seen.Add(new PoolDriftFinding { Kind = DriftKind.MissingAtProvider, E164 = p.E164, ProviderSid = p.ProviderSid, PhoneNumberId = p.Id });
        }

        foreach (var o in owned)
        {
            poolByE164.TryGetValue(o.PhoneNumber, out var inPool);
            if (inPool is null)
            {
                seen.Add(new PoolDriftFinding
                {
                    Kind = DriftKind.MissingInPool, E164 = o.PhoneNumber, ProviderSid = o.ProviderSid,
                    ActualVoiceUrl = Clip(o.VoiceUrl?.AbsoluteUri), ActualStatusCallbackUrl = Clip(o.StatusCallbackUrl?.AbsoluteUri),
                });
            }
            else if (expected is not null && (o.VoiceUrl != expected.VoiceUrl || o.StatusCallbackUrl != expected.StatusCallbackUrl))
            {
                seen.Add(new PoolDriftFinding
                {
                    Kind = DriftKind.WrongWebhook, E164 = o.PhoneNumber, ProviderSid = o.ProviderSid, PhoneNumberId = inPool.Id,
                    ExpectedVoiceUrl = expected.VoiceUrl.AbsoluteUri, ActualVoiceUrl = Clip(o.VoiceUrl?.AbsoluteUri),
                    ExpectedStatusCallbackUrl = expected.StatusCallbackUrl.AbsoluteUri, ActualStatusCallbackUrl = Clip(o.StatusCallbackUrl?.AbsoluteUri),
                });
            }
        }

        var open = await db.PoolDriftFindings.Where(f => f.ResolvedAt == null).ToListAsync(cancellationToken);
        var openByKey = open.ToDictionary(f => (f.Kind, f.E164));
        var seenKeys = seen.Select(f => (f.Kind, f.E164)).ToHashSet();
        var fresh = new List<PoolDriftFinding>();
        foreach (var finding in seen)
        {
            if (openByKey.TryGetValue((finding.Kind, finding.E164), out var existing))
            {
                existing.LastSeenAt = now;
                existing.ProviderSid = finding.ProviderSid;
                existing.ActualVoiceUrl = finding.ActualVoiceUrl;
                existing.ActualStatusCallbackUrl = finding.ActualStatusCallbackUrl;
                existing.ExpectedVoiceUrl = finding.ExpectedVoiceUrl;
                existing.ExpectedStatusCallbackUrl = finding.ExpectedStatusCallbackUrl;
            }
            else
            {
                finding.DetectedAt = now;
                finding.LastSeenAt = now;
                db.PoolDriftFindings.Add(finding);
                fresh.Add(finding);
            }
        }

        var resolved = 0;
        foreach (var gone in open.Where(f => !seenKeys.Contains((f.Kind, f.E164))
            // Without an expected URL this run could not check webhooks: keep those findings open.
            && (expected is not null || f.Kind != DriftKind.WrongWebhook)))
        {
            gone.ResolvedAt = now;
            gone.Resolution = "No longer found by reconciliation.";
            resolved++;
        }

        await db.SaveChangesAsync(cancellationToken);
        if (fresh.Count > 0)
        {
            logger.LogWarning("Reconciliation found {Count} new pool drift findings", fresh.Count);
            await notifier.DriftReportAsync(fresh.Select(f => new DriftReportLine(f.Kind, f.E164, Describe(f))).ToList(), cancellationToken);
        }

        return new ReconciliationResult(owned.Count, pool.Count(p => p.ProviderSid is not null), seen.Count, fresh.Count, resolved, expected is not null);
    }

    /// <summary>
    /// Points the number of an open <see cref="DriftKind.WrongWebhook"/> finding back at Portal's
    /// expected URLs, resolves the finding and writes an audit entry. Platform admins only.
    /// </summary>
    /// <returns>NotFound for an unknown or already resolved finding; NotApplicable for another kind of finding or when no expected URL is known.</returns>
    /// <exception cref="UnauthorizedAccessException">The current user is not a platform admin.</exception>
    /// <exception cref="TelephonyException">The provider refused the update (the finding stays open).</exception>
    public async Task<AdminActionResult> FixWebhookAsync(Guid findingId, CancellationToken cancellationToken)
    {
        var actor = await auditLog.RequireActorAsync(cancellationToken);
        if (!actor.IsPlatformAdmin)
        {
            throw new UnauthorizedAccessException("Only platform admins fix pool drift.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var finding = await db.PoolDriftFindings.FirstOrDefaultAsync(f => f.Id == findingId && f.ResolvedAt == null, cancellationToken);
        if (finding is null)
        {
            return AdminActionResult.NotFound;
        }

        var expected = await webhookUrls.ExpectedAsync(cancellationToken);
        if (finding.Kind != DriftKind.WrongWebhook || finding.ProviderSid is null || expected is null)
        {
            return AdminActionResult.NotApplicable;
        }

        var updated = await provider.UpdateWebhooksAsync(finding.ProviderSid, expected.VoiceUrl, expected.StatusCallbackUrl, cancellationToken);
        finding.ResolvedAt = timeProvider.GetUtcNow();
        finding.Resolution = $"Webhooks re-pointed at Portal by {actor.Email}.";
        auditLog.Stage(db, actor, AuditActions.NumberFixWebhook, nameof(PhoneNumber), (finding.PhoneNumberId ?? Guid.Empty).ToString(), null, new
        {
            e164 = finding.E164,
            providerSid = finding.ProviderSid,
            fromVoiceUrl = finding.ActualVoiceUrl,
            fromStatusCallback = finding.ActualStatusCallbackUrl,
            toVoiceUrl = updated.VoiceUrl?.AbsoluteUri,
            toStatusCallback = updated.StatusCallbackUrl?.AbsoluteUri,
        });
        await db.SaveChangesAsync(cancellationToken);
        return AdminActionResult.Done;
    }

    /// <summary>One line for people about <paramref name="finding"/>.</summary>
    public static string Describe(PoolDriftFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Kind switch
        {
            DriftKind.MissingAtProvider => $"in the pool (SID {finding.ProviderSid}) but the provider account no longer owns it",
            DriftKind.MissingInPool => $"owned at the provider (SID {finding.ProviderSid}) but not in the pool",
            _ => $"voice webhook is {Show(finding.ActualVoiceUrl)} and status callback {Show(finding.ActualStatusCallbackUrl)}; expected {finding.ExpectedVoiceUrl} and {finding.ExpectedStatusCallbackUrl}",
        };
    }

    private static string Show(string? url) => string.IsNullOrEmpty(url) ? "(unset)" : url;

    private static string? Clip(string? url) => url is { Length: > PoolDriftFinding.UrlMaxLength } ? url[..PoolDriftFinding.UrlMaxLength] : url;
}
