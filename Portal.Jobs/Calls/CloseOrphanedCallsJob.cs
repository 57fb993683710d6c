using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Calls;
using Portal.Domain.Conversations;
using Portal.Telephony;

namespace Portal.Jobs.Calls;

/// <summary>
/// Closes voice calls that broke off without an end (the instance serving them crashed, the stream vanished, the end was
/// never written), and settles agent turns whose playback was never confirmed. Every instance touches the calls it serves
/// every <see cref="CallLiveness.HeartbeatInterval"/> (the call pipeline's heartbeat), so a call untouched for
/// <see cref="CallLiveness.StaleAfter"/> has no live stream on any instance: the job runs every minute (and once at
/// startup) and closes those, whichever instance died. Each call's status and duration come from the provider's Calls API
/// where it has one (Twilio); a call the provider still reports live is left alone until it has been idle for
/// <see cref="IdleMinutes"/>. Otherwise the call is closed with <see cref="Conversation.EndReason"/> "Ended unexpectedly". A
/// settled outcome (a booking, a message, a transfer) is kept; an open or merely answered one becomes
/// <see cref="ConversationOutcome.Failed"/>. Turns stored "not yet heard" keep only the part the caller heard.
/// Safe to run twice, and on several instances at once: only open calls and pending turns are touched, conditionally.
/// </summary>
public sealed class CloseOrphanedCallsJob(
    IDbContextFactory<PortalDbContext> contextFactory,
    ITelephonyProvider telephony,
    TimeProvider timeProvider,
    IConfiguration configuration,
    ILogger<CloseOrphanedCallsJob> logger)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "calls:close-orphaned";

    /// <summary>Configuration key of the idle time after which a call the provider still reports live is closed, in minutes (default 30, above the 15-minute default call limit).</summary>
    public const string IdleMinutesKey = "Calls:OrphanedAfterMinutes";

    /// <summary>Stored as <see cref="Conversation.EndReason"/> when the provider cannot tell how the call ended.</summary>
    public const string EndedUnexpectedly = "Ended unexpectedly: the call's connection to the agent was lost (server restart or crash), and the provider has no record of how it ended.";

    /// <summary>Twilio's terminal call statuses (https://www.twilio.com/docs/voice/api/call-resource#call-status-values).</summary>
    private static readonly string?[] Terminal = [CallStatuses.Completed, CallStatuses.Busy, CallStatuses.NoAnswer, CallStatuses.Failed, CallStatuses.Canceled];

    /// <summary>
    /// Outcomes a broken call does not keep: nothing settled (in progress, or only questions answered). A booking, message,
    /// transfer or cancellation reached before the crash happened and stays.
    /// </summary>
    private static readonly ConversationOutcome[] Overridable = [ConversationOutcome.InProgress, ConversationOutcome.Abandoned, ConversationOutcome.Answered];

    /// <summary>An ended call's "not yet heard" turns are settled this long after its end (its session may still be finishing).</summary>
    private static readonly TimeSpan SettleGrace = TimeSpan.FromMinutes(1);

    /// <summary>Minutes without activity (no heartbeat, turn, status callback or other update) after which an open call the provider reports live is closed anyway.</summary>
    public int IdleMinutes => Math.Max(1, configuration.GetValue(IdleMinutesKey, 30));

    /// <summary>
    /// Closes orphaned calls and settles unconfirmed turns; returns how many calls were closed.
    /// </summary>
    /// <param name="openedBefore">
    /// Startup run: the process start (calls untouched since then are candidates too). Null (recurring run). Either way every
    /// open call without a heartbeat for <see cref="CallLiveness.StaleAfter"/> is a candidate.
    /// </param>
    /// <param name="cancellationToken">Cancels the run.</param>
    [AutomaticRetry(Attempts = 3)] // a transient database or provider error is the only expected failure; every write is conditional
    public async Task<int> RunAsync(DateTimeOffset? openedBefore, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var idleCutoff = now - TimeSpan.FromMinutes(IdleMinutes);
        // Not the process start: a call untouched since then may be live on another instance (its heartbeat is due soon).
        var cutoff = now - CallLiveness.StaleAfter;
        logger.LogDebug("Orphaned-calls run ({Run}): open calls untouched since {Cutoff}", openedBefore is null ? "recurring" : "startup", cutoff);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Cross-tenant sweep: the job runs outside any tenant and must see every business's calls.
        var stale = await db.Conversations.IgnoreQueryFilters()
            .Where(c => c.Channel == Channel.Voice && c.EndedAt == null && c.UpdatedAt < cutoff)
            .Select(c => new { c.Id, c.CallSid, c.UpdatedAt })
            .ToListAsync(cancellationToken);
        var closedIds = new List<Guid>();
        foreach (var call in stale)
        {
            var provider = await AskProviderAsync(call.CallSid, cancellationToken);
            if (provider is not null && !CallStatuses.IsTerminal(provider.Status) && call.UpdatedAt >= idleCutoff)
            {
                logger.LogInformation("Call {CallSid} left open: the provider reports it {CallStatus}", call.CallSid, provider.Status);
                continue; // live at the provider and not idle for long: let the provider's own end (status callback) close it
            }

            if (await CloseAsync(db, call.Id, provider, now, cancellationToken) == 1)
            {
                closedIds.Add(call.Id);
            }
        }

        var settled = await SettleUnheardTurnsAsync(db, closedIds, now, cancellationToken);
        logger.LogInformation("Closed {Count} orphaned calls; settled {Turns} agent turns never confirmed as heard", closedIds.Count, settled);
        return closedIds.Count;
    }

    /// <summary>The provider's view of the call; null when it has none (no CallSid, the sandbox, unknown call, or the API failed).</summary>
    private async Task<ProviderCall?> AskProviderAsync(string? callSid, CancellationToken ct)
    {
        if (callSid is null || !callSid.StartsWith("CA", StringComparison.Ordinal) || callSid.Length != 34)
        {
            return null; // browser test calls have no provider call
        }

        try
        {
            return await telephony.GetCallAsync(callSid, ct);
        }
        catch (Exception ex) when (ex is TelephonyException or ArgumentException)
        {
            logger.LogWarning(ex, "Call {CallSid}: the provider could not be asked how it ended", callSid);
            return null;
        }
    }

    private static async Task<int> CloseAsync(PortalDbContext db, Guid id, ProviderCall? provider, DateTimeOffset now, CancellationToken ct)
    {
        var open = db.Conversations.IgnoreQueryFilters().Where(c => c.Id == id && c.EndedAt == null);
        if (provider is not null && CallStatuses.IsTerminal(provider.Status))
        {
            var reason = $"Closed after the call's connection to the agent was lost; the provider reports it {provider.Status}.";
            return await open.ExecuteUpdateAsync(s => s
                .SetProperty(c => c.EndedAt, provider.EndTime ?? now)
                .SetProperty(c => c.CallStatus, provider.Status)
                .SetProperty(c => c.DurationSeconds, c => provider.DurationSeconds ?? c.DurationSeconds)
                .SetProperty(c => c.Outcome, c => Overridable.Contains(c.Outcome) ? ConversationOutcome.Failed : c.Outcome)
                .SetProperty(c => c.EndReason, reason)
                .SetProperty(c => c.UpdatedAt, now), ct);
        }

        // No provider record: a status that was never terminal ("ringing") would be false, so it is cleared.
        return await open.ExecuteUpdateAsync(s => s
            .SetProperty(c => c.EndedAt, now)
            .SetProperty(c => c.CallStatus, c => Terminal.Contains(c.CallStatus) ? c.CallStatus : null)
            .SetProperty(c => c.Outcome, c => Overridable.Contains(c.Outcome) ? ConversationOutcome.Failed : c.Outcome)
            .SetProperty(c => c.EndReason, EndedUnexpectedly)
            .SetProperty(c => c.UpdatedAt, now), ct);
    }

    /// <summary>
    /// Agent turns stored "not yet heard" whose call has ended (a crash left them): the text becomes the part the caller
    /// heard by marks (empty when none came back), marked interrupted when that is less than stored.
    /// </summary>
    private static Task<int> SettleUnheardTurnsAsync(PortalDbContext db, List<Guid> closedNow, DateTimeOffset now, CancellationToken ct)
    {
        var endedBefore = now - SettleGrace;
        return db.Turns.IgnoreQueryFilters()
            .Where(t => t.PlaybackPending
                && (closedNow.Contains(t.ConversationId)
                    || db.Conversations.IgnoreQueryFilters().Any(c => c.Id == t.ConversationId && c.EndedAt != null && c.EndedAt < endedBefore)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Interrupted, t => t.Interrupted || (t.HeardText ?? "") != t.Text)
                .SetProperty(t => t.Text, t => t.HeardText ?? "")
                .SetProperty(t => t.HeardText, (string?)null)
                .SetProperty(t => t.PlaybackPending, false)
                .SetProperty(t => t.UpdatedAt, now), ct);
    }
}
