using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Portal.Voice.Pipeline;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.Calls.Stages;

/// <summary>Whether the caller was asked for recording consent, and the answer.</summary>
internal enum ConsentState
{
    NotNeeded,
    Awaiting,
    Given,
    Declined,
}

/// <summary>
/// What the stages of one call share: the wire, the application side, the clock, the caller-event channel, what is out
/// on the wire (<see cref="Tracker"/>), and the call's small lifecycle state. Mutable state is read and written under
/// <see cref="Gate"/>; each stage keeps its own state to itself.
/// </summary>
internal sealed class CallContext(
    ICallTransport transport,
    IMediaCallHandler handler,
    PhoneSpeechCache speech,
    TimeProvider time,
    ILogger logger,
    MediaStreamSessionOptions options,
    ISpeechToText? speechToText,
    IStreamingTextToSpeech? textToSpeech)
{
    /// <summary>How long a peer gets to answer our close frame.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    public ICallTransport Transport { get; } = transport;

    public IMediaCallHandler Handler { get; } = handler;

    public PhoneSpeechCache Speech { get; } = speech;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    public MediaStreamSessionOptions Options { get; } = options;

    public ISpeechToText? SpeechToText { get; } = speechToText;

    public IStreamingTextToSpeech? TextToSpeech { get; } = textToSpeech;

    /// <summary>Guards the call's mutable state (stages' detectors included).</summary>
    public Lock Gate { get; } = new();

    /// <summary>Agent audio chunks sent and their marks (what is still playing, what was heard).</summary>
    public PlaybackTracker Tracker { get; } = new();

    /// <summary>Caller events for the dialogue stage, in arrival order.</summary>
    public Channel<CallEvent> Events { get; } = Channel.CreateUnbounded<CallEvent>(new UnboundedChannelOptions { SingleReader = true });

    public CancellationTokenSource? SessionCts { get; set; }

    public string? StreamSid { get; set; }

    public MediaCallSetup? Setup { get; set; }

    public long StartTimestamp { get; set; }

    /// <summary>Last caller activity or end of agent audio (silence timer); under <see cref="Gate"/>.</summary>
    public DateTimeOffset IdleSince { get; set; }

    /// <summary>Last inbound message of any kind (silent-stream timer); under <see cref="Gate"/>.</summary>
    public DateTimeOffset LastInbound { get; set; }

    /// <summary>True while the keypad menu serves the call; under <see cref="Gate"/>.</summary>
    public bool Keypad { get; set; } = true;

    /// <summary>True while a reply is being produced or sent; under <see cref="Gate"/>.</summary>
    public bool Playing { get; set; }

    public ConsentState Consent { get; set; }

    public bool HungUp { get; set; }

    public bool HangingUp { get; set; }

    public bool StartReceived { get; set; }

    public bool StartFailed { get; set; }

    public bool PeerClosed { get; set; }

    /// <summary>The figures of the last completed agent turn, or null.</summary>
    public Portal.Domain.Conversations.VoiceTurnMetrics? LastMetrics { get; set; }

    /// <summary>The <c>call</c> span (null when nobody listens to the Portal source); turn spans are its children.</summary>
    public Activity? CallActivity { get; set; }

    /// <summary>The call's log scope (CallSid, tenant, conversation), filled in when the call starts.</summary>
    public CallLogScope LogScope { get; } = new();

    /// <summary>Unanswered reprompts in a row.</summary>
    public int Reprompts { get; set; }

    /// <summary>True while agent audio is being sent or its marks are outstanding (under <see cref="Gate"/>).</summary>
    public bool AgentAudible => Playing || Tracker.IsSpeaking;

    /// <summary>True when recording is on for the agent and the caller did not decline.</summary>
    public bool RecordingAllowed => Setup is { RecordingEnabled: true } && Consent is ConsentState.NotNeeded or ConsentState.Given;

    /// <summary>Milliseconds since the stream started.</summary>
    public int StreamMs() => (int)Time.GetElapsedTime(StartTimestamp).TotalMilliseconds;

    /// <summary>Restarts the silence timer (under <see cref="Gate"/>).</summary>
    public void Touch() => IdleSince = Time.GetUtcNow();

    /// <summary>Hands a caller event to the dialogue stage (never blocks; dropped after the call ended).</summary>
    public void Post(CallEvent e) => Events.Writer.TryWrite(e);

    /// <summary>Awaits <paramref name="task"/>, ignoring its cancellation or a socket that went away.</summary>
    public static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
    }
}
