using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Portal.Voice.Audio;
using Portal.Voice.Pipeline;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls;

/// <summary>
/// One call over an <see cref="ICallTransport"/>: a Twilio Media Streams phone call, or the portal's browser test call
/// (<see cref="BrowserCallTransport"/>), both through the same pipeline. With a speech-to-text provider the call is spoken: inbound audio goes to the
/// recognizer, <see cref="CallerTurnDetector"/> decides when the caller's turn is over (longer while they dictate), the
/// turn goes to <see cref="IMediaCallHandler"/> and the reply comes back as streamed text, cut into sentences by
/// <see cref="SentenceSplitter"/> and spoken one sentence at a time (streaming text-to-speech when configured), so the
/// first audio leaves before the reply is complete. The caller can talk over the agent (barge-in: <c>clear</c>, and the
/// stored agent turn keeps only what was heard, counted by echoed marks); backchannels do not interrupt. Without a
/// recognizer, or when its confidence stays low, a keypad menu serves (1 hours, 2 address, 3 message, 0 transfer).
/// Also: silence reprompts then a polite hang-up, a maximum call length, recording consent with AI disclosure, and voice
/// messages recorded as WAV.
/// </summary>
/// <remarks>
/// Protocol: protocols.md §2 (https://www.twilio.com/docs/voice/media-streams/websocket-messages). Threads: the
/// receive loop runs on the caller of <see cref="RunAsync"/>; transcripts arrive on a reader task; one playback task at a
/// time speaks (it is cancelled and awaited before the next starts); a watchdog handles silence and the time limit.
/// Caller events (utterances, digits, barge-ins, watchdog actions) are serialized by one semaphore; sends by another (a
/// WebSocket allows one send at a time); pipeline state is guarded by a lock.
/// </remarks>
public sealed partial class MediaStreamSession : IDisposable
{
    /// <summary>Largest WebSocket message accepted, in bytes (64 KiB); larger ones are skipped.</summary>
    public const int MaxFrameBytes = TwilioMediaStreamTransport.MaxFrameBytes;

    /// <summary>The keypad menu.</summary>
    public const string Menu = "Press 1 to hear our opening hours, 2 for our address, 3 to leave a message, 0 to speak to someone.";

    /// <summary>Utterance sent as the caller's turn for digit 1.</summary>
    public const string HoursQuestion = "What are your hours?";

    /// <summary>Utterance sent as the caller's turn for digit 2.</summary>
    public const string AddressQuestion = "Where are you located?";

    /// <summary>Said before a reprompt.</summary>
    public const string RepromptPrefix = "Sorry, I didn't catch that.";

    /// <summary>Said after <see cref="RepromptPrefix"/> when the call is spoken (not keypad).</summary>
    public const string SpeechReprompt = "Could you say that again?";

    /// <summary>Said when the recognizer's confidence stayed low, before the menu.</summary>
    public const string KeypadFallback = "I'm having trouble hearing you, so let's use the keypad.";

    /// <summary>Said before hanging up after the last unanswered reprompt.</summary>
    public const string NoInputGoodbye = "I haven't heard anything, so I'll hang up now. Thanks for calling, goodbye.";

    /// <summary>Said when the call reaches its maximum length, before hanging up.</summary>
    public const string TimeLimitGoodbye = "We've reached the time limit for this call. Thank you for calling, goodbye.";

    /// <summary>Said for digit 3 when recording is not allowed (off for the agent, or the caller declined).</summary>
    public const string MessagesUnavailable = "Sorry, voice messages are not available on this call.";

    /// <summary>Said for digit 3 before recording.</summary>
    public const string MessagePrompt = "Please leave your message now, and press the pound key or stop talking when you are done.";

    /// <summary>Said once a voice message is stored.</summary>
    public const string MessageSaved = "Thank you, your message has been recorded.";

    /// <summary>AI disclosure and consent question, asked first when recording is on and the caller's state needs all-party consent (seed 001 §1.9.1).</summary>
    public const string ConsentPrompt = "Before we begin, please know that I'm an AI assistant, and this call may be recorded. Do you consent to being recorded? Please say yes or no, or press 1 for yes or 2 for no.";

