using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls;

/// <summary>
/// The wire of the browser test call ("Call your agent" on the console page), so the same
/// <see cref="MediaStreamSession"/> that answers phone calls answers the owner's microphone.
/// </summary>
/// <remarks>
/// <para>Browser → server: binary frames of exactly 20 ms of 16-bit little-endian mono PCM at 16 kHz (640 bytes, from the
/// AudioWorklet in <c>wwwroot/js/browser-call-worklet.js</c>); text frames of JSON <c>{"event":"mark","name":"s1"}</c>
/// (a chunk finished playing, or was dropped by <c>clear</c>), <c>{"event":"dtmf","digit":"1"}</c> and
/// <c>{"event":"stop"}</c> (hang-up).</para>
/// <para>Server → browser: binary frames of agent audio, 16-bit little-endian mono PCM at <see cref="OutputSampleRateHz"/>
/// (20 ms = 640 bytes); text frames of JSON <c>{"event":"transcript","role":"caller"|"agent","text":"…","final":true,"mark":"s1"}</c>
/// (<c>mark</c> on agent sentences only), <c>{"event":"mark","name":"s1"}</c> after each agent sentence (echo it once
/// played), <c>{"event":"clear"}</c> (stop playback at once and echo pending marks) and
/// <c>{"event":"ended","reason":"…"}</c>.</para>
/// <para>Modelled on Twilio Media Streams (https://www.twilio.com/docs/voice/media-streams/websocket-messages) minus
/// base64 and μ-law. Caller audio is handed to the session twice: converted to 8 kHz μ-law for voice activity detection,
/// barge-in and voice messages (the phone pipeline's format), and as the original 16 kHz PCM for the recognizer
/// (<see cref="RecognizerFormat"/>), so wideband recognizers such as pocketsphinx hear the full band. The first read
/// returns a synthesized <c>start</c> carrying the call id and custom parameters given at construction.</para>
/// <para>REVIEW: agent audio is the phone pipeline's 8 kHz μ-law upsampled to 16 kHz, so the owner hears what a phone
/// caller hears (telephone band); a wideband voice would need the session's playback to synthesize per transport format.</para>
/// </remarks>
public sealed class BrowserCallTransport : ICallTransport, IDisposable
{
    /// <summary>Sample rate of caller audio from the browser, in Hz.</summary>
    public const int InputSampleRateHz = 16_000;

    /// <summary>Sample rate of agent audio sent to the browser, in Hz.</summary>
    public const int OutputSampleRateHz = 16_000;

    /// <summary>Bytes of one inbound binary frame: 20 ms × 16 samples/ms × 2 bytes = 640.</summary>
    public const int InputFrameBytes = InputSampleRateHz / 1000 * MuLawFrameSplitter.FrameMilliseconds * 2;

    /// <summary>Largest text (JSON) frame accepted, in bytes; larger ones are skipped.</summary>
    public const int MaxControlBytes = 4096;

    /// <summary>Longest mark name accepted, in characters.</summary>
    public const int MaxMarkNameLength = 64;

    private const int PhoneFrameSamples = MuLawFrameSplitter.FrameBytes;

    private readonly WebSocket _socket;
    private readonly string _streamSid;
    private readonly string _callSid;
    private readonly IReadOnlyDictionary<string, string> _customParameters;
    private readonly byte[] _buffer = new byte[Math.Max(InputFrameBytes, MaxControlBytes)];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private string _callerFinals = ""; // the current turn's final results so far; changed under the send lock
    private readonly Resampler _down = new(InputSampleRateHz, MuLawFrameSplitter.SampleRateHz);
    private readonly Resampler _up = new(MuLawFrameSplitter.SampleRateHz, OutputSampleRateHz);
    private readonly short[] _inPcm = new short[InputFrameBytes / 2];
    private readonly short[] _inPhone;
    private readonly short[] _outPhone = new short[PhoneFrameSamples];
    private readonly short[] _outPcm;
    private bool _started;
    private long _sequence;
    private long _chunk;

