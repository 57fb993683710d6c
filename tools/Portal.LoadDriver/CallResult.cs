namespace Portal.LoadDriver;

/// <summary>The agent's answer to <c>start</c> (the greeting) or to one caller step.</summary>
/// <param name="Step">"greeting", or the step's label (<c>say:…</c>, <c>dtmf:1</c>).</param>
/// <param name="LatencyMs">
/// For the greeting: <c>start</c> sent → first agent <c>media</c> frame received. For speech: last caller frame sent →
/// first agent frame. For a key press: <c>dtmf</c> sent → first agent frame. Null when no audio came.
/// </param>
/// <param name="AudioMs">Agent audio received for this answer, ms.</param>
/// <param name="Underruns">Underruns while this answer played (see <see cref="CallerPlayout"/>).</param>
public sealed record ReplyResult(string Step, double? LatencyMs, double AudioMs, int Underruns)
{
    /// <summary>True for a <c>dtmf:</c> step.</summary>
    public bool IsKeyPress => Step.StartsWith("dtmf:", StringComparison.Ordinal);

    /// <summary>True for a <c>say:</c> step.</summary>
    public bool IsSpeech => Step.StartsWith("say:", StringComparison.Ordinal);
}

/// <summary>What happened on one call of a load run. Times in ms on the driver's monotonic clock from the run's start.</summary>
public sealed record CallResult
{
    /// <summary>Call index, from 0.</summary>
    public required int Index { get; init; }

    /// <summary>The call's SID.</summary>
    public required string CallSid { get; init; }

    /// <summary>Why the call failed (webhook error, no stream, socket closed early, no answer in time, run deadline), or null.</summary>
    public string? Error { get; init; }

    /// <summary>When the webhook was sent.</summary>
    public double StartedAtMs { get; init; }

    /// <summary>When the call ended (stream closed, or failed).</summary>
    public double EndedAtMs { get; init; }

    /// <summary>Voice webhook POST → TwiML read, ms (null when it did not answer).</summary>
    public double? WebhookMs { get; init; }

    /// <summary>WebSocket upgrade of the <c>&lt;Stream&gt;</c> URL, ms.</summary>
    public double? ConnectMs { get; init; }

    /// <summary>The greeting, then one entry per script step reached.</summary>
    public IReadOnlyList<ReplyResult> Replies { get; init; } = [];

    /// <summary>Underruns in the middle of a sentence (see <see cref="CallerPlayout"/>).</summary>
    public int MidSentenceUnderruns { get; init; }

    /// <summary>Underruns between two sentences of one utterance.</summary>
    public int BetweenSentenceUnderruns { get; init; }

    /// <summary>All underruns.</summary>
    public int Underruns => MidSentenceUnderruns + BetweenSentenceUnderruns;

    /// <summary>Silence inside utterances caused by underruns, ms.</summary>
    public double UnderrunMs { get; init; }

    /// <summary>Agent <c>media</c> frames received.</summary>
    public long FramesReceived { get; init; }

    /// <summary>Agent frames received after their real-time slot.</summary>
    public long FramesLate { get; init; }

    /// <summary>Largest lateness of an agent frame, ms.</summary>
    public double MaxLateMs { get; init; }

    /// <summary>Caller <c>media</c> frames sent (20 ms each, silence included).</summary>
    public long FramesSent { get; init; }

    /// <summary>Marks echoed.</summary>
    public int MarksEchoed { get; init; }

    /// <summary><c>clear</c> messages received.</summary>
    public int Clears { get; init; }

    /// <summary>Messages from the server the driver could not read as outbound Media Streams messages.</summary>
    public int InvalidMessages { get; init; }

    /// <summary>Status callback POST → answer, ms (null when not sent or it failed).</summary>
    public double? StatusCallbackMs { get; init; }

    /// <summary>Why the status callback failed, or null.</summary>
    public string? StatusCallbackError { get; init; }

    /// <summary>The greeting's latency (null when none came).</summary>
    public double? GreetingMs => Replies.Count > 0 && Replies[0].Step == "greeting" ? Replies[0].LatencyMs : null;

    /// <summary>Agent audio received for the greeting, ms.</summary>
    public double GreetingAudioMs => Replies.Count > 0 && Replies[0].Step == "greeting" ? Replies[0].AudioMs : 0;
}
