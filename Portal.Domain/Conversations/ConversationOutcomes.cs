using Portal.Data.Entities;

namespace Portal.Domain.Conversations;

/// <summary>Which outcome wins when a conversation reaches several (a booking outranks an answered question).</summary>
public static class ConversationOutcomes
{
    /// <summary>The outcome's rank: higher wins (InProgress 0 … Booked 7).</summary>
    /// <param name="outcome">An outcome.</param>
    public static int Rank(ConversationOutcome outcome) => outcome switch
    {
        ConversationOutcome.InProgress => 0,
        ConversationOutcome.Abandoned => 1,
        ConversationOutcome.Answered => 2,
        ConversationOutcome.MessageTaken => 3,
        ConversationOutcome.Transferred => 4,
        ConversationOutcome.Cancelled => 5,
        ConversationOutcome.Rescheduled => 6,
        ConversationOutcome.Booked => 7,
        _ => 0,
    };

    /// <summary>The stronger of two outcomes, either of which may be missing (null when both are).</summary>
    public static ConversationOutcome? Stronger(ConversationOutcome? a, ConversationOutcome? b) =>
        a is null ? b : b is null ? a : Rank(a.Value) >= Rank(b.Value) ? a : b;
}
