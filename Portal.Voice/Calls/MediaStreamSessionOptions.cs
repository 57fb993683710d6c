using Portal.Voice.Pipeline;

namespace Portal.Voice.Calls;

/// <summary>Timing and thresholds of a phone call.</summary>
public sealed record MediaStreamSessionOptions
{
    /// <summary>Silence after the agent finished speaking before a reprompt (8 s).</summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Reprompts before the polite hang-up: the call ends on the silence after the last one (3).</summary>
    public int MaxReprompts { get; init; } = 3;

    /// <summary>
    /// Frames sent ahead of real time (15 = 300 ms): the caller's jitter buffer at Twilio, so a pause of the server (a busy
    /// CPU, a garbage collection) or of the network shorter than this does not open a hole in the agent's speech. Twilio
    /// buffers outbound <c>media</c> and plays it in order; a barge-in's <c>clear</c> drops whatever is buffered, and what
    /// the caller heard is settled by marks, so the lead costs neither barge-in nor the stored text
    /// (https://www.twilio.com/docs/voice/media-streams/websocket-messages#send-a-clear-message). With 5 frames (100 ms) the
    /// load driver heard 66 holes in 200 calls on a busy machine, with 15 frames 26 (docs/benchmarks.md).
    /// </summary>
    public int LeadFrames { get; init; } = 15;

    /// <summary>Longest call; the agent then says goodbye and hangs up (default 15 min).</summary>
    public TimeSpan MaxCallLength { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Speech-to-text endpointing (silence threshold, dictation threshold, minimum speech).</summary>
    public CallerTurnOptions Turns { get; init; } = new();

    /// <summary>Caller turns with a recognizer confidence below this (0..1) are not trusted: the agent asks again (0.4).</summary>
    public double MinConfidence { get; init; } = 0.4;

    /// <summary>Consecutive low-confidence turns after which the call falls back to the keypad menu (2).</summary>
    public int LowConfidenceTurns { get; init; } = 2;

    /// <summary>Longest voice message recorded (2 min).</summary>
    public TimeSpan MaxRecording { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Silence after the caller spoke that ends a keypad voice message (3 s).</summary>
    public TimeSpan RecordingSilence { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Language asked of the speech-to-text provider (BCP 47).</summary>
    public string Language { get; init; } = "en-US";

    /// <summary>
    /// Time a socket has to send a valid <c>start</c> after it was accepted (10 s); after it, the socket is closed (policy
    /// violation), so unauthenticated or idle connections cannot be held open. Twilio sends <c>start</c> at once.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest time a started stream may send nothing at all (15 s) before it is closed: Twilio sends a media frame every
    /// 20 ms for the whole call, so a silent socket is a dead one.
    /// </summary>
    public TimeSpan SilentStreamTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