    /// <summary>Said after a yes to <see cref="ConsentPrompt"/>.</summary>
    public const string ConsentGiven = "Thank you.";

    /// <summary>Said after a no to <see cref="ConsentPrompt"/>.</summary>
    public const string ConsentDeclined = "No problem, nothing will be recorded.";

    /// <summary>Said after the consent answer on a spoken call.</summary>
    public const string HowCanIHelp = "How can I help you today?";

    /// <summary>Said before a transfer.</summary>
    public const string TransferPrompt = "Please hold while I connect you.";

    /// <summary>Said when no transfer is possible.</summary>
    public const string TransferUnavailable = "Sorry, no one is available to take your call right now.";

    /// <summary>Said for a digit the menu does not use.</summary>
    public const string UnknownDigit = "Sorry, that is not an option.";

    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly ICallTransport _transport;
    private readonly IDisposable? _ownedTransport;
    private readonly IMediaCallHandler _handler;
    private readonly PhoneSpeechCache _speech;
    private readonly ISpeechToText? _speechToText;
    private readonly IStreamingTextToSpeech? _textToSpeech;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MediaStreamSessionOptions _options;
    private readonly SemaphoreSlim _playbackLock = new(1, 1); // the receive loop, the transcript reader and the watchdog all start playback
    private readonly SemaphoreSlim _actions = new(1, 1);
    private readonly Lock _gate = new();
    private readonly PlaybackTracker _tracker = new();
    private readonly VoiceActivityDetector _vad = new();
    private readonly BargeInDetector _bargeIn = new();
    private readonly CallerTurnDetector _turns;

    private string? _streamSid;
    private MediaCallSetup? _setup;
    private ISpeechToTextStream? _recognizer;
    private Task _transcripts = Task.CompletedTask;
    private CancellationTokenSource? _sessionCts;
    private long _startTimestamp;
    private DateTimeOffset _idleSince;
    private int _reprompts;
    private int _lowConfidence;
    private bool _keypad = true;
    private long _transcriptsHandled;
    private ConsentState _consent;
    private int _consentAsks;
    private bool _hungUp;
    private bool _hangingUp;
    private bool _startReceived;
    private bool _startFailed;
    private bool _peerClosed;
    private DateTimeOffset _lastInbound;

