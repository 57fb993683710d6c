using Portal.Data.Entities;
using Portal.Domain.Conversations.Offline;

namespace Portal.Domain.Conversations;

/// <summary>Names stored in <see cref="Turn.Engine"/>: which engine answered an agent turn.</summary>
public static class TurnEngines
{
    /// <summary>The language model answered.</summary>
    public const string Model = "model";

    /// <summary>The offline engine answered (no model configured, or the agent is offline-only).</summary>
    public const string Offline = "offline";

    /// <summary>The model path failed (or had failed earlier in the conversation) and the offline engine answered.</summary>
    public const string Fallback = "fallback";
}

/// <summary>Token usage and cost of one turn over every model request it made (tool round trips included).</summary>
/// <param name="Model">Model id that answered.</param>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Completion tokens.</param>
/// <param name="CostMicroUsd">Cost in micro-dollars (1e-6 USD) from the configured prices per 1M tokens, or null when the model has no price.</param>
public sealed record TurnUsage(string Model, int InputTokens, int OutputTokens, long? CostMicroUsd);

/// <summary>
/// One item of an engine's streamed answer: a text delta, or the final reply (always last, exactly once).
/// The final <see cref="DialogueReply.Text"/> is the whole reply (the concatenated deltas).
/// </summary>
/// <param name="Delta">Text to append to what the channel shows or speaks, or null.</param>
/// <param name="Reply">The completed reply, on the last item only.</param>
/// <param name="Usage">Model usage of the turn (last item, model engine only).</param>
public readonly record struct DialogueStreamItem(string? Delta, DialogueReply? Reply, TurnUsage? Usage);

/// <summary>
/// A conversation engine: takes one caller utterance and the <see cref="DialogueState"/> (mutated
/// in place, so another engine can continue from it) and streams the reply. Implemented by
/// <see cref="OfflineDialogueEngine"/> (one delta, the whole reply) and by the language-model engine
/// of Portal.Llm (token deltas).
/// </summary>
public interface IDialogueEngine
{
    /// <summary>Streams the reply to <paramref name="utterance"/>: zero or more deltas, then one item with <see cref="DialogueStreamItem.Reply"/>.</summary>
    IAsyncEnumerable<DialogueStreamItem> StreamAsync(DialogueContext context, DialogueState state, string utterance, CancellationToken cancellationToken);
}

/// <summary>
/// Picks the language-model engine for a turn. Registered by Portal.Llm; when absent, or when it
/// returns null (no provider configured, the persona is offline-only, the provider's circuit is
/// open), the offline engine answers.
/// </summary>
public interface IModelEngineSelector
{
    /// <summary>The model engine for a turn of <paramref name="agentPersonaId"/>'s conversation, or null for the offline engine.</summary>
    ValueTask<IDialogueEngine?> SelectAsync(DialogueContext context, Guid agentPersonaId, CancellationToken cancellationToken);
}

/// <summary>
/// Thrown by a model engine when the model cannot answer the turn (timeout, provider error, open
/// circuit, tool-call cap). The conversation service then lets the offline engine answer the same
/// utterance from the same state and marks the conversation as fallen back.
/// </summary>
public sealed class ModelUnavailableException : Exception
{
    /// <summary>Creates the exception with a short reason that contains no secret (it is stored on the conversation).</summary>
    public ModelUnavailableException(string reason, IReadOnlyList<AgentAction> actionsSoFar, ConversationOutcome? outcomeSoFar, bool textStreamed, Exception? inner = null)
        : base($"The language model is unavailable: {reason}", inner)
    {
        Reason = reason;
        ActionsSoFar = actionsSoFar;
        OutcomeSoFar = outcomeSoFar;
        TextStreamed = textStreamed;
    }

    /// <summary>Why ("timeout before first token", "circuit open", "HTTP 500"…).</summary>
    public string Reason { get; }

    /// <summary>Side effects tools already performed this turn (kept in the turn's result).</summary>
    public IReadOnlyList<AgentAction> ActionsSoFar { get; }

    /// <summary>Outcome the tools already settled this turn, if any.</summary>
    public ConversationOutcome? OutcomeSoFar { get; }

    /// <summary>True when some reply text had already been streamed to the channel (it must be discarded).</summary>
    public bool TextStreamed { get; }
}