    /// <summary>Wraps an accepted browser WebSocket (the caller owns and disposes it).</summary>
    /// <param name="socket">The socket.</param>
    /// <param name="callSid">Id of this call, given to <see cref="IMediaCallHandler.StartAsync"/> in the synthesized <c>start</c>.</param>
    /// <param name="customParameters">Custom parameters of the synthesized <c>start</c> (e.g. the stream token).</param>
    /// <exception cref="ArgumentException"><paramref name="callSid"/> is empty.</exception>
    public BrowserCallTransport(WebSocket socket, string callSid, IReadOnlyDictionary<string, string> customParameters)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentException.ThrowIfNullOrWhiteSpace(callSid);
        ArgumentNullException.ThrowIfNull(customParameters);
        _socket = socket;
        _callSid = callSid;
        _streamSid = "BS" + Guid.NewGuid().ToString("N");
        _customParameters = customParameters;
        _inPhone = new short[_down.MaxOutputLength(_inPcm.Length)];
        _outPcm = new short[_up.MaxOutputLength(PhoneFrameSamples)];
    }

    /// <inheritdoc />
    public AudioFormat RecognizerFormat => AudioFormat.Wideband;

    /// <inheritdoc />
    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>Caller audio frames received so far (20 ms each).</summary>
    public long FramesReceived => _chunk;

    /// <inheritdoc />
    public async ValueTask<CallTransportEvent> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            return new CallTransportEvent(new StartMessage(
                ++_sequence, _streamSid, "", _callSid, ["inbound"], MediaFormat.MuLaw8k, _customParameters));
        }

        int length = 0;
        bool oversized = false;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == _buffer.Length)
            {
                oversized = true;
                length = 0;
            }

            result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return CallTransportEvent.Closed;
            }

            length += result.Count;
        }
        while (!result.EndOfMessage);

        if (result.MessageType == WebSocketMessageType.Binary)
        {
            return oversized || length != InputFrameBytes
                ? CallTransportEvent.Malformed($"audio frame of {(oversized ? "more than " + _buffer.Length : length)} bytes skipped; expected {InputFrameBytes} (20 ms of 16 kHz PCM16)")
                : ToMedia(_buffer.AsSpan(0, InputFrameBytes));
        }

        return oversized || length > MaxControlBytes
            ? CallTransportEvent.Malformed($"control frame over {MaxControlBytes} bytes skipped")
            : ParseControl(_buffer.AsSpan(0, length));
    }

    /// <inheritdoc />
    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> ulawFrame, CancellationToken cancellationToken)
    {
        if (ulawFrame.Length != PhoneFrameSamples)
        {
            throw new ArgumentException($"Agent audio must come in {PhoneFrameSamples}-byte μ-law frames.", nameof(ulawFrame));
        }

        return SendAsync(
            () =>
            {
                MuLaw.Decode(ulawFrame.Span, _outPhone);
                int n = _up.Process(_outPhone, _outPcm);
                var bytes = new byte[n * 2];
                for (int i = 0; i < n; i++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), _outPcm[i]);
                }

                return [(bytes, WebSocketMessageType.Binary)];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask SendMarkAsync(string name, string text, Action onSending, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, MaxMarkNameLength);
        ArgumentNullException.ThrowIfNull(onSending);
        return SendAsync(
            () =>
            {
                onSending();
                return
                [
                    (Json(new TranscriptJson("transcript", "agent", text, true, name)), WebSocketMessageType.Text),
                    (Json(new MarkJson("mark", name)), WebSocketMessageType.Text),
                ];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask SendClearAsync(Action onSending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onSending);
        return SendAsync(
            () =>
            {
                onSending();
                return [("{\"event\":\"clear\"}"u8.ToArray(), WebSocketMessageType.Text)];
            },
            cancellationToken);
    }

    /// <summary>
    /// Sends the caller's words recognized so far in the current turn, as an interim transcript
    /// (<c>"final":false</c>; each replaces the last on the page): the recognizer's final results of this turn joined,
    /// then its latest interim result. The turn's line itself comes from <see cref="SendCallerTurnAsync"/>, once the
    /// session has decided the turn is over, so the page shows one line per turn, as the transcript stores it.
    /// </summary>
    /// <param name="text">The recognizer result's words.</param>
    /// <param name="final">True when the recognizer will not change these words any more (they stay in the turn so far).</param>
    /// <param name="cancellationToken">Checked before the send starts.</param>
    public ValueTask SendCallerTranscriptAsync(string text, bool final, CancellationToken cancellationToken) =>
        SendAsync(
            () =>
            {
                string soFar = Join(_callerFinals, text);
                if (final)
                {
                    _callerFinals = soFar;
                }

                return [(Json(new TranscriptJson("transcript", "caller", soFar, false, null)), WebSocketMessageType.Text)];
            },
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>Sends <c>{"event":"transcript","role":"caller","text":…,"final":true}</c> and starts the next turn's words afresh.</remarks>
    public ValueTask SendCallerTurnAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(
            () =>
            {
                _callerFinals = "";
                return [(Json(new TranscriptJson("transcript", "caller", text, true, null)), WebSocketMessageType.Text)];
            },
            cancellationToken);

    /// <summary>Tells the page the call is set up: <c>{"event":"started","conversationId":"…","speechToText":"…"}</c>.</summary>
    /// <param name="conversationId">The stored conversation the call's turns go to.</param>
    /// <param name="speechToText">Recognizer name shown to the owner; null when the call is keypad-only.</param>
    /// <param name="cancellationToken">Checked before the send starts.</param>
    public ValueTask SendStartedAsync(Guid conversationId, string? speechToText, CancellationToken cancellationToken) =>
        SendAsync(() => [(Json(new StartedJson("started", conversationId, speechToText)), WebSocketMessageType.Text)], cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Sends <c>{"event":"ended","reason":…}</c> first, so the page can say why the call ended, then the close frame. When
    /// the browser closed first (its close frame was read), answers it with the close frame, completing the handshake
    /// (RFC 6455 §5.5.1: https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1); without the answer the browser reports
    /// an abnormal closure (1006). Never reads: the session may be reading; <see cref="CompleteCloseAsync"/> waits for
    /// the browser's answer once it is not.
    /// </remarks>
    public async ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.SendAsync(Json(new EndedJson("ended", reason)), WebSocketMessageType.Text, true, cancellationToken);
                await _socket.CloseOutputAsync(status, reason, cancellationToken);
            }
            else if (_socket.State == WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(status, reason, cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// After the session ended and our close frame is sent (<see cref="CloseAsync"/>), reads and discards what the browser
    /// still sends (microphone frames and mark echoes already in flight) until its close frame arrives, for at most
    /// <paramref name="timeout"/>; then the socket is <see cref="WebSocketState.Closed"/> and the connection may close.
    /// Closing the connection before, with the browser's frames still arriving, makes the server's TCP stack answer them
    /// with a reset: the browser then sees "closed without completing the close handshake" (1006) instead of 1000. The
    /// caller must not read concurrently. Never throws for a browser that goes away or does not answer in time (the
    /// socket is aborted then); throws <see cref="OperationCanceledException"/> only for <paramref name="cancellationToken"/>.
    /// </summary>
    /// <param name="timeout">Longest wait for the browser's close frame.</param>
    /// <param name="cancellationToken">Aborts the wait (and the socket).</param>
    public async Task CompleteCloseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            // A close frame moves the state to Closed; anything else (audio, marks) is dropped.
            while (_socket.State == WebSocketState.CloseSent)
            {
                await _socket.ReceiveAsync(_buffer.AsMemory(), wait.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The browser never answered: the cancelled receive aborted the socket.
        }
        catch (WebSocketException)
        {
            // The browser went away without answering.
        }
    }

    /// <summary>Releases the send lock; the socket belongs to the caller.</summary>
    public void Dispose() => _sendLock.Dispose();

    /// <summary>Parses one browser text control frame.</summary>
    /// <param name="utf8">The frame's UTF-8 JSON.</param>
    /// <returns>The event, or a malformed one (not JSON, an unknown event, a missing or invalid field).</returns>
    public CallTransportEvent ParseControl(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return CallTransportEvent.Malformed("control frame is not a JSON object");
            }

            string? kind = root.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            switch (kind)
            {
                case "stop":
                    return new CallTransportEvent(new StopMessage(++_sequence, _streamSid, "", _callSid));
                case "mark":
                    string? name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                    return string.IsNullOrEmpty(name) || name.Length > MaxMarkNameLength
                        ? CallTransportEvent.Malformed($"mark needs a name of 1-{MaxMarkNameLength} characters")
                        : new CallTransportEvent(new MarkMessage(++_sequence, _streamSid, name));
                case "dtmf":
                    string? digit = root.TryGetProperty("digit", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                    return digit is not { Length: 1 } || !"0123456789*#".Contains(digit[0], StringComparison.Ordinal)
                        ? CallTransportEvent.Malformed("dtmf needs one digit of 0-9, * or #")
                        : new CallTransportEvent(new DtmfMessage(++_sequence, _streamSid, "inbound_track", digit));
                default:
                    return CallTransportEvent.Malformed("unknown event '" + (kind ?? "(none)") + "'");
            }
        }
        catch (JsonException)
        {
            return CallTransportEvent.Malformed("control frame is not JSON: " + Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, 64)]));
        }
    }

    private static byte[] Json<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value);

    private static string Join(string first, string next) =>
        first.Length == 0 ? next.Trim() : next.Trim().Length == 0 ? first : first + " " + next.Trim();

    private CallTransportEvent ToMedia(ReadOnlySpan<byte> pcm16)
    {
        for (int i = 0; i < _inPcm.Length; i++)
        {
            _inPcm[i] = BinaryPrimitives.ReadInt16LittleEndian(pcm16[(i * 2)..]);
        }

        // 320 samples at 16 kHz give exactly 160 at 8 kHz (Resampler), one phone frame.
        int n = _down.Process(_inPcm, _inPhone);
        var ulaw = new byte[PhoneFrameSamples];
        ulaw.AsSpan().Fill(MuLaw.Silence);
        MuLaw.Encode(_inPhone.AsSpan(0, Math.Min(n, PhoneFrameSamples)), ulaw);
        long chunk = ++_chunk;
        var media = new MediaMessage(++_sequence, _streamSid, "inbound", chunk, (chunk - 1) * MuLawFrameSplitter.FrameMilliseconds, ulaw);
        return new CallTransportEvent(media, pcm16.ToArray());
    }

    private async ValueTask SendAsync(Func<(byte[] Payload, WebSocketMessageType Type)[]> build, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            if (_socket.State != WebSocketState.Open)
            {
                return;
            }

            ct.ThrowIfCancellationRequested();
            foreach (var (payload, type) in build())
            {
                // Not cancelled by ct: cancelling a WebSocket send aborts the whole socket (see TwilioMediaStreamTransport).
                await _socket.SendAsync(payload, type, true, CancellationToken.None);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private sealed record TranscriptJson(
        [property: JsonPropertyName("event")] string Event,
        [property: JsonPropertyName("role")] string Role,
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("final")] bool Final,
        [property: JsonPropertyName("mark"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Mark);

    private sealed record MarkJson(
        [property: JsonPropertyName("event")] string Event,
        [property: JsonPropertyName("name")] string Name);

    private sealed record StartedJson(
        [property: JsonPropertyName("event")] string Event,
        [property: JsonPropertyName("conversationId")] Guid ConversationId,
        [property: JsonPropertyName("speechToText")] string? SpeechToText);

    private sealed record EndedJson(
        [property: JsonPropertyName("event")] string Event,
        [property: JsonPropertyName("reason")] string Reason);
}
