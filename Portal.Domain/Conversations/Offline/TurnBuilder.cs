using Portal.Data.Entities;
using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Offline;

/// <summary>Collects the reply text, actions and outcome of one turn of the offline engine.</summary>
/// <param name="intent">The intent the caller's utterance was read as.</param>
internal sealed class TurnBuilder(Intent intent)
{
    private Intent _intent = intent;

    private readonly List<string> _parts = [];
    private readonly List<AgentAction> _actions = [];
    private ConversationOutcome? _outcome;

    /// <summary>False once the turn has said it did not understand.</summary>
    public bool Understood { get; private set; } = true;

    /// <summary>The rest of a knowledge answer, offered to the caller.</summary>
    public string? More { get; set; }

    /// <summary>True when this turn answered a question.</summary>
    public bool IsAnswer => _outcome == ConversationOutcome.Answered;

    /// <summary>The reply so far.</summary>
    public string Text => string.Join(" ", _parts);

    /// <summary>Adds a sentence (or several) to the reply.</summary>
    public void Say(string text) => _parts.Add(text);

    /// <summary>Adds <paramref name="text"/> before the reply's closing question ("Would you like to book one?"), else at the end.</summary>
    public void SayBeforeQuestion(string text)
    {
        var last = _parts.Count > 0 ? _parts[^1] : "";
        var cut = last.EndsWith('?') ? last.LastIndexOfAny(['.', '!', '?'], last.Length - 2) : -1;
        if (cut < 0)
        {
            _parts.Add(text);
            return;
        }

        _parts[^1] = $"{last[..(cut + 1)]} {text} {last[(cut + 1)..].TrimStart()}";
    }

    /// <summary>Puts <paramref name="text"/> at the start of the reply.</summary>
    public void Prepend(string text) => _parts.Insert(0, text);

    /// <summary>True when the reply so far contains <paramref name="text"/>.</summary>
    public bool Mentions(string text) => _parts.Any(p => p.Contains(text, StringComparison.Ordinal));

    /// <summary>Records a side effect and, when given, the outcome it settles.</summary>
    public void Act(AgentAction action, ConversationOutcome? outcome)
    {
        _actions.Add(action);
        _outcome = outcome ?? _outcome;
    }

    /// <summary>Marks the turn as an answer unless it already settled another outcome.</summary>
    public void Answered() => _outcome ??= ConversationOutcome.Answered;

    /// <summary>Marks the turn as not understood.</summary>
    public void NotUnderstood() => Understood = false;

    /// <summary>Reports the turn as <paramref name="read"/> (the intent the dialogue acted on, e.g. a service and a day read as a booking).</summary>
    public void Reads(Intent read) => _intent = read;

    /// <summary>The finished reply.</summary>
    public DialogueReply Build() => new(string.Join(" ", _parts), _intent, _actions, _outcome);
}
