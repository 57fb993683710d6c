using Portal.Domain.Conversations.Answers;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Entities;

namespace Portal.Domain.Conversations.Offline;

/// <summary>Inputs of one turn besides the utterance: who, where, when.</summary>
/// <param name="Profile">Business snapshot.</param>
/// <param name="ConversationId">Conversation id.</param>
/// <param name="Channel">Channel (voice wording is shorter and never uses lists).</param>
/// <param name="CallerPhone">Caller id (E.164) on voice, else null.</param>
/// <param name="NowLocal">Business-local wall clock at the start of the turn.</param>
/// <param name="AgentPersonaId">
/// The agent serving the conversation: knowledge limited to another agent is left out, knowledge shared by the whole
/// tenant (no agent) is always searched. Null when unknown: every document of the tenant is searched.
/// </param>
public sealed record DialogueContext(BusinessProfile Profile, Guid ConversationId, Channel Channel, string? CallerPhone, DateTime NowLocal, Guid? AgentPersonaId = null)
{
    /// <summary>Business-local today.</summary>
    public DateOnly Today => DateOnly.FromDateTime(NowLocal);
}

/// <summary>What the engine decided for one turn.</summary>
/// <param name="Text">The agent's reply.</param>
/// <param name="Intent">The recognised intent of the caller's utterance.</param>
/// <param name="Actions">Side effects performed.</param>
/// <param name="Outcome">New conversation outcome, when this turn settles one.</param>
public sealed record DialogueReply(string Text, Intent Intent, IReadOnlyList<AgentAction> Actions, ConversationOutcome? Outcome);

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
