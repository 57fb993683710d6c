using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Portal.Domain.Observability;
using Portal.Voice.Calls.Stages;
using Portal.Voice.Pipeline;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.Calls;

/// <summary>
/// One call over an <see cref="ICallTransport"/> (a Twilio Media Streams phone call, or the portal's browser test call):
/// the call loop. It wires the call's stages and runs them until the call ends; each stage owns one concern and its state,
/// and they pass typed events over channels, the way Pipecat and LiveKit Agents compose processors:
/// transport in → listening (voice activity, endpointing, barge-in) and recognition → the event channel → dialogue
/// (caller turns, keypad menu, consent, voice messages, watchdog prompts) → playback (sentences → synthesis one sentence
/// ahead → paced output with marks) → transport out; marks echoed back tell the heard-text stage what the caller heard.
/// See docs/architecture.md for the path of one caller utterance.
/// </summary>
/// <remarks>
/// Protocol: https://www.twilio.com/docs/voice/media-streams/websocket-messages. Threads: the transport-in stage runs on
/// the caller of <see cref="RunAsync"/>; the dialogue stage, the transcript reader, the watchdog and the reply being played
/// each run on their own task. Shared call state is guarded by one lock (<c>CallContext.Gate</c>).
/// </remarks>
public sealed class MediaStreamSession : IDisposable
{
    /// <summary>Largest WebSocket message accepted, in bytes (64 KiB); larger ones are skipped.</summary>
    public const int MaxFrameBytes = TwilioMediaStreamTransport.MaxFrameBytes;

    private readonly CallContext _call;
    private readonly IDisposable? _ownedTransport;
    private readonly ListeningStage _listening;
    private readonly VoiceMessageStage _recorder;
    private readonly HeardTextStage _heard;
    private readonly PlaybackStage _playback;
    private readonly DialogueStage _dialogue;
    private readonly CallLifetimeStage _lifetime;
    private readonly TransportInStage _inbound;

    /// <summary>Creates a session for one accepted Twilio Media Streams WebSocket.</summary>
    /// <param name="socket">The accepted Media Streams socket (owned by the session).</param>
    /// <param name="handler">The application side (database, engine).</param>
    /// <param name="speech">Cached phone audio (espeak-ng keyless synthesis, and cached prompts of a streaming provider).</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="options">Timing; null for the defaults.</param>
    /// <param name="speechToText">Recognizer; null serves the keypad menu only.</param>
    /// <param name="textToSpeech">Streaming synthesis for replies; null speaks through <paramref name="speech"/>.</param>
    public MediaStreamSession(WebSocket socket, IMediaCallHandler handler, PhoneSpeechCache speech, TimeProvider timeProvider, ILogger logger,
        MediaStreamSessionOptions? options = null, ISpeechToText? speechToText = null, IStreamingTextToSpeech? textToSpeech = null)
        : this(new TwilioMediaStreamTransport(socket), handler, speech, timeProvider, logger, options, speechToText, textToSpeech)
    {
        _ownedTransport = (TwilioMediaStreamTransport)_call.Transport;
    }

    /// <summary>Creates a session over any call wire (Twilio Media Streams, the browser test call).</summary>
    /// <param name="transport">The wire; the caller owns it.</param>
    /// <param name="handler">The application side (database, engine).</param>
    /// <param name="speech">Cached phone audio (espeak-ng keyless synthesis, and cached prompts of a streaming provider).</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="options">Timing; null for the defaults.</param>
    /// <param name="speechToText">Recognizer, opened in <see cref="ICallTransport.RecognizerFormat"/>; null serves the keypad menu only.</param>
    /// <param name="textToSpeech">Streaming synthesis for replies; null speaks through <paramref name="speech"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> is null.</exception>
    public MediaStreamSession(ICallTransport transport, IMediaCallHandler handler, PhoneSpeechCache speech, TimeProvider timeProvider, ILogger logger,
        MediaStreamSessionOptions? options = null, ISpeechToText? speechToText = null, IStreamingTextToSpeech? textToSpeech = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var call = _call = new CallContext(transport, handler, speech, timeProvider, logger, options ?? new MediaStreamSessionOptions(), speechToText, textToSpeech);
        _recorder = new VoiceMessageStage(call);
        _listening = new ListeningStage(call, _recorder);
        var recognition = new RecognitionStage(call, _listening);
        _heard = new HeardTextStage(call);
        var synthesis = new SentenceSynthesisStage(call, _heard);
        var output = new PacedOutputStage(call, _heard, _listening);
        _playback = new PlaybackStage(call, _heard, synthesis, output, _listening, _recorder);
        var consent = new ConsentStage(call, _playback);
        var keypad = new KeypadMenuStage(call, _playback, consent, _recorder);
        _dialogue = new DialogueStage(call, _listening, recognition, _playback, keypad, consent, _recorder);
        _lifetime = new CallLifetimeStage(call, _playback, recognition, _heard, _recorder);
        _inbound = new TransportInStage(call, _lifetime, _listening, _heard, new WatchdogStage(call, _listening, _recorder));
    }

