using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Voice.Twilio;

/// <summary>
/// One Twilio Media Streams WebSocket message (a JSON text frame). Our server receives
/// <c>connected</c>, <c>start</c>, <c>media</c>, <c>dtmf</c>, <c>mark</c> and <c>stop</c> from Twilio, and sends
/// <c>media</c>, <c>mark</c> and <c>clear</c> back on a bidirectional <c>&lt;Connect&gt;&lt;Stream&gt;</c>.
/// Both directions parse and write, so the fake Twilio in tests speaks the same wire format.
/// </summary>
/// <remarks>
/// Wire format: https://www.twilio.com/docs/voice/media-streams/websocket-messages (summary in
/// docs/protocols/twilio.md). <c>sequenceNumber</c>, <c>media.chunk</c> and <c>media.timestamp</c> travel as JSON strings
/// holding decimal integers; they are read from strings or numbers and written as strings. Payloads are
/// raw μ-law, 8000 Hz, mono, base64, no header. Unknown properties are ignored (forward compatibility);
/// unknown events are errors.
/// </remarks>
public abstract record MediaStreamMessage
{
    /// <summary>Largest frame accepted by the parsers, in bytes of UTF-8 JSON (1 MiB).</summary>
    public const int MaxMessageBytes = 1 << 20;

    /// <summary>
    /// Largest inbound (Twilio → us) media payload accepted, in decoded μ-law bytes: 16000 = 2 s at 8 kHz.
    /// Twilio sends 160-byte (20 ms) frames; the reference does not fix the size, so any size up to this is accepted.
    /// </summary>
    // REVIEW: 2 s is a sanity bound of ours, not a Twilio limit; raise it if a real stream ever trips it.
    public const int MaxInboundPayloadBytes = 16_000;

    // Relaxed escaping keeps base64 '+' as '+', not "\u002B" (the frames never reach HTML); quotes and control characters are still escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private protected MediaStreamMessage()
    {
    }

    /// <summary>The <c>event</c> value: <c>connected</c>, <c>start</c>, <c>media</c>, <c>dtmf</c>, <c>mark</c>, <c>stop</c> or <c>clear</c>.</summary>
    public abstract string Event { get; }

    /// <summary>
    /// Parses a message Twilio sends to our server (<c>connected</c>, <c>start</c>, <c>media</c>, <c>dtmf</c>,
    /// <c>mark</c>, <c>stop</c>). Never throws on malformed input: bad JSON, a non-object root, a missing or
    /// unknown <c>event</c>, missing fields, non-integer counters, bad base64, an empty or oversized payload,
    /// or a media format other than <c>audio/x-mulaw</c>/8000/1 all return false with a message.
    /// </summary>
    /// <param name="utf8">The text frame's UTF-8 bytes.</param>
    /// <param name="message">The parsed message, or null on failure.</param>
    /// <param name="error">A one-line reason on failure (safe to log), or null on success.</param>
    /// <returns>True when the frame is a valid inbound message.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out MediaStreamMessage? message, [NotNullWhen(false)] out string? error)
        => MediaStreamParser.TryParse(utf8, inbound: true, out message, out error);

    /// <summary>
    /// Parses a message our server sends to Twilio (<c>media</c> without track/chunk/timestamp, <c>mark</c>,
    /// <c>clear</c>); used by the fake Twilio. Never throws on malformed input.
    /// </summary>
    /// <param name="utf8">The text frame's UTF-8 bytes.</param>
    /// <param name="message">The parsed message, or null on failure.</param>
    /// <param name="error">A one-line reason on failure, or null on success.</param>
    /// <returns>True when the frame is a valid outbound message.</returns>
    public static bool TryParseOutbound(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out MediaStreamMessage? message, [NotNullWhen(false)] out string? error)
        => MediaStreamParser.TryParse(utf8, inbound: false, out message, out error);

