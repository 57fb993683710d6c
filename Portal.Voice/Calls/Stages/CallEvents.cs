using Portal.Voice.Pipeline;

namespace Portal.Voice.Calls.Stages;

/// <summary>
/// A caller-side event for the dialogue stage, which takes them one at a time in arrival order from the call's event
/// channel (the way Pipecat and LiveKit Agents pass frames between processors). Written by the transport-in, listening,
/// recognition and watchdog stages; read only by <see cref="DialogueStage"/>.
/// </summary>
internal abstract record CallEvent;

/// <summary>The caller finished a spoken turn.</summary>
/// <param name="Utterance">The turn.</param>
/// <param name="FinalTimestamp">When its last final transcript arrived (<see cref="TimeProvider.GetTimestamp"/>), 0 if unknown.</param>
internal sealed record UtteranceEvent(CallerUtterance Utterance, long FinalTimestamp) : CallEvent;

/// <summary>The caller pressed a key (DTMF).</summary>
/// <param name="Digit">0-9, * or #.</param>
internal sealed record DigitEvent(string Digit) : CallEvent;

/// <summary>The caller talked over the agent: stop playback and send <c>clear</c>.</summary>
internal sealed record BargeInEvent : CallEvent;

/// <summary>A keypad voice message is complete (silence after speech, or the length limit).</summary>
internal sealed record VoiceMessageEndedEvent : CallEvent;

/// <summary>The recognizer failed or closed mid-call: continue on the keypad.</summary>
internal sealed record RecognizerLostEvent : CallEvent;

/// <summary>The watchdog's prompt (a reprompt or a goodbye).</summary>
/// <param name="Reply">What to say.</param>
/// <param name="SendClear">True to cut what is playing with a <c>clear</c>.</param>
internal sealed record WatchdogPromptEvent(AgentReply Reply, bool SendClear) : CallEvent;

/// <summary>What the agent says next: a fixed prompt, a stored turn streamed from the handler, or a transfer.</summary>
internal sealed record AgentReply
{
    /// <summary>The reply's text as it is produced (one segment for a prompt, the engine's tokens for a turn).</summary>
    public required Func<CancellationToken, IAsyncEnumerable<string>> Segments { get; init; }

    /// <summary>True for a conversation turn produced by the handler now (stored once complete, figures recorded).</summary>
    public bool FromHandler { get; init; }

    /// <summary>True when the reply's text (not its <see cref="Suffix"/>) is a stored agent turn, settled by what the caller heard.</summary>
    public bool Stored { get; init; }

    /// <summary>True for the greeting: a stored agent turn already (written when the call was answered).</summary>
    public bool IsGreeting { get; init; }

    /// <summary>Fixed text spoken after the reply (the keypad menu); not part of the stored turn.</summary>
    public string? Suffix { get; init; }

    /// <summary>The caller's turn this replies to, for the turn figures; null for keypad turns and prompts.</summary>
    public CallerUtterance? Utterance { get; init; }

    /// <summary>When the caller's final transcript arrived (timestamp), 0 for keypad turns.</summary>
    public long FinalTimestamp { get; init; }

    /// <summary>True to start a keypad voice message once the reply was heard whole.</summary>
    public bool StartRecordingAfter { get; init; }

    /// <summary>True to hang up once the reply was heard.</summary>
    public bool HangUpAfter { get; init; }

    /// <summary>Non-null for a transfer: the menu said when it fails.</summary>
    public string? Transfer { get; init; }

    public static AgentReply Prompt(string text) => new() { Segments = _ => One(text) };

    public static AgentReply Turn(Func<CancellationToken, IAsyncEnumerable<string>> segments, CallerUtterance? utterance, long finalTimestamp, string? suffix = null) =>
        new() { Segments = segments, FromHandler = true, Stored = true, Utterance = utterance, FinalTimestamp = finalTimestamp, Suffix = suffix };

    public static AgentReply Greeting(string greeting, string? suffix) =>
        new() { Segments = _ => One(greeting), Stored = true, IsGreeting = true, Suffix = suffix };

    public static AgentReply TransferCall(string menu) => new() { Segments = _ => One(""), Transfer = menu };

    private static async IAsyncEnumerable<string> One(string text)
    {
        await Task.CompletedTask;
        yield return text;
    }
}

/// <summary>One sentence of a reply on its way to the caller.</summary>
/// <param name="Text">The sentence.</param>
/// <param name="InTurn">True when it belongs to the reply's stored turn text (not a suffix).</param>
internal readonly record struct SentenceFrame(string Text, bool InTurn);

/// <summary>One sentence with its synthesis started.</summary>
/// <param name="Text">The sentence.</param>
/// <param name="InTurn">True when it belongs to the reply's stored turn text.</param>
/// <param name="Audio">Its μ-law 8 kHz audio as it is synthesized.</param>
internal readonly record struct SpeakableFrame(string Text, bool InTurn, IAsyncEnumerable<ReadOnlyMemory<byte>> Audio);

/// <summary>Timestamps (<see cref="TimeProvider.GetTimestamp"/>, 0 = not yet) and stream times (ms) of one reply.</summary>
internal sealed class ReplyTiming
{
    public long Dispatched { get; set; }

    public long FirstToken { get; set; }

    public long FirstByte { get; set; }

    public long FirstFrame { get; set; }

    public int? FirstFrameStreamMs { get; set; }

    public int? LastFrameStreamMs { get; set; }
}
