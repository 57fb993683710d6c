using System.Buffers;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Portal.Voice.Audio;
using Portal.Voice.Pipeline;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls;

/// <summary>Timing of a keypad call.</summary>
public sealed record MediaStreamSessionOptions
{
    /// <summary>Silence after the agent finished speaking before a reprompt (8 s).</summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Reprompts before hanging up: the call ends on the silence after the last one (3).</summary>
    public int MaxReprompts { get; init; } = 3;

    /// <summary>Frames sent ahead of real time, so network jitter does not starve Twilio's buffer (5 = 100 ms).</summary>
    public int LeadFrames { get; init; } = 5;
}

/// <summary>
/// One Twilio Media Streams call in the keyless mode: no speech-to-text exists here for 8 kHz phone audio, so the
/// agent greets the caller and serves a keypad menu (PRODUCT.md). Reads Twilio's messages from the WebSocket,
/// validates the call on <c>start</c> through <see cref="IMediaCallHandler"/>, speaks prompts as paced 20 ms μ-law
/// <c>media</c> frames with a <c>mark</c> after each sentence, maps <c>dtmf</c> digits to the menu, sends <c>clear</c>
/// when the caller talks over the agent, reprompts after silence and ends the call on <c>stop</c> or close.
/// </summary>
/// <remarks>
/// Protocol: protocols.md §2 (https://www.twilio.com/docs/voice/media-streams/websocket-messages). Threads: the
/// receive loop runs on the caller of <see cref="RunAsync"/>; one playback task at a time speaks (it is cancelled
/// and awaited before the next starts); a watchdog handles silence. Sends are serialized by a semaphore (a
/// WebSocket allows one send at a time); pipeline state is guarded by a lock.
/// </remarks>
public sealed partial class MediaStreamSession : IDisposable
{
    /// <summary>Largest WebSocket message accepted, in bytes (64 KiB); larger ones are skipped.</summary>
    public const int MaxFrameBytes = 64 * 1024;

    /// <summary>The keypad menu.</summary>
    public const string Menu = "Press 1 to hear our opening hours, 2 for our address, 3 to leave a message, 0 to speak to someone.";

    /// <summary>Utterance sent as the caller's turn for digit 1.</summary>
    public const string HoursQuestion = "What are your hours?";

    /// <summary>Utterance sent as the caller's turn for digit 2.</summary>
    public const string AddressQuestion = "Where are you located?";

    /// <summary>Said before a reprompt.</summary>
    public const string RepromptPrefix = "Sorry, I didn't catch that.";

    /// <summary>Said for digit 3 until voice messages are stored.</summary>
    // REVIEW: recording needs storage for the caller's audio (a schema change); until then the caller is told.
    public const string MessagesUnavailable = "Sorry, voice messages are not available yet.";

    /// <summary>Said before a transfer.</summary>
    public const string TransferPrompt = "Please hold while I connect you.";

    /// <summary>Said when no transfer is possible.</summary>
    public const string TransferUnavailable = "Sorry, no one is available to take your call right now.";

    /// <summary>Said for a digit the menu does not use.</summary>
    public const string UnknownDigit = "Sorry, that is not an option.";

    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly IMediaCallHandler _handler;
    private readonly PhoneSpeechCache _speech;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MediaStreamSessionOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _playbackLock = new(1, 1); // the receive loop and the watchdog both start playback
    private readonly Lock _gate = new();
    private readonly PlaybackTracker _tracker = new();
    private readonly VoiceActivityDetector _vad = new();
    private readonly BargeInDetector _bargeIn = new();
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(512);

    private string? _streamSid;
    private MediaCallSetup? _setup;
    private Task _playback = Task.CompletedTask;
    private CancellationTokenSource? _playbackCts;
    private CancellationTokenSource? _sessionCts;
    private bool _playing;
    private DateTimeOffset _idleSince;
    private int _reprompts;
    private int _markCounter;
    private bool _hungUp;

    /// <summary>Creates a session for one accepted WebSocket.</summary>
    public MediaStreamSession(WebSocket socket, IMediaCallHandler handler, PhoneSpeechCache speech, TimeProvider timeProvider, ILogger logger, MediaStreamSessionOptions? options = null)
    {
        _socket = socket;
        _handler = handler;
        _speech = speech;
        _time = timeProvider;
        _logger = logger;
        _options = options ?? new MediaStreamSessionOptions();
    }

    /// <summary>The stream's SID once <c>start</c> was accepted.</summary>
    public string? StreamSid => _streamSid;

