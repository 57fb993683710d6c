using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Instances;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Conversations;

/// <summary>
/// What phone calls add to a conversation: opening a provider call idempotently, replies stored "not yet heard" and settled
/// by what the caller heard (marks), barge-in truncation, transfers, voice figures, and ends that were not normal. The
/// call's turns themselves go through <see cref="ConversationService.StreamVoiceTurnAsync"/>. Writes that settle a reply
/// take this process's gate of the conversation only: they come from the instance holding the call's media socket.
/// </summary>
public sealed class CallConversationService(
    ConversationService conversations,
    IDbContextFactory<PortalDbContext> contextFactory,
    TurnLog turnLog,
    ITenantContext tenantContext,
    TimeProvider timeProvider,
    ConversationTurnLocks turnLocks,
    Webhooks.IWebhookPublisher webhooks)
{
    /// <summary>
    /// Opens the voice conversation of a provider call for the current tenant, answered by
    /// <paramref name="agentPersonaId"/> (the agent the called number is assigned to). Idempotent on
    /// <see cref="VoiceCallDetails.CallSid"/>: a retried webhook gets the existing conversation back
    /// (<c>Created == false</c>, <see cref="StartedConversation.Ended"/> telling whether that call is over), also when two
    /// retries race (the unique CallSid index decides). The greeting turn is stored <see cref="Turn.PlaybackPending"/>.
    /// Throws <see cref="InvalidOperationException"/> when there is no current tenant, the agent is not
    /// the tenant's, or the CallSid already belongs to another tenant.
    /// </summary>
    public async Task<(StartedConversation Conversation, bool Created)> StartCallAsync(Guid agentPersonaId, VoiceCallDetails call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentException.ThrowIfNullOrWhiteSpace(call.CallSid);
        if (await FindCallAsync(call.CallSid, cancellationToken) is { } existing)
        {
            return (existing, false);
        }

        try
        {
            // The greeting is stored before the caller hears it: "not yet heard" until the stream's marks confirm it.
            var started = await conversations.StartCoreAsync(Channel.Voice, call.FromNumber, agentPersonaId, c =>
            {
                c.CallSid = call.CallSid;
                c.CallStatus = call.CallStatus;
                c.FromNumber = call.FromNumber;
                c.ToNumber = call.ToNumber;
                c.LastStatusAt = timeProvider.GetUtcNow();
            }, cancellationToken, greetingPending: true);
            await PublishCallStartedAsync(started.ConversationId, cancellationToken);
            return (started, true);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent retry of the same webhook inserted it first.
            return (await FindCallAsync(call.CallSid, cancellationToken)
                ?? throw new InvalidOperationException("The call belongs to another business.", ex), false);
        }
    }

    private async Task PublishCallStartedAsync(Guid conversationId, CancellationToken ct)
    {
        await using var db = await contextFactory.CreateDbContextAsync(ct);
        var call = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, ct);
        if (call is not null)
        {
            await webhooks.PublishAsync(call.TenantId, Webhooks.WebhookEventTypes.CallStarted, Webhooks.WebhookData.Call(call), ct);
        }
    }

    private async Task<StartedConversation?> FindCallAsync(string callSid, CancellationToken ct)
    {
        await using var db = await contextFactory.CreateDbContextAsync(ct);
        var found = await db.Conversations.AsNoTracking().Where(c => c.CallSid == callSid)
            .Select(c => new { c.Id, Ended = c.EndedAt != null, Greeting = c.Turns.Where(t => t.Sequence == 0).Select(t => t.Text).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        return found is null ? null : new StartedConversation(found.Id, found.Greeting ?? "") { Ended = found.Ended };
    }

    /// <summary>
    /// Records what the caller has heard of the last agent turn while it plays: <paramref name="complete"/> settles it as
    /// stored; otherwise <paramref name="heardText"/> (the sentences whose marks came back) is kept as its heard part.
    /// Only a turn still "not yet heard" changes. Serialized with the conversation's turns.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No current tenant.</exception>
    /// <exception cref="ArgumentException"><paramref name="heardText"/> is over <see cref="Turn.TextMaxLength"/>.</exception>
    public async Task RecordHeardAsync(Guid conversationId, string heardText, bool complete, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new KeyNotFoundException("Conversation not found.");
        await using (await turnLocks.AcquireLocalAsync(conversationId, cancellationToken))
        {
            await turnLog.RecordHeardAsync(tenantId, conversationId, heardText.Trim(), complete, timeProvider.GetUtcNow(), cancellationToken);
        }
    }

    /// <summary>
    /// Stores a hand-over to a person (the caller pressed 0 and the call was redirected): the caller's request and the
    /// agent's words as a turn pair, and the outcome <see cref="ConversationOutcome.Transferred"/> unless a stronger one
    /// (a booking) was reached earlier. Serialized with the conversation's turns.
    /// </summary>
    /// <param name="conversationId">The call's conversation (current tenant).</param>
    /// <param name="request">What the caller asked, as their turn's text.</param>
    /// <param name="agentText">What the agent said before the redirect, as heard.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="KeyNotFoundException">No such conversation for the current tenant.</exception>
    /// <exception cref="ConversationEndedException">The conversation has ended.</exception>
    public async Task RecordTransferAsync(Guid conversationId, string request, string agentText, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request);
        ArgumentNullException.ThrowIfNull(agentText);
        var tenantId = tenantContext.TenantId ?? throw new KeyNotFoundException("Conversation not found.");
        await using (await turnLocks.AcquireAsync(conversationId, cancellationToken))
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken)
                ?? throw new KeyNotFoundException("Conversation not found.");
            if (conversation.EndedAt is not null)
            {
                throw new ConversationEndedException();
            }

            var now = timeProvider.GetUtcNow();
            db.Turns.Add(new Turn
            {
                TenantId = tenantId, ConversationId = conversationId, Sequence = conversation.TurnCount, Speaker = Speaker.Customer,
                Text = request, Intent = Understanding.Intent.Human.ToString(), StartedAt = now, CompletedAt = now,
            });
            db.Turns.Add(new Turn
            {
                TenantId = tenantId, ConversationId = conversationId, Sequence = conversation.TurnCount + 1, Speaker = Speaker.Agent,
                Text = agentText.Trim(), StartedAt = now, CompletedAt = now, LatencyMs = 0, Engine = TurnEngines.Offline,
            });
            conversation.TurnCount += 2;
            if (ConversationOutcomes.Rank(ConversationOutcome.Transferred) >= ConversationOutcomes.Rank(conversation.Outcome))
            {
                conversation.Outcome = ConversationOutcome.Transferred;
            }

            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Ends a call that could not be served (a fault at stream start): the outcome becomes
    /// <see cref="ConversationOutcome.Failed"/> unless one was already reached, with <paramref name="reason"/> stored as its
    /// <see cref="Conversation.EndReason"/>. Idempotent: an ended conversation is left as it is.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such conversation for the current tenant.</exception>
    public async Task EndUnexpectedlyAsync(Guid conversationId, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var text = reason.Length > Conversation.EndReasonMaxLength ? reason[..Conversation.EndReasonMaxLength] : reason;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var ended = await db.Conversations.Where(c => c.Id == conversationId && c.EndedAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.EndedAt, now)
            .SetProperty(c => c.Outcome, c => c.Outcome == ConversationOutcome.InProgress ? ConversationOutcome.Failed : c.Outcome)
            .SetProperty(c => c.EndReason, text)
            .SetProperty(c => c.UpdatedAt, now), cancellationToken);
        if (ended == 0 && !await db.Conversations.AnyAsync(c => c.Id == conversationId, cancellationToken))
        {
            throw new KeyNotFoundException("Conversation not found.");
        }
    }

    /// <summary>
    /// Stores what the caller actually heard of the last agent turn after a barge-in or hang-up, so the transcript and the
    /// engine's context hold only that. Serialized with the conversation's turns. Throws
    /// <see cref="KeyNotFoundException"/> when the conversation has no agent turn for the current tenant,
    /// <see cref="ArgumentException"/> for text over <see cref="Turn.TextMaxLength"/>.
    /// </summary>
    public async Task TruncateLastAgentTurnAsync(Guid conversationId, string heardText, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new KeyNotFoundException("Conversation not found.");
        await using (await turnLocks.AcquireLocalAsync(conversationId, cancellationToken))
        {
            if (!await turnLog.TruncateLastAgentTurnAsync(tenantId, conversationId, heardText.Trim(), timeProvider.GetUtcNow(), cancellationToken))
            {
                throw new KeyNotFoundException("Conversation not found.");
            }
        }
    }

    /// <summary>Stores the confidence, audio spans and latency breakdown of the latest voice exchange (see <see cref="VoiceTurnMetrics"/>).</summary>
    public Task RecordVoiceMetricsAsync(Guid conversationId, VoiceTurnMetrics metrics, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new KeyNotFoundException("Conversation not found.");
        return turnLog.RecordVoiceMetricsAsync(tenantId, conversationId, metrics, timeProvider.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Counts one speech-synthesis failure on a call of the current tenant (the agent's voice could not speak; another voice
    /// did) and keeps <paramref name="reason"/> as the call's last one. One atomic UPDATE, so concurrent sentences of a call
    /// never lose a count. False when the conversation is not the current tenant's (nothing is written).
    /// </summary>
    /// <param name="conversationId">The call's conversation.</param>
    /// <param name="reason">What failed and what spoke instead (cut at <see cref="Conversation.SpeechFailureReasonMaxLength"/>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when counted.</returns>
    public async Task<bool> RecordSpeechFailureAsync(Guid conversationId, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (tenantContext.TenantId is null)
        {
            return false;
        }

        string stored = reason.Length <= Conversation.SpeechFailureReasonMaxLength ? reason : reason[..Conversation.SpeechFailureReasonMaxLength];
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // The tenant query filter keeps another tenant's conversation out of reach.
        return await db.Conversations.Where(c => c.Id == conversationId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.SpeechFailures, c => c.SpeechFailures + 1)
            .SetProperty(c => c.SpeechFailureReason, stored), cancellationToken) == 1;
    }
}
