using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Understanding;

namespace Portal.Llm.Tools;

/// <summary>
/// What the tools of one model turn share: the turn's context, the <see cref="DialogueState"/> they
/// write (the same the offline engine reads, so a fallback continues), the side effects so far and
/// whether a confirmation was pending when the turn started (the only way a write can be confirmed).
/// </summary>
internal sealed class ToolSession(DialogueContext context, DialogueState state)
{
    private readonly List<AgentAction> _actions = [];

    /// <summary>The turn's context.</summary>
    public DialogueContext Context { get; } = context;

    /// <summary>The conversation's state, mutated by the tools.</summary>
    public DialogueState State { get; } = state;

    /// <summary>
    /// The confirmation the previous agent turn asked for (<see cref="PendingQuestion.Confirm"/> for
    /// a booking or move, <see cref="PendingQuestion.ConfirmCancel"/> for a cancellation), captured
    /// before this turn's tools ran: a <c>confirmed: true</c> write is accepted only against it.
    /// </summary>
    public PendingQuestion ConfirmationAtStart { get; } = state.Pending is PendingQuestion.Confirm or PendingQuestion.ConfirmCancel ? state.Pending : PendingQuestion.None;

    /// <summary>Set when a tool prepared a read-back this turn: the next turn may confirm it.</summary>
    public PendingQuestion ReadBackPrepared { get; set; }

    /// <summary>Side effects performed.</summary>
    public IReadOnlyList<AgentAction> Actions => _actions;

    /// <summary>Outcome settled this turn, if any.</summary>
    public ConversationOutcome? Outcome { get; private set; }

    /// <summary>The intent the turn is recorded under (from the tools used; Question by default).</summary>
    public Intent Intent { get; set; } = Intent.Question;

    /// <summary>Tool calls made so far this turn.</summary>
    public int ToolCalls { get; set; }

    /// <summary>Records a side effect and the outcome it settles.</summary>
    public void Act(AgentAction action, ConversationOutcome? outcome)
    {
        _actions.Add(action);
        Outcome = outcome ?? Outcome;
    }

    /// <summary>Marks the turn as answered (a fact or knowledge question) unless a stronger outcome is set.</summary>
    public void Answered() => Outcome ??= ConversationOutcome.Answered;

    /// <summary>
    /// Sets what the next turn waits for after the model's reply: the read-back prepared this turn,
    /// else no confirmation (a pending confirmation not read back again this turn lapses, so a later
    /// "yes" never confirms stale details).
    /// </summary>
    public void FinishTurn()
    {
        if (ReadBackPrepared != PendingQuestion.None)
        {
            State.Pending = ReadBackPrepared;
        }
        else if (State.Pending is PendingQuestion.Confirm or PendingQuestion.ConfirmCancel)
        {
            State.Pending = PendingQuestion.None;
        }
    }

    /// <summary>Business-local "today" of the turn.</summary>
    public DateOnly Today => Context.Today;

    /// <summary>Spoken form of a local start, relative to today ("tomorrow at 3 pm").</summary>
    public string Spoken(DateTime local) => SpokenFormat.When(local, Today);
}
