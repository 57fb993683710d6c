using System.Buffers;
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
/// Wire format: https://www.twilio.com/docs/voice/media-streams/websocket-messages (docs protocols.md
/// §2.1–2.3). <c>sequenceNumber</c>, <c>media.chunk</c> and <c>media.timestamp</c> travel as JSON strings
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

    /// <summary>Serializes this message as compact UTF-8 JSON, in the wire shape of protocols.md §2.2/§2.3.</summary>
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

internal static class MediaStreamParser
{
    private const string Digits = "0123456789*#ABCD";

    public static bool TryParse(ReadOnlySpan<byte> utf8, bool inbound, [NotNullWhen(true)] out MediaStreamMessage? message, [NotNullWhen(false)] out string? error)
    {
        message = null;
        if (utf8.IsEmpty)
        {
            error = "empty frame";
            return false;
        }

        if (utf8.Length > MediaStreamMessage.MaxMessageBytes)
        {
            error = $"frame of {utf8.Length} bytes exceeds {MediaStreamMessage.MaxMessageBytes}";
            return false;
        }

        WireMessage? wire;
        try
        {
            wire = JsonSerializer.Deserialize(utf8, MediaStreamJsonContext.Default.WireMessage);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or NotSupportedException or FormatException or OverflowException)
        {
            error = "invalid JSON: " + ex.Message;
            return false;
        }

        if (wire is null)
        {
            error = "message is not a JSON object";
            return false;
        }

        if (string.IsNullOrEmpty(wire.Event))
        {
            error = "missing 'event'";
            return false;
        }

        error = (inbound, wire.Event) switch
        {
            (true, "connected") => ParseConnected(wire, out message),
            (true, "start") => ParseStart(wire, out message),
            (true, "media") => ParseMedia(wire, out message),
            (true, "dtmf") => ParseDtmf(wire, out message),
            (true, "mark") => ParseMark(wire, inbound, out message),
            (true, "stop") => ParseStop(wire, out message),
            (false, "media") => ParseOutboundMedia(wire, out message),
            (false, "mark") => ParseMark(wire, inbound, out message),
            (false, "clear") => ParseClear(wire, out message),
            _ => $"unknown {(inbound ? "inbound" : "outbound")} event '{Truncate(wire.Event)}'",
        };
        if (error is not null)
        {
            message = null;
            return false;
        }

        return message is not null || Fail("internal parser error", out error);
    }

    private static bool Fail(string reason, out string error)
    {
        error = reason;
        return false;
    }

    private static string? ParseConnected(WireMessage w, out MediaStreamMessage? m)
    {
        m = null;
        if (string.IsNullOrEmpty(w.Protocol))
        {
            return "connected: missing 'protocol'";
        }

        if (string.IsNullOrEmpty(w.Version))
        {
            return "connected: missing 'version'";
        }

        m = new ConnectedMessage(w.Protocol, w.Version);
        return null;
    }

    private static string? ParseStart(WireMessage w, out MediaStreamMessage? m)
    {
        m = null;
        if (RequireSequence(w, out long seq) is { } e1)
        {
            return e1;
        }

        if (w.Start is not { } s)
        {
            return "start: missing 'start' object";
        }

        string? streamSid = string.IsNullOrEmpty(w.StreamSid) ? s.StreamSid : w.StreamSid;
        if (string.IsNullOrEmpty(streamSid))
        {
            return "start: missing 'streamSid'";
        }

        if (string.IsNullOrEmpty(s.CallSid))
        {
            return "start: missing 'start.callSid'";
        }

        if (string.IsNullOrEmpty(s.AccountSid))
        {
            return "start: missing 'start.accountSid'";
        }

        if (s.MediaFormat is not { } f)
        {
            return "start: missing 'start.mediaFormat'";
        }

        if (f.Encoding != "audio/x-mulaw" || f.SampleRate != 8000 || f.Channels != 1)
        {
            return $"start: unsupported mediaFormat {Truncate(f.Encoding ?? "(none)")}/{f.SampleRate?.ToString(CultureInfo.InvariantCulture) ?? "?"} Hz/{f.Channels?.ToString(CultureInfo.InvariantCulture) ?? "?"} ch (expected audio/x-mulaw/8000/1)";
        }

        if (s.Tracks is { } tracks && Array.Exists(tracks, string.IsNullOrEmpty))
        {
            return "start: empty value in 'start.tracks'";
        }

        IReadOnlyDictionary<string, string> custom = s.CustomParameters is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(s.CustomParameters, StringComparer.Ordinal);
        m = new StartMessage(seq, streamSid, s.AccountSid, s.CallSid, s.Tracks ?? [], MediaFormat.MuLaw8k, custom);
        return null;
    }

