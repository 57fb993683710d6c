using Portal.Data.Entities;
using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations;

// The contracts every dialogue engine shares (the offline engine in Conversations/Offline and the model engine in
// Portal.Llm): what a turn gets besides the utterance, and what the engine decided. They live beside IDialogueEngine,
// not in the offline engine's folder.

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