    /// <summary>The stream's SID once <c>start</c> was accepted.</summary>
    public string? StreamSid => _call.StreamSid;

    /// <summary>True while the call is served by the keypad menu (no recognizer, it failed, or its confidence stayed low).</summary>
    public bool KeypadMode => Locked(() => _call.Keypad);

    /// <summary>True while endpointing waits for dictated data (the engine asked for a name, phone number, e-mail or message).</summary>
    public bool DictationActive => _listening.DictationActive;

    /// <summary>True while agent audio is being sent or its marks are outstanding (the caller may still be hearing it).</summary>
    public bool AgentSpeaking => Locked(() => _call.AgentAudible);

    /// <summary>
    /// How many recognizer transcript events (interim and final) the call has taken so far. Transcripts and media frames
    /// arrive on separate streams; diagnostics and tests use this to know a transcript has been applied.
    /// </summary>
    public long TranscriptsHandled => _listening.TranscriptsHandled;

    /// <summary>True while a voice message is being recorded.</summary>
    public bool IsRecording => Locked(() => _recorder.IsRecording);

    /// <summary>The figures of the last completed agent turn, or null.</summary>
    public Portal.Domain.Conversations.VoiceTurnMetrics? LastMetrics => _call.LastMetrics;

    /// <summary>Splits text into sentence chunks (each gets its own mark); see <see cref="SentenceSplitter"/>.</summary>
    /// <param name="text">Text to split.</param>
    /// <returns>The sentences.</returns>
    public static IReadOnlyList<string> Sentences(string text) => SentenceSplitter.Split(text);

    /// <summary>
    /// Runs the call until the peer stops it, the socket closes, the call is hung up or <paramref name="cancellationToken"/>
    /// fires. A socket without a valid <c>start</c> within <see cref="MediaStreamSessionOptions.StartTimeout"/>, or silent
    /// for <see cref="MediaStreamSessionOptions.SilentStreamTimeout"/>, is closed. The session always ends with a close
    /// frame (RFC 6455 §5.5.1), after <c>stop</c> too, and waits briefly for the peer's.
    /// </summary>
    /// <param name="cancellationToken">Ends the call (the request was aborted).</param>
    /// <returns>A task that completes when the call is over and its record closed.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _call.SessionCts = sessionCts;
        var ct = sessionCts.Token;
        using var logScope = _call.Logger.BeginScope(_call.LogScope); // filled in at the start; read when each line is written
        using var callActivity = _call.CallActivity = PortalTelemetry.Source.StartActivity("call");
        PortalTelemetry.ActiveCalls.Add(1);
        var startGuard = _lifetime.GuardStartAsync(ct);
        var dialogue = _dialogue.RunAsync(ct);
        try
        {
            await _inbound.RunAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (WebSocketException ex)
        {
            CallLog.SocketError(_call.Logger, _call.StreamSid, ex.Message);
        }
        finally
        {
            // Events that arrived before the end are still answered (briefly), then every stage stops.
            _call.Events.Writer.TryComplete();
            await WaitBrieflyAsync(dialogue);
            await sessionCts.CancelAsync();
            await CallContext.IgnoreCancellation(dialogue);
            await CallContext.IgnoreCancellation(startGuard);
            await _lifetime.FinishAsync(_inbound.Watchdog);
            await _lifetime.CloseWireAsync();
            PortalTelemetry.ActiveCalls.Add(-1);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ownedTransport?.Dispose();
        _playback.Dispose();
        _heard.Dispose();
    }

    private async Task WaitBrieflyAsync(Task task)
    {
        try
        {
            await task.WaitAsync(CallContext.CloseGrace, _call.Time);
        }
        catch (TimeoutException)
        {
        }
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_call.Gate)
        {
            return read();
        }
    }
}