    private static string? ParseMedia(WireMessage w, out MediaStreamMessage? m)
    {
        m = null;
        if (RequireSequence(w, out long seq) is { } e1)
        {
            return e1;
        }

        if (string.IsNullOrEmpty(w.StreamSid))
        {
            return "media: missing 'streamSid'";
        }

        if (w.Media is not { } media)
        {
            return "media: missing 'media' object";
        }

        if (media.Track is not ("inbound" or "outbound"))
        {
            return media.Track is null ? "media: missing 'media.track'" : $"media: unknown track '{Truncate(media.Track)}'";
        }

        if (ParseCounter(media.Chunk, "media.chunk", out long chunk) is { } e2)
        {
            return e2;
        }

        if (ParseCounter(media.Timestamp, "media.timestamp", out long timestamp) is { } e3)
        {
            return e3;
        }

        if (!TryDecodePayload(media.Payload, MediaStreamMessage.MaxInboundPayloadBytes, out byte[]? payload, out string? e4))
        {
            return e4;
        }

        m = new MediaMessage(seq, w.StreamSid, media.Track, chunk, timestamp, payload);
        return null;
    }

    private static string? ParseDtmf(WireMessage w, out MediaStreamMessage? m)
    {
        m = null;
        if (RequireSequence(w, out long seq) is { } e1)
        {
            return e1;
        }

        if (string.IsNullOrEmpty(w.StreamSid))
        {
            return "dtmf: missing 'streamSid'";
        }

        if (w.Dtmf is not { } d)
        {
            return "dtmf: missing 'dtmf' object";
        }

        if (d.Digit is not { Length: 1 } digit || !Digits.Contains(digit[0], StringComparison.Ordinal))
        {
            return $"dtmf: invalid digit '{Truncate(d.Digit ?? "(none)")}'";
        }

        m = new DtmfMessage(seq, w.StreamSid, string.IsNullOrEmpty(d.Track) ? "inbound_track" : d.Track, digit);
        return null;
    }

    private static string? ParseMark(WireMessage w, bool inbound, out MediaStreamMessage? m)
    {
        m = null;
        long? sequence = null;
        if (inbound)
        {
            if (RequireSequence(w, out long seq) is { } e1)
            {
                return e1;
            }

            sequence = seq;
        }

        if (string.IsNullOrEmpty(w.StreamSid))
        {
            return "mark: missing 'streamSid'";
        }

        if (w.Mark?.Name is not { } name)
        {
            return "mark: missing 'mark.name'";
        }

        m = new MarkMessage(sequence, w.StreamSid, name);
        return null;
    }

    private static string? ParseStop(WireMessage w, out MediaStreamMessage? m)
    {
        m = null;
        if (RequireSequence(w, out long seq) is { } e1)
        {
            return e1;
        }

        if (string.IsNullOrEmpty(w.StreamSid))
        {
            return "stop: missing 'streamSid'";
        }

        m = new StopMessage(seq, w.StreamSid, w.Stop?.AccountSid ?? string.Empty, w.Stop?.CallSid ?? string.Empty);
        return null;
    }

    private static string? ParseOutboundMedia(WireMessage w, out MediaStreamMessage? m)
    {
        m = null;
        if (string.IsNullOrEmpty(w.StreamSid))
        {
            return "media: missing 'streamSid'";
        }

        if (w.Media is not { } media)
        {
            return "media: missing 'media' object";
        }

        if (!TryDecodePayload(media.Payload, MediaStreamMessage.MaxMessageBytes, out byte[]? payload, out string? e))
        {
            return e;
        }

        m = new OutboundMediaMessage(w.StreamSid, payload);
        return null;
    }

    private static string? ParseClear(WireMessage w, out MediaStreamMessage? m)
    {
        m = null;
        if (string.IsNullOrEmpty(w.StreamSid))
        {
            return "clear: missing 'streamSid'";
        }

        m = new ClearMessage(w.StreamSid);
        return null;
    }

