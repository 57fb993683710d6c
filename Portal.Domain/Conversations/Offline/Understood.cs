using Portal.Data.Entities;
using Portal.Domain.Conversations.Answers;
using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Offline;

/// <summary>What the utterance says, extracted once per turn, read in the light of the dialogue so far.</summary>
/// <param name="Raw">The utterance.</param>
/// <param name="Intent">The intent as the dialogue reads it (a closing phrase that answers is an affirmation, a message remark in a booking is none).</param>
/// <param name="Temporal">Date and time asked for.</param>
/// <param name="Service">Service named.</param>
/// <param name="Name">The caller's name.</param>
/// <param name="Phone">A phone number (E.164).</param>
/// <param name="Provider">The staff member asked for ("Dr. Patel"), or null.</param>
/// <param name="StaffNote">True when the utterance is a remark for the staff made during a booking ("tell her I'll be late").</param>
internal sealed record Understood(
    string Raw,
    IntentResult Intent,
    TemporalMention? Temporal,
    ServiceMatch? Service,
    string? Name,
    string? Phone,
    string? Provider = null,
    bool StaffNote = false)
{
    /// <summary>The question's shape (yes/no, asks a price, asks whether booked), computed once per turn.</summary>
    public QuestionShape Shape { get; init; } = QuestionShape.Of(Raw);

    public bool HasSlotInfo => Temporal is not null || Service is not null;

    public bool Is(Intent intent) => Intent.Intent == intent || Intent.Secondary == intent;

    /// <summary>True for a yes that is not followed by a request: "yes", "sure, thanks" (not "great, can you book me in?").</summary>
    public bool IsBareYes => Intent.Intent == Understanding.Intent.Affirm;
}
