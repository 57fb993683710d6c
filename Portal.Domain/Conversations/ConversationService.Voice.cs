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

    /// <summary>Forgets the per-conversation turn gate of an ended conversation (the orphaned-calls job calls it). Safe for unknown ids.</summary>
    public static void ForgetConversation(Guid conversationId) => Locks.TryRemove(conversationId, out _);
}