    /// <summary>Runs the call until Twilio stops it, the socket closes, the call is hung up or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _sessionCts = sessionCts;
        var ct = sessionCts.Token;
        Task watchdog = Task.CompletedTask;
        try
        {
            var buffer = new byte[MaxFrameBytes];
            while (_socket.State == WebSocketState.Open && !_hungUp)
            {
                var frame = await ReceiveAsync(buffer, ct);
                if (frame is null)
                {
                    break;
                }

                if (frame.Value < 0)
                {
                    continue;
                }

                if (!MediaStreamMessage.TryParse(buffer.AsSpan(0, frame.Value), out var message, out var error))
                {
                    LogMalformed(_logger, _streamSid, error);
                    continue;
                }

                bool stop = false;
                switch (message)
                {
                    case StartMessage start when _streamSid is null:
                        if (!await OnStartAsync(start, ct))
                        {
                            return;
                        }

                        watchdog = WatchSilenceAsync(ct);
                        break;
                    case MediaMessage media when _streamSid is not null:
                        await OnMediaAsync(media, ct);
                        break;
                    case DtmfMessage dtmf when _streamSid is not null:
                        await OnDigitAsync(dtmf.Digit, ct);
                        break;
                    case MarkMessage mark when _streamSid is not null:
                        lock (_gate)
                        {
                            _tracker.OnMarkEchoed(mark.Name);
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
            await StopPlaybackAsync();
            await IgnoreCancellation(watchdog);
            lock (_gate)
            {
                _tracker.OnStop();
            }

            if (_setup is not null)
            {
                try
                {
                    await _handler.EndAsync(CancellationToken.None);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogEndFailed(_logger, _streamSid, ex.Message);
                }
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sendLock.Dispose();
        _playbackLock.Dispose();
        _playbackCts?.Dispose();
    }

    /// <summary>Splits text into sentence chunks (each gets its own mark).</summary>
    public static IReadOnlyList<string> Sentences(string text) =>
        [.. SentenceBreak().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0)];

    private async Task<(int Length, bool Ok)?> ReceiveAsyncCore(byte[] buffer, CancellationToken ct)
    {
        int length = 0;
        bool oversized = false;
        while (true)
        {
            var segment = oversized ? new ArraySegment<byte>(buffer) : new ArraySegment<byte>(buffer, length, buffer.Length - length);
            if (segment.Count == 0)
            {
                oversized = true;
                segment = new ArraySegment<byte>(buffer);
            }

            var result = await _socket.ReceiveAsync(segment, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            if (!oversized)
            {
                length += result.Count;
            }

            if (result.EndOfMessage)
            {
                bool ok = !oversized && result.MessageType == WebSocketMessageType.Text;
                return (length, ok);
            }
        }
    }

    /// <summary>Next text message's length; -1 for a skipped (oversized or binary) message; null when the socket closed.</summary>
    private async Task<int?> ReceiveAsync(byte[] buffer, CancellationToken ct)
    {
        var r = await ReceiveAsyncCore(buffer, ct);
        if (r is null)
        {
            return null;
        }

        if (!r.Value.Ok)
        {
            LogMalformed(_logger, _streamSid, "oversized or binary WebSocket message skipped");
            return -1;
        }

        return r.Value.Length;
    }

    private async Task<bool> OnStartAsync(StartMessage start, CancellationToken ct)
    {
        var setup = await _handler.StartAsync(start, ct);
        if (setup is null)
        {
            LogRejected(_logger, start.CallSid);
            // Output only: the endpoint returns at once and the server drops the connection; never wait on a rejected peer.
            await _socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "invalid stream token", ct);
            return false;
        }

        _setup = setup;
        _streamSid = start.StreamSid;
        _idleSince = _time.GetUtcNow();
        LogStarted(_logger, start.CallSid, start.StreamSid);
        await StartPlaybackAsync(_ => Task.FromResult(setup.Greeting + " " + Menu), ct);
        return true;
    }

    private async Task OnMediaAsync(MediaMessage media, CancellationToken ct)
    {
        if (media.Payload.Length != MuLawFrameSplitter.FrameBytes)
        {
            return;
        }

        bool clear;
        lock (_gate)
        {
            var vad = _vad.ProcessMuLawFrame(media.Payload.Span, media.Timestamp);
            clear = _bargeIn.OnFrame(media.Timestamp, vad, _tracker.IsSpeaking || _playing) is not null;
            if (_vad.IsSpeech)
            {
                _idleSince = _time.GetUtcNow();
            }
        }

        if (clear)
        {
            await StopPlaybackAsync();
            await SendClearAsync(ct);
        }
    }

    private async Task OnDigitAsync(string digit, CancellationToken ct)
    {
        bool wasSpeaking;
        lock (_gate)
        {
            _reprompts = 0;
            _idleSince = _time.GetUtcNow();
            wasSpeaking = _tracker.IsSpeaking || _playing;
        }

        await StopPlaybackAsync();
        if (wasSpeaking)
        {
            await SendClearAsync(ct);
        }

        switch (digit)
        {
            case "1":
                await StartPlaybackAsync(async c => await _handler.ProcessTurnAsync(HoursQuestion, c) + " " + Menu, ct);
                break;
            case "2":
                await StartPlaybackAsync(async c => await _handler.ProcessTurnAsync(AddressQuestion, c) + " " + Menu, ct);
                break;
            case "3":
                await StartPlaybackAsync(_ => Task.FromResult(MessagesUnavailable + " " + Menu), ct);
                break;
            case "0":
                await StartPlaybackAsync(
                    async c =>
                    {
                        await SpeakAsync(TransferPrompt, c);
                        return await _handler.TransferAsync(c) ? string.Empty : TransferUnavailable + " " + Menu;
                    },
                    ct);
                break;
            default:
                await StartPlaybackAsync(_ => Task.FromResult(UnknownDigit + " " + Menu), ct);
                break;
        }
    }
}
