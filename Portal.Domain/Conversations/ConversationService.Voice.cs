using Microsoft.EntityFrameworkCore;
using Portal.Domain.Entities;

namespace Portal.Domain.Conversations;

/// <summary>What phone calls add to a conversation: barge-in truncation, voice figures, and forgetting ended calls.</summary>
public sealed partial class ConversationService
{
    /// <summary>
    /// Stores what the caller actually heard of the last agent turn after a barge-in, so the transcript and the
    /// engine's context hold only that. Serialized with the conversation's turns. Throws
    /// <see cref="KeyNotFoundException"/> when the conversation has no agent turn for the current tenant,
    /// <see cref="ArgumentException"/> for text over <see cref="Turn.TextMaxLength"/>.
    /// </summary>
    public async Task TruncateLastAgentTurnAsync(Guid conversationId, string heardText, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new KeyNotFoundException("Conversation not found.");
        var gate = Locks.GetOrAdd(conversationId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!await turnLog.TruncateLastAgentTurnAsync(tenantId, conversationId, heardText.Trim(), timeProvider.GetUtcNow(), cancellationToken))
            {
                throw new KeyNotFoundException("Conversation not found.");
            }
        }
        finally
        {
            gate.Release();
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

    /// <summary>Forgets the per-conversation turn gate of an ended conversation (the orphaned-calls job calls it). Safe for unknown ids.</summary>
    public static void ForgetConversation(Guid conversationId) => Locks.TryRemove(conversationId, out _);
}