    /// <summary>Serializes this message as compact UTF-8 JSON, in the wire shape of https://www.twilio.com/docs/voice/media-streams/websocket-messages.</summary>
    /// <returns>The JSON text frame's bytes.</returns>
    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serializes this message as compact UTF-8 JSON into <paramref name="output"/>.</summary>
    /// <param name="output">Destination buffer writer (e.g. an <c>ArrayBufferWriter&lt;byte&gt;</c> reused per socket).</param>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        JsonSerializer.Serialize(writer, ToWire(), MediaStreamJsonContext.Default.WireMessage);
    }

    /// <summary>
    /// Hot path for outbound audio: writes <c>{"event":"media","streamSid":…,"media":{"payload":base64}}</c>
    /// straight from the μ-law bytes, without an intermediate base64 string or message object.
    /// </summary>
    /// <param name="output">Destination buffer writer.</param>
    /// <param name="streamSid">The stream's SID from <c>start</c>.</param>
    /// <param name="ulaw">Raw μ-law, 8000 Hz, mono, no header; any length (Twilio buffers and plays in order).</param>
    /// <exception cref="ArgumentException"><paramref name="streamSid"/> is null or empty.</exception>
    public static void WriteOutboundMedia(IBufferWriter<byte> output, string streamSid, ReadOnlySpan<byte> ulaw)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrEmpty(streamSid);
        if (IsPlainSid(streamSid) && ulaw.Length <= MaxDirectPayloadBytes)
        {
            // Every 20 ms of every call comes here: the bytes are laid out directly (no writer object, base64 straight
            // into the output). Same bytes as the Utf8JsonWriter path below, which serves SIDs that would need escaping.
            int size = OutboundMediaHead.Length + streamSid.Length + OutboundMediaMiddle.Length + Base64.GetMaxEncodedToUtf8Length(ulaw.Length) + OutboundMediaTail.Length;
            Span<byte> span = output.GetSpan(size);
            OutboundMediaHead.CopyTo(span);
            int n = OutboundMediaHead.Length;
            for (int i = 0; i < streamSid.Length; i++)
            {
                span[n++] = (byte)streamSid[i];
            }

            OutboundMediaMiddle.CopyTo(span[n..]);
            n += OutboundMediaMiddle.Length;
            Base64.EncodeToUtf8(ulaw, span[n..], out _, out int written);
            n += written;
            OutboundMediaTail.CopyTo(span[n..]);
            output.Advance(n + OutboundMediaTail.Length);
            return;
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("event"u8, "media"u8);
        writer.WriteString("streamSid"u8, streamSid);
        writer.WriteStartObject("media"u8);
        writer.WriteBase64String("payload"u8, ulaw);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    internal abstract WireMessage ToWire();

    // Outbound media frame, laid out by WriteOutboundMedia: head + streamSid + middle + base64 payload + tail.
    private const int MaxDirectPayloadBytes = 64 * 1024;

    private static ReadOnlySpan<byte> OutboundMediaHead => "{\"event\":\"media\",\"streamSid\":\""u8;

    private static ReadOnlySpan<byte> OutboundMediaMiddle => "\",\"media\":{\"payload\":\""u8;

    private static ReadOnlySpan<byte> OutboundMediaTail => "\"}}"u8;

    /// <summary>True when the SID is written verbatim in JSON: ASCII letters and digits only (Twilio's are <c>MZ</c> + 32 hex).</summary>
    private static bool IsPlainSid(string sid)
    {
        foreach (char c in sid)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private protected static string Counter(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>First message on a stream: <c>{"event":"connected","protocol":"Call","version":"1.0.0"}</c>. It carries no streamSid.</summary>
/// <param name="Protocol">Protocol name, <c>Call</c>.</param>
/// <param name="Version">Protocol version, e.g. <c>1.0.0</c>.</param>
public sealed record ConnectedMessage(string Protocol, string Version) : MediaStreamMessage
{
    /// <inheritdoc />
    public override string Event => "connected";

    internal override WireMessage ToWire() => new() { Event = Event, Protocol = Protocol, Version = Version };
}

/// <summary>Stream metadata, sent once after <c>connected</c>.</summary>
/// <param name="SequenceNumber">Message counter across all events, from 1.</param>
/// <param name="StreamSid">Stream SID (<c>MZ</c> + 32 hex); needed on every outbound message.</param>
/// <param name="AccountSid">Account SID (<c>AC…</c>).</param>
/// <param name="CallSid">Call SID (<c>CA…</c>).</param>
/// <param name="Tracks">Tracks streamed: <c>inbound</c> and/or <c>outbound</c>.</param>
/// <param name="MediaFormat">Always <c>audio/x-mulaw</c>, 8000 Hz, 1 channel (anything else is rejected by the parser).</param>
/// <param name="CustomParameters">The <c>&lt;Parameter name value&gt;</c> pairs from the TwiML.</param>
public sealed record StartMessage(
    long SequenceNumber,
    string StreamSid,
    string AccountSid,
    string CallSid,
    IReadOnlyList<string> Tracks,
    MediaFormat MediaFormat,
    IReadOnlyDictionary<string, string> CustomParameters) : MediaStreamMessage
{
    /// <inheritdoc />
    public override string Event => "start";

    internal override WireMessage ToWire() => new()
    {
        Event = Event,
        SequenceNumber = Counter(SequenceNumber),
        StreamSid = StreamSid,
        Start = new WireStart
        {
            AccountSid = AccountSid,
            StreamSid = StreamSid,
            CallSid = CallSid,
            Tracks = [.. Tracks],
            MediaFormat = new WireMediaFormat { Encoding = MediaFormat.Encoding, SampleRate = MediaFormat.SampleRateHz, Channels = MediaFormat.Channels },
            CustomParameters = new Dictionary<string, string>(CustomParameters, StringComparer.Ordinal),
        },
    };
}

/// <summary>Audio format of a stream.</summary>
/// <param name="Encoding">MIME type, <c>audio/x-mulaw</c>.</param>
/// <param name="SampleRateHz">Sample rate in Hz, 8000.</param>
/// <param name="Channels">Channel count, 1.</param>
public sealed record MediaFormat(string Encoding, int SampleRateHz, int Channels)
{
    /// <summary>The only format Twilio streams: <c>audio/x-mulaw</c>, 8000 Hz, mono.</summary>
    public static MediaFormat MuLaw8k { get; } = new("audio/x-mulaw", 8000, 1);
}

/// <summary>Caller (or call) audio from Twilio: usually 160 μ-law bytes = 20 ms.</summary>
/// <param name="SequenceNumber">Message counter across all events.</param>
/// <param name="StreamSid">Stream SID.</param>
/// <param name="Track"><c>inbound</c> or <c>outbound</c>.</param>
/// <param name="Chunk">Media message counter, from 1.</param>
/// <param name="Timestamp">Milliseconds since the stream started.</param>
/// <param name="Payload">Decoded μ-law bytes, 8000 Hz, mono.</param>
public sealed record MediaMessage(long SequenceNumber, string StreamSid, string Track, long Chunk, long Timestamp, ReadOnlyMemory<byte> Payload) : MediaStreamMessage
{
    /// <inheritdoc />
    public override string Event => "media";

    internal override WireMessage ToWire() => new()
    {
        Event = Event,
        SequenceNumber = Counter(SequenceNumber),
        StreamSid = StreamSid,
        Media = new WireMedia { Track = Track, Chunk = Counter(Chunk), Timestamp = Counter(Timestamp), Payload = Convert.ToBase64String(Payload.Span) },
    };
}

/// <summary>A key press on a bidirectional stream.</summary>
/// <param name="SequenceNumber">Message counter across all events.</param>
/// <param name="StreamSid">Stream SID.</param>
/// <param name="Track">Always <c>inbound_track</c>.</param>
/// <param name="Digit">One of <c>0-9</c>, <c>*</c>, <c>#</c>, <c>A-D</c>.</param>
public sealed record DtmfMessage(long SequenceNumber, string StreamSid, string Track, string Digit) : MediaStreamMessage
{
    /// <inheritdoc />
    public override string Event => "dtmf";

    internal override WireMessage ToWire() => new()
    {
        Event = Event,
        SequenceNumber = Counter(SequenceNumber),
        StreamSid = StreamSid,
        Dtmf = new WireDtmf { Track = Track, Digit = Digit },
    };
}

/// <summary>
/// A playback marker. Outbound (us → Twilio, <see cref="SequenceNumber"/> null): sent after media to
/// learn when it has played. Inbound (Twilio → us): the echo once the audio before it has played, or
/// once a <c>clear</c> dropped it.
/// </summary>
/// <param name="SequenceNumber">Message counter on inbound marks; null on outbound marks.</param>
/// <param name="StreamSid">Stream SID.</param>
/// <param name="Name">Our label.</param>
public sealed record MarkMessage(long? SequenceNumber, string StreamSid, string Name) : MediaStreamMessage
{
    /// <inheritdoc />
    public override string Event => "mark";

    internal override WireMessage ToWire() => new()
    {
        Event = Event,
        SequenceNumber = SequenceNumber is { } s ? Counter(s) : null,
        StreamSid = StreamSid,
        Mark = new WireMark { Name = Name },
    };
}

/// <summary>The stream ended (call hung up, or our server closed the socket).</summary>
/// <param name="SequenceNumber">Message counter across all events.</param>
/// <param name="StreamSid">Stream SID.</param>
/// <param name="AccountSid">Account SID ("" when Twilio omits the <c>stop</c> object).</param>
/// <param name="CallSid">Call SID ("" when Twilio omits the <c>stop</c> object).</param>
public sealed record StopMessage(long SequenceNumber, string StreamSid, string AccountSid, string CallSid) : MediaStreamMessage
{
    /// <inheritdoc />
    public override string Event => "stop";

    internal override WireMessage ToWire() => new()
    {
        Event = Event,
        SequenceNumber = Counter(SequenceNumber),
        StreamSid = StreamSid,
        Stop = new WireStop { AccountSid = AccountSid, CallSid = CallSid },
    };
}

/// <summary>Audio we send to play to the caller: no track, chunk or timestamp.</summary>
/// <param name="StreamSid">Stream SID from <c>start</c>.</param>
/// <param name="Payload">Raw μ-law, 8000 Hz, mono, no header; any size.</param>
public sealed record OutboundMediaMessage(string StreamSid, ReadOnlyMemory<byte> Payload) : MediaStreamMessage
{
    /// <inheritdoc />
    public override string Event => "media";

    internal override WireMessage ToWire() => new()
    {
        Event = Event,
        StreamSid = StreamSid,
        Media = new WireMedia { Payload = Convert.ToBase64String(Payload.Span) },
    };
}

/// <summary>Barge-in: Twilio drops all buffered outbound audio and echoes every pending mark.</summary>
/// <param name="StreamSid">Stream SID.</param>
public sealed record ClearMessage(string StreamSid) : MediaStreamMessage
{
    /// <inheritdoc />
    public override string Event => "clear";

    internal override WireMessage ToWire() => new() { Event = Event, StreamSid = StreamSid };
}