    /// <summary>Creates a session for one accepted Twilio Media Streams WebSocket.</summary>
    /// <param name="socket">The accepted Media Streams socket.</param>
    /// <param name="handler">The application side (database, engine).</param>
    /// <param name="speech">Cached phone audio (espeak-ng keyless synthesis, and cached prompts of a streaming provider).</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="options">Timing; null for the defaults.</param>
    /// <param name="speechToText">Recognizer; null serves the keypad menu only.</param>
    /// <param name="textToSpeech">Streaming synthesis for replies; null speaks through <paramref name="speech"/>.</param>
    public MediaStreamSession(
        WebSocket socket,
        IMediaCallHandler handler,
        PhoneSpeechCache speech,
        TimeProvider timeProvider,
        ILogger logger,
        MediaStreamSessionOptions? options = null,
        ISpeechToText? speechToText = null,
        IStreamingTextToSpeech? textToSpeech = null)
        : this(new TwilioMediaStreamTransport(socket), handler, speech, timeProvider, logger, options, speechToText, textToSpeech)
    {
        _ownedTransport = (TwilioMediaStreamTransport)_transport;
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
    public MediaStreamSession(
        ICallTransport transport,
        IMediaCallHandler handler,
        PhoneSpeechCache speech,
        TimeProvider timeProvider,
        ILogger logger,
        MediaStreamSessionOptions? options = null,
        ISpeechToText? speechToText = null,
        IStreamingTextToSpeech? textToSpeech = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        _handler = handler;
        _speech = speech;
        _time = timeProvider;
        _logger = logger;
        _options = options ?? new MediaStreamSessionOptions();
        _speechToText = speechToText;
        _textToSpeech = textToSpeech;
        _turns = new CallerTurnDetector(_options.Turns);
    }

    private enum ConsentState
    {
        NotNeeded,
        Awaiting,
        Given,
        Declined,
    }

    /// <summary>The stream's SID once <c>start</c> was accepted.</summary>
    public string? StreamSid => _streamSid;

    /// <summary>True while the call is served by the keypad menu (no recognizer, it failed, or its confidence stayed low).</summary>
    public bool KeypadMode
    {
        get
        {
            lock (_gate)
            {
                return _keypad;
            }
        }
    }

    /// <summary>True while endpointing waits for dictated data (the engine asked for a name, phone number, e-mail or message).</summary>
    public bool DictationActive
    {
        get
        {
            lock (_gate)
            {
                return _turns.DictationActive;
            }
        }
    }

    /// <summary>True while agent audio is being sent or its marks are outstanding (the caller may still be hearing it).</summary>
    public bool AgentSpeaking
    {
        get
        {
            lock (_gate)
            {
                return _playing || _tracker.IsSpeaking;
            }
        }
    }

    /// <summary>
    /// How many recognizer transcript events (interim and final) the call has taken so far (ignored ones in keypad mode included). Transcripts and media
    /// frames arrive on separate streams; diagnostics and tests use this to know a transcript has been applied.
    /// </summary>
    public long TranscriptsHandled
    {
        get
        {
            lock (_gate)
            {
                return _transcriptsHandled;
            }
        }
    }

    /// <summary>True while a voice message is being recorded.</summary>
    public bool IsRecording
    {
        get
        {
            lock (_gate)
            {
                return _recorder is not null;
            }
        }
    }

    /// <summary>The figures of the last completed agent turn, or null.</summary>
    public Portal.Domain.Conversations.VoiceTurnMetrics? LastMetrics { get; private set; }

    /// <summary>
    /// Runs the call until Twilio stops it, the socket closes, the call is hung up or <paramref name="cancellationToken"/> fires.
    /// A socket without a valid <c>start</c> within <see cref="MediaStreamSessionOptions.StartTimeout"/>, or silent for
    /// <see cref="MediaStreamSessionOptions.SilentStreamTimeout"/>, is closed. The session always ends with a close frame
    /// (RFC 6455 §5.5.1), after <c>stop</c> too, and waits briefly for the peer's.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _sessionCts = sessionCts;
        var ct = sessionCts.Token;
        Task watchdog = Task.CompletedTask;
        var startGuard = GuardStartAsync(ct);
        try
        {
            while (_transport.IsOpen && !_hungUp)
            {
                var frame = await _transport.ReceiveAsync(ct);
                if (frame.IsClosed)
                {
                    _peerClosed = true;
                    break;
                }

                lock (_gate)
                {
                    _lastInbound = _time.GetUtcNow();
                }

                if (frame.Message is not { } message)
                {
                    LogMalformed(_logger, _streamSid, frame.Error!);
                    continue;
                }

                bool stop = false;
                switch (message)
                {
                    case StartMessage start when _streamSid is null && !_startReceived:
                        if (!await OnStartAsync(start, ct))
                        {
                            return;
                        }

                        watchdog = WatchAsync(ct);
                        break;
                    case MediaMessage media when _streamSid is not null:
                        await OnMediaAsync(media, frame.RecognizerAudio, ct);
                        break;
                    case DtmfMessage dtmf when _streamSid is not null:
                        await SerializedAsync(c => OnDigitAsync(dtmf.Digit, c), ct);
                        break;
                    case MarkMessage mark when _streamSid is not null:
                        bool matched;
                        lock (_gate)
                        {
                            matched = _tracker.OnMarkEchoed(mark.Name);
                        }

                        if (matched)
                        {
                            await ReportHeardAsync(ct);
                        }

                        break;
                    case StopMessage:
                        stop = true;
                        break;
                }

                if (stop)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (WebSocketException ex)
        {
            LogSocketError(_logger, _streamSid, ex.Message);
        }
        finally
        {
            await sessionCts.CancelAsync();
            await IgnoreCancellation(startGuard);
            await FinishCallAsync(watchdog);
            await CloseWireAsync();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ownedTransport?.Dispose();
        _playbackLock.Dispose();
        _actions.Dispose();
        _heardWrites.Dispose();
        _playbackCts?.Dispose();
    }

    /// <summary>Splits text into sentence chunks (each gets its own mark); see <see cref="SentenceSplitter"/>.</summary>
    public static IReadOnlyList<string> Sentences(string text) => SentenceSplitter.Split(text);

    private async Task FinishCallAsync(Task watchdog)
    {
        await StopPlaybackAsync(sendClear: false, CancellationToken.None);
        await IgnoreCancellation(watchdog);
        lock (_gate)
        {
            _tracker.OnStop();
        }

        if (_recognizer is { } recognizer)
        {
            try
            {
                await recognizer.DisposeAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRecognizerFailed(_logger, _streamSid, ex.Message);
            }

            await IgnoreCancellation(_transcripts);
        }

        if (_setup is null || _startFailed)
        {
            return;
        }

        try
        {
            await SettleHeardAsync(CancellationToken.None);
            await FinishRecordingAsync(announce: false, CancellationToken.None);
            await _handler.EndAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogEndFailed(_logger, _streamSid, ex.Message);
        }
    }

    private async Task SerializedAsync(Func<CancellationToken, Task> action, CancellationToken ct)
    {
        await _actions.WaitAsync(ct);
        try
        {
            await action(ct);
        }
        finally
        {
            _actions.Release();
        }
    }

    private async Task<bool> OnStartAsync(StartMessage start, CancellationToken ct)
    {
        _startReceived = true;
        MediaCallSetup? setup;
        try
        {
            setup = await _handler.StartAsync(start, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailStartAsync(start, ex, ct);
            return true; // the apology plays, then the call hangs up
        }

        if (setup is null)
        {
            LogRejected(_logger, start.CallSid);
            // Output only: the endpoint returns at once and the server drops the connection; never wait on a rejected peer.
            await _transport.CloseAsync(WebSocketCloseStatus.PolicyViolation, "stream refused", ct);
            return false;
        }

        _setup = setup;
        _streamSid = start.StreamSid;
        _startTimestamp = _time.GetTimestamp();
        _idleSince = _time.GetUtcNow();
        LogStarted(_logger, start.CallSid, start.StreamSid);
        bool askConsent = setup.RecordingEnabled && setup.ConsentRequired;
        _consent = askConsent ? ConsentState.Awaiting : ConsentState.NotNeeded;

        // The greeting comes from the cache and starts before the recognizer is even open. It is the call's stored first
        // agent turn: a barge-in cuts it to what was heard, like any reply; the consent question or menu after it is not.
        bool speechPossible = _speechToText is not null;
        string? after = askConsent ? ConsentPrompt : speechPossible ? null : Menu;
        await StartPlaybackAsync(AgentReply.Greeting(setup.Greeting, after), sendClear: false, ct);
        if (speechPossible)
        {
            await OpenRecognizerAsync(askConsent, ct);
        }

        return true;
    }

    private async Task OpenRecognizerAsync(bool consentPending, CancellationToken ct)
    {
        try
        {
            var recognizer = await _speechToText!.OpenAsync(
                new SpeechToTextOptions(_transport.RecognizerFormat, _options.Language, _options.Turns.SilenceMs), ct);
            lock (_gate)
            {
                _recognizer = recognizer;
                _keypad = false;
            }

            _transcripts = ReadTranscriptsAsync(recognizer, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRecognizerFailed(_logger, _streamSid, ex.Message);
            if (!consentPending)
            {
                await StartPlaybackAsync(AgentReply.Prompt(Menu), sendClear: false, ct);
            }
        }
    }

    private async Task ReadTranscriptsAsync(ISpeechToTextStream recognizer, CancellationToken ct)
    {
        try
        {
            await foreach (var transcript in recognizer.ReadTranscriptsAsync(ct))
            {
                await OnTranscriptAsync(transcript, ct);
            }

            if (!ct.IsCancellationRequested)
            {
                // The provider closed the stream mid-call: no more speech can be heard.
                await SerializedAsync(c => FallBackToKeypadAsync(KeypadFallback, c), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogRecognizerFailed(_logger, _streamSid, ex.Message);
            await SerializedAsync(c => FallBackToKeypadAsync(KeypadFallback, c), ct);
        }
    }

    private async Task OnMediaAsync(MediaMessage media, ReadOnlyMemory<byte> recognizerAudio, CancellationToken ct)
    {
        if (media.Payload.Length != MuLawFrameSplitter.FrameBytes)
        {
            return;
        }

        bool clear, recordingDone;
        CallerUtterance? utterance = null;
        ISpeechToTextStream? recognizer;
        lock (_gate)
        {
            var vad = _vad.ProcessMuLawFrame(media.Payload.Span, media.Timestamp);
            clear = _bargeIn.OnFrame(media.Timestamp, vad, _tracker.IsSpeaking || _playing) is not null;
            recognizer = _keypad ? null : _recognizer;
            if (recognizer is not null)
            {
                utterance = _turns.OnFrame(media.Timestamp, vad);
            }

            if (_vad.IsSpeech)
            {
                _idleSince = _time.GetUtcNow();
            }

            recordingDone = OnRecordingFrame(media.Payload.Span, _vad.IsSpeech);
        }

        if (recognizer is not null)
        {
            try
            {
                await recognizer.SendAudioAsync(recognizerAudio.IsEmpty ? media.Payload : recognizerAudio, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRecognizerFailed(_logger, _streamSid, ex.Message);
                await SerializedAsync(c => FallBackToKeypadAsync(KeypadFallback, c), ct);
            }
        }

        if (clear)
        {
            await SerializedAsync(c => StopPlaybackAsync(sendClear: true, c), ct);
        }

        if (utterance is not null)
        {
            await SerializedAsync(c => OnUtteranceAsync(utterance, c), ct);
        }

        if (recordingDone)
        {
            await SerializedAsync(c => FinishRecordingAsync(announce: true, c), ct);
        }
    }

    private async Task OnTranscriptAsync(TranscriptEvent transcript, CancellationToken ct)
    {
        bool clear;
        CallerUtterance? utterance;
        lock (_gate)
        {
            _transcriptsHandled++;
            if (_keypad)
            {
                return;
            }

            clear = _bargeIn.OnInterimTranscript(transcript.Text, transcript.IsFinal) is not null;
            if (transcript.IsFinal && transcript.Text.Length > 0)
            {
                _lastFinalTimestamp = _time.GetTimestamp();
            }

            utterance = _turns.OnTranscript(transcript.Text, transcript.IsFinal, transcript.SpeechFinal, transcript.Confidence, transcript.StartMs, transcript.EndMs);
            if (_turns.InTurn || utterance is not null)
            {
                _idleSince = _time.GetUtcNow();
            }
        }

        if (clear)
        {
            await SerializedAsync(c => StopPlaybackAsync(sendClear: true, c), ct);
        }

        if (utterance is not null)
        {
            await SerializedAsync(c => OnUtteranceAsync(utterance, c), ct);
        }
    }

    private async Task FallBackToKeypadAsync(string why, CancellationToken ct)
    {
        ISpeechToTextStream? recognizer;
        lock (_gate)
        {
            if (_keypad)
            {
                return;
            }

            _keypad = true;
            _turns.Reset();
            _turns.DictationActive = false;
            recognizer = _recognizer;
        }

        LogKeypadFallback(_logger, _streamSid, why);
        if (recognizer is not null)
        {
            try
            {
                await recognizer.CompleteAsync(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRecognizerFailed(_logger, _streamSid, ex.Message);
            }
        }

        await StartPlaybackAsync(AgentReply.Prompt(why + " " + Menu), sendClear: true, ct);
    }

    private int StreamMs() => (int)_time.GetElapsedTime(_startTimestamp).TotalMilliseconds;
}