    private static string? RequireSequence(WireMessage w, out long value)
        => ParseCounter(w.SequenceNumber, "sequenceNumber", out value, prefix: w.Event);

    private static string? ParseCounter(string? text, string name, out long value, string? prefix = "media")
    {
        value = 0;
        if (text is null)
        {
            return $"{prefix}: missing '{name}'";
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return $"{prefix}: '{name}' is not a non-negative decimal integer: '{Truncate(text)}'";
        }

        return null;
    }

    private static bool TryDecodePayload(string? base64, int maxBytes, [NotNullWhen(true)] out byte[]? payload, [NotNullWhen(false)] out string? error)
    {
        payload = null;
        error = null;
        if (base64 is null)
        {
            error = "media: missing 'media.payload'";
        }
        else if (base64.Length == 0)
        {
            error = "media: empty payload";
        }
        else if (base64.Length % 4 != 0)
        {
            error = $"media: payload is not base64 (length {base64.Length} is not a multiple of 4)";
        }
        else
        {
            int padding = base64.EndsWith("==", StringComparison.Ordinal) ? 2 : base64.EndsWith('=') ? 1 : 0;
            int size = (base64.Length / 4 * 3) - padding;
            if (size > maxBytes)
            {
                error = $"media: payload of {size} bytes exceeds {maxBytes}";
            }
            else
            {
                var buffer = new byte[size];
                if (Convert.TryFromBase64String(base64, buffer, out int written) && written == size)
                {
                    payload = buffer;
                    return true;
                }

                error = "media: payload is not valid base64";
            }
        }

        return false;
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");
}

/// <summary>Reads a JSON string or number as its decimal text; writes a string (Twilio's counters are strings).</summary>
internal sealed class StringOrNumberConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"expected a string or number, got {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

internal sealed class WireMessage
{
    [JsonPropertyName("event")] public string? Event { get; set; }
    [JsonPropertyName("sequenceNumber")][JsonConverter(typeof(StringOrNumberConverter))] public string? SequenceNumber { get; set; }
    [JsonPropertyName("streamSid")] public string? StreamSid { get; set; }
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("start")] public WireStart? Start { get; set; }
    [JsonPropertyName("media")] public WireMedia? Media { get; set; }
    [JsonPropertyName("dtmf")] public WireDtmf? Dtmf { get; set; }
    [JsonPropertyName("mark")] public WireMark? Mark { get; set; }
    [JsonPropertyName("stop")] public WireStop? Stop { get; set; }
}

internal sealed class WireStart
{
    [JsonPropertyName("accountSid")] public string? AccountSid { get; set; }
    [JsonPropertyName("streamSid")] public string? StreamSid { get; set; }
    [JsonPropertyName("callSid")] public string? CallSid { get; set; }
    [JsonPropertyName("tracks")] public string[]? Tracks { get; set; }
    [JsonPropertyName("mediaFormat")] public WireMediaFormat? MediaFormat { get; set; }
    [JsonPropertyName("customParameters")] public Dictionary<string, string>? CustomParameters { get; set; }
}

internal sealed class WireMediaFormat
{
    [JsonPropertyName("encoding")] public string? Encoding { get; set; }
    [JsonPropertyName("sampleRate")] public int? SampleRate { get; set; }
    [JsonPropertyName("channels")] public int? Channels { get; set; }
}

internal sealed class WireMedia
{
    [JsonPropertyName("track")] public string? Track { get; set; }
    [JsonPropertyName("chunk")][JsonConverter(typeof(StringOrNumberConverter))] public string? Chunk { get; set; }
    [JsonPropertyName("timestamp")][JsonConverter(typeof(StringOrNumberConverter))] public string? Timestamp { get; set; }
    [JsonPropertyName("payload")] public string? Payload { get; set; }
}

internal sealed class WireDtmf
{
    [JsonPropertyName("track")] public string? Track { get; set; }
    [JsonPropertyName("digit")] public string? Digit { get; set; }
}

internal sealed class WireMark
{
    [JsonPropertyName("name")] public string? Name { get; set; }
}

internal sealed class WireStop
{
    [JsonPropertyName("accountSid")] public string? AccountSid { get; set; }
    [JsonPropertyName("callSid")] public string? CallSid { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WireMessage))]
internal sealed partial class MediaStreamJsonContext : JsonSerializerContext;
