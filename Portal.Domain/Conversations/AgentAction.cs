namespace Portal.Domain.Conversations;

/// <summary>Kinds of side effect a turn had.</summary>
public enum AgentActionKind
{
    /// <summary>Booking created.</summary>
    BookingCreated,
    /// <summary>Booking rescheduled.</summary>
    BookingRescheduled,
    /// <summary>Booking cancelled.</summary>
    BookingCancelled,
    /// <summary>Message taken.</summary>
    MessageTaken,
    /// <summary>Transfer requested.</summary>
    TransferRequested,
    /// <summary>Conversation ended.</summary>
    ConversationEnded,
}

/// <summary>A side effect of a turn, returned to the channel (the voice channel dials a transfer, chat shows a card).</summary>
/// <param name="Kind">What happened.</param>
/// <param name="EntityId">Booking or message id, when there is one.</param>
/// <param name="Detail">Human-readable detail (e.g. the transfer number in E.164).</param>
public sealed record AgentAction(AgentActionKind Kind, Guid? EntityId = null, string? Detail = null);
