using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Portal.Voice.Calls;

/// <summary>
/// The browser test call's wire ("Call your agent" on the console page): binary frames carry 16-bit little-endian mono
/// PCM both ways (caller audio at 16 kHz in, agent audio at <see cref="OutputSampleRate"/> out); text frames carry JSON
/// control messages: in <c>{"event":"mark","name":"…"}</c>, <c>{"event":"dtmf","digit":"1"}</c>, <c>{"event":"stop"}</c>;
/// out <c>{"event":"mark","name":"…"}</c> and <c>{"event":"clear"}</c>. Modelled on Twilio Media Streams
/// (https://www.twilio.com/docs/voice/media-streams/websocket-messages) minus base64 and μ-law.
/// </summary>
public sealed class BrowserCallTransport : ICallAudioTransport, IDisposable
{
    /// <summary>Largest accepted frame, in bytes (a 20 ms frame at 16 kHz is 640 bytes).</summary>
    public const int MaxFrameBytes = 64 * 1024;

    private readonly WebSocket _socket;
    private readonly byte[] _buffer = new byte[MaxFrameBytes];
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    /// <summary>Wraps an accepted WebSocket.</summary>
    /// <param name="socket">The browser's socket.</param>
    /// <param name="outputSampleRate">Agent audio rate in Hz (16000 or 24000 are usual).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputSampleRate"/> is not 8000-48000 Hz.</exception>
    public BrowserCallTransport(WebSocket socket, int outputSampleRate = 16000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSampleRate, 8000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outputSampleRate, 48000);
        _socket = socket;
        OutputSampleRate = outputSampleRate;
    }

    /// <inheritdoc />
    public int InputSampleRate => 16000;

    /// <summary>Releases the send lock; the socket belongs to the caller.</summary>
    public void Dispose() => _sendLock.Dispose();

    /// <inheritdoc />
    public int OutputSampleRate { get; }

    /// <inheritdoc />
    public async ValueTask<CallTransportEvent> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == _buffer.Length)
            {
                throw new InvalidDataException($"Frame larger than {MaxFrameBytes} bytes.");
            }

            result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new CallTransportEvent(CallTransportEventKind.Stop, default);
            }

            length += result.Count;
        }
        while (!result.EndOfMessage);

        if (result.MessageType == WebSocketMessageType.Binary)
        {
            if (length % 2 != 0)
            {
                throw new InvalidDataException("PCM16 frame has an odd number of bytes.");
            }

            return new CallTransportEvent(CallTransportEventKind.Audio, _buffer.AsSpan(0, length).ToArray());
        }

        return ParseControl(_buffer.AsSpan(0, length));
    }

    /// <inheritdoc />
    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm16, CancellationToken cancellationToken)
    {
        if (pcm16.Length % 2 != 0)
        {
            throw new ArgumentException("PCM16 audio must have an even number of bytes.", nameof(pcm16));
        }

        return SendAsync(pcm16, WebSocketMessageType.Binary, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask SendMarkAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, 64);
        return SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { @event = "mark", name }), WebSocketMessageType.Text, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask SendClearAsync(CancellationToken cancellationToken) =>
        SendAsync("{\"event\":\"clear\"}"u8.ToArray(), WebSocketMessageType.Text, cancellationToken);

    /// <summary>Parses one text control frame.</summary>
    /// <param name="utf8">The frame's UTF-8 JSON.</param>
    /// <returns>The event.</returns>
    /// <exception cref="InvalidDataException">Not JSON, an unknown event, or a missing/invalid field.</exception>
    public static CallTransportEvent ParseControl(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            var kind = root.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            switch (kind)
            {
                case "stop":
                    return new CallTransportEvent(CallTransportEventKind.Stop, default);
                case "mark":
                    var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                    if (string.IsNullOrEmpty(name) || name.Length > 64)
                    {
                        throw new InvalidDataException("mark needs a name of 1-64 characters.");
                    }

                    return new CallTransportEvent(CallTransportEventKind.Mark, default, Mark: name);
                case "dtmf":
                    var digit = root.TryGetProperty("digit", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                    if (digit is not { Length: 1 } || !"0123456789*#".Contains(digit[0], StringComparison.Ordinal))
                    {
                        throw new InvalidDataException("dtmf needs one digit of 0-9, * or #.");
                    }

                    return new CallTransportEvent(CallTransportEventKind.Dtmf, default, Digit: digit[0]);
                default:
                    throw new InvalidDataException($"Unknown event '{kind}'.");
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("Control frame is not JSON: " + Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, 64)]), ex);
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(payload, type, endOfMessage: true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
