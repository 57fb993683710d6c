using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Twilio;

public sealed class MediaStreamMessagesTests
{
    private const string Sid = "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";

    // Message shapes from Twilio's reference (https://www.twilio.com/docs/voice/media-streams/websocket-messages), inbound.
    private const string ConnectedSample = """{ "event": "connected", "protocol": "Call", "version": "1.0.0" }""";

    private const string StartSample = """
        {
          "event": "start",
          "sequenceNumber": "1",
          "start": {
            "accountSid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "callSid": "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "tracks": [ "inbound" ],
            "mediaFormat": { "encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1 },
            "customParameters": { "FirstName": "Jane", "LastName": "Doe", "RemoteParty": "Bob" }
          },
          "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
        }
        """;

    private const string MediaSample = """
        {
         "event": "media",
         "sequenceNumber": "4",
         "media": { "track": "inbound", "chunk": "2", "timestamp": "5", "payload": "no+JhoaJjpzS..." },
         "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
        }
        """;

    private const string DtmfSample = """
        { "event": "dtmf", "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "sequenceNumber": "5",
          "dtmf": { "track": "inbound_track", "digit": "1" } }
        """;

    private const string MarkSample = """
        { "event": "mark", "sequenceNumber": "4", "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
          "mark": { "name": "my label" } }
        """;

    private const string StopSample = """
        { "event": "stop", "sequenceNumber": "5",
          "stop": { "accountSid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "callSid": "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" },
          "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" }
        """;

    // Message shapes from Twilio's reference (https://www.twilio.com/docs/voice/media-streams/websocket-messages), outbound.
    private const string OutboundMediaSample = """{ "event": "media", "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "media": { "payload": "a3242sa..." } }""";
    private const string OutboundMarkSample = """{ "event": "mark", "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "mark": { "name": "my label" } }""";
    private const string ClearSample = """{ "event": "clear", "streamSid": "MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" }""";

    private static readonly string SilenceFrameBase64 = new string('/', 213) + "w==";

    [Fact]
    public void Connected_Sample_Parses()
    {
        var m = Assert.IsType<ConnectedMessage>(ParseOk(ConnectedSample));
        Assert.Equal(("connected", "Call", "1.0.0"), (m.Event, m.Protocol, m.Version));
        AssertSameJson(ConnectedSample, m.ToUtf8Json());
    }

    [Fact]
    public void Start_Sample_Parses()
    {
        var m = Assert.IsType<StartMessage>(ParseOk(StartSample));
        Assert.Equal(1, m.SequenceNumber);
        Assert.Equal(Sid, m.StreamSid);
        Assert.Equal("ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", m.AccountSid);
        Assert.Equal("CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", m.CallSid);
        Assert.Equal(["inbound"], m.Tracks);
        Assert.Equal(MediaFormat.MuLaw8k, m.MediaFormat);
        Assert.Equal(3, m.CustomParameters.Count);
        Assert.Equal("Jane", m.CustomParameters["FirstName"]);
        Assert.Equal("Doe", m.CustomParameters["LastName"]);
        Assert.Equal("Bob", m.CustomParameters["RemoteParty"]);
        AssertSameJson(StartSample, m.ToUtf8Json());
    }

    [Fact]
    public void Media_SampleAsPrinted_IsRejectedBecauseTheDocsAbbreviateThePayload()
    {
        Assert.False(MediaStreamMessage.TryParse(Encoding.UTF8.GetBytes(MediaSample), out var m, out string? error));
        Assert.Null(m);
        Assert.Contains("base64", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Media_SampleWithARealSilenceFrame_Parses()
    {
        Assert.Equal(216, SilenceFrameBase64.Length);
        string json = MediaSample.Replace("no+JhoaJjpzS...", SilenceFrameBase64, StringComparison.Ordinal);
        var m = Assert.IsType<MediaMessage>(ParseOk(json));
        Assert.Equal((4L, Sid, "inbound", 2L, 5L), (m.SequenceNumber, m.StreamSid, m.Track, m.Chunk, m.Timestamp));
        Assert.Equal(160, m.Payload.Length);
        Assert.All(m.Payload.ToArray(), b => Assert.Equal(0xFF, b));
        AssertSameJson(json, m.ToUtf8Json());
    }

    [Fact]
    public void Media_CountersAsJsonNumbers_AreAccepted()
    {
        string json = """{"event":"media","sequenceNumber":4,"streamSid":"MZ1","media":{"track":"outbound","chunk":2,"timestamp":40,"payload":"/85OgAA="}}""";
        var m = Assert.IsType<MediaMessage>(ParseOk(json));
        Assert.Equal((4L, 2L, 40L, "outbound"), (m.SequenceNumber, m.Chunk, m.Timestamp, m.Track));
        Assert.Equal(new byte[] { 0xFF, 0xCE, 0x4E, 0x80, 0x00 }, m.Payload.ToArray());
        Assert.Contains("\"sequenceNumber\":\"4\"", Encoding.UTF8.GetString(m.ToUtf8Json()), StringComparison.Ordinal); // written back as a string
    }

    [Fact]
    public void Dtmf_Sample_Parses()
    {
        var m = Assert.IsType<DtmfMessage>(ParseOk(DtmfSample));
        Assert.Equal((5L, Sid, "inbound_track", "1"), (m.SequenceNumber, m.StreamSid, m.Track, m.Digit));
        AssertSameJson(DtmfSample, m.ToUtf8Json());
    }

    [Fact]
    public void Mark_Sample_Parses()
    {
        var m = Assert.IsType<MarkMessage>(ParseOk(MarkSample));
        Assert.Equal((4L, Sid, "my label"), (m.SequenceNumber!.Value, m.StreamSid, m.Name));
        AssertSameJson(MarkSample, m.ToUtf8Json());
    }

    [Fact]
    public void Stop_Sample_Parses()
    {
        var m = Assert.IsType<StopMessage>(ParseOk(StopSample));
        Assert.Equal((5L, Sid, "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "CAXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"), (m.SequenceNumber, m.StreamSid, m.AccountSid, m.CallSid));
        AssertSameJson(StopSample, m.ToUtf8Json());
    }

    [Fact]
    public void Outbound_Samples_ParseAndWriteExactly()
    {
        Assert.False(MediaStreamMessage.TryParseOutbound(Encoding.UTF8.GetBytes(OutboundMediaSample), out _, out string? error)); // "a3242sa..." is an abbreviation
        Assert.Contains("base64", error, StringComparison.Ordinal);

        var mark = Assert.IsType<MarkMessage>(ParseOutboundOk(OutboundMarkSample));
        Assert.Null(mark.SequenceNumber);
        Assert.Equal("""{"event":"mark","streamSid":"MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX","mark":{"name":"my label"}}""", Encoding.UTF8.GetString(mark.ToUtf8Json()));
        AssertSameJson(OutboundMarkSample, new MarkMessage(null, Sid, "my label").ToUtf8Json());

        var clear = Assert.IsType<ClearMessage>(ParseOutboundOk(ClearSample));
        Assert.Equal(Sid, clear.StreamSid);
        Assert.Equal("""{"event":"clear","streamSid":"MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"}""", Encoding.UTF8.GetString(clear.ToUtf8Json()));
    }

    [Fact]
    public void OutboundMedia_WritesTheSampleShape_AndTheHotPathMatches()
    {
        byte[] ulaw = [0xFF, 0xCE, 0x4E, 0xFB, 0xEF, 0xBE, 0x80, 0x00]; // "/85O++++gAA=": base64 contains '+' and '/'
        var message = new OutboundMediaMessage(Sid, ulaw);
        string expected = $$$"""{"event":"media","streamSid":"{{{Sid}}}","media":{"payload":"{{{Convert.ToBase64String(ulaw)}}}"}}""";
        Assert.Contains('+', Convert.ToBase64String(ulaw));
        Assert.Equal(expected, Encoding.UTF8.GetString(message.ToUtf8Json()));

        var buffer = new ArrayBufferWriter<byte>();
        MediaStreamMessage.WriteOutboundMedia(buffer, Sid, ulaw);
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));

        var parsed = Assert.IsType<OutboundMediaMessage>(ParseOutboundOk(expected));
        Assert.Equal(ulaw, parsed.Payload.ToArray());

        // Our outbound shape is not a valid Twilio → us media message: that one needs sequenceNumber, track, chunk, timestamp.
        Assert.False(MediaStreamMessage.TryParse(Encoding.UTF8.GetBytes(expected), out _, out string? inboundError));
        Assert.Equal("media: missing 'sequenceNumber'", inboundError);
    }

    [Theory]
    [InlineData("MZ0123456789abcdef0123456789abcdef", 1)]
    [InlineData("MZ0123456789abcdef0123456789abcdef", 2)]
    [InlineData("MZ0123456789abcdef0123456789abcdef", 160)]
    [InlineData("MZ0123456789abcdef0123456789abcdef", 161)]
    [InlineData("MZ0123456789abcdef0123456789abcdef", 4000)]
    [InlineData("MZ\"quoted\\sid", 160)] // needs escaping: the Utf8JsonWriter path
    [InlineData("MZ-é-sid", 3)]
    public void OutboundMedia_HotPath_WritesWhatUtf8JsonWriterWrites(string sid, int length)
    {
        byte[] ulaw = Enumerable.Range(0, length).Select(i => (byte)(i * 37)).ToArray();
        var expected = new ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(expected, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("event", "media");
            writer.WriteString("streamSid", sid);
            writer.WriteStartObject("media");
            writer.WriteBase64String("payload", ulaw);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        // A buffer that already holds bytes: the message is appended after them.
        var buffer = new ArrayBufferWriter<byte>(8);
        buffer.Write("xyz"u8);
        MediaStreamMessage.WriteOutboundMedia(buffer, sid, ulaw);

        Assert.Equal(Encoding.UTF8.GetString(expected.WrittenSpan), Encoding.UTF8.GetString(buffer.WrittenSpan[3..]));
        var parsed = Assert.IsType<OutboundMediaMessage>(ParseOutboundOk(Encoding.UTF8.GetString(buffer.WrittenSpan[3..])));
        Assert.Equal(sid, parsed.StreamSid);
        Assert.Equal(ulaw, parsed.Payload.ToArray());
    }

    [Fact]
    public void WriteTo_BufferWriter_EqualsToUtf8Json()
    {
        var m = Assert.IsType<StartMessage>(ParseOk(StartSample));
        var buffer = new ArrayBufferWriter<byte>();
        m.WriteTo(buffer);
        Assert.Equal(m.ToUtf8Json(), buffer.WrittenSpan.ToArray());
    }

    public static TheoryData<string, string> MalformedInbound => new()
    {
        { "", "empty frame" },
        { "not json", "invalid JSON" },
        { "{\"event\":\"media\"", "invalid JSON" },
        { "[]", "invalid JSON" },
        { "42", "invalid JSON" },
        { "\"media\"", "invalid JSON" },
        { "null", "not a JSON object" },
        { "{}", "missing 'event'" },
        { "{\"event\":null}", "missing 'event'" },
        { "{\"event\":\"\"}", "missing 'event'" },
        { "{\"event\":42}", "invalid JSON" },
        { "{\"event\":\"bogus\"}", "unknown inbound event 'bogus'" },
        { "{\"event\":\"clear\",\"streamSid\":\"MZ1\"}", "unknown inbound event 'clear'" },
        { "{\"event\":\"connected\",\"version\":\"1.0.0\"}", "missing 'protocol'" },
        { "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\"}", "missing 'start' object" },
        { "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{\"accountSid\":\"AC1\",\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}", "missing 'start.callSid'" },
        { "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\"}}", "missing 'start.mediaFormat'" },
        { "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\",\"mediaFormat\":{\"encoding\":\"audio/l16\",\"sampleRate\":16000,\"channels\":1}}}", "unsupported mediaFormat" },
        { "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\",\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":\"8000\",\"channels\":1}}}", "invalid JSON" },
        { "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\",\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1},\"customParameters\":{\"a\":1}}}", "invalid JSON" },
        { Media(payload: "\"!!!!\""), "not valid base64" },
        { Media(payload: "\"/85OgAA\""), "not a multiple of 4" },
        { Media(payload: "\"\""), "empty payload" },
        { Media(payload: "null"), "missing 'media.payload'" },
        { Media(payload: "42"), "invalid JSON" },
        { Media(payload: "\"" + new string('A', 21336) + "\""), "exceeds 16000" },
        { Media(chunk: "\"abc\""), "'media.chunk' is not a non-negative decimal integer" },
        { Media(chunk: "\"-1\""), "'media.chunk' is not" },
        { Media(chunk: "\"1.5\""), "'media.chunk' is not" },
        { Media(chunk: "\"99999999999999999999\""), "'media.chunk' is not" },
        { Media(chunk: "true"), "invalid JSON" },
        { Media(timestamp: null), "missing 'media.timestamp'" },
        { Media(track: "\"sideways\""), "unknown track 'sideways'" },
        { Media(track: null), "missing 'media.track'" },
        { Media(sequence: null), "media: missing 'sequenceNumber'" },
        { Media(sequence: "\" 4\""), "'sequenceNumber' is not" },
        { Media(streamSid: null), "media: missing 'streamSid'" },
        { "{\"event\":\"media\",\"sequenceNumber\":\"4\",\"streamSid\":\"MZ1\"}", "missing 'media' object" },
        { "{\"event\":\"media\",\"sequenceNumber\":\"4\",\"streamSid\":\"MZ1\",\"media\":\"x\"}", "invalid JSON" },
        { "{\"event\":\"dtmf\",\"sequenceNumber\":\"5\",\"streamSid\":\"MZ1\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"12\"}}", "invalid digit '12'" },
        { "{\"event\":\"dtmf\",\"sequenceNumber\":\"5\",\"streamSid\":\"MZ1\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"x\"}}", "invalid digit 'x'" },
        { "{\"event\":\"dtmf\",\"sequenceNumber\":\"5\",\"streamSid\":\"MZ1\"}", "missing 'dtmf' object" },
        { "{\"event\":\"mark\",\"sequenceNumber\":\"4\",\"streamSid\":\"MZ1\",\"mark\":{}}", "missing 'mark.name'" },
        { "{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"a\"}}", "mark: missing 'sequenceNumber'" },
        { "{\"event\":\"stop\",\"streamSid\":\"MZ1\"}", "stop: missing 'sequenceNumber'" },
        { "{\"event\":\"stop\",\"sequenceNumber\":\"9\"}", "stop: missing 'streamSid'" },
        { new string('[', 200) + new string(']', 200), "invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(MalformedInbound))]
    public void TryParse_Malformed_ReturnsAClearErrorWithoutThrowing(string json, string expectedError)
    {
        Assert.False(MediaStreamMessage.TryParse(Encoding.UTF8.GetBytes(json), out var message, out string? error));
        Assert.Null(message);
        Assert.NotNull(error);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"event\":\"start\"}", "unknown outbound event 'start'")]
    [InlineData("{\"event\":\"media\",\"media\":{\"payload\":\"/w==\"}}", "media: missing 'streamSid'")]
    [InlineData("{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\"\"}}", "empty payload")]
    [InlineData("{\"event\":\"clear\"}", "clear: missing 'streamSid'")]
    [InlineData("{\"event\":\"mark\",\"streamSid\":\"MZ1\"}", "missing 'mark.name'")]
    public void TryParseOutbound_Malformed_ReturnsAClearError(string json, string expectedError)
    {
        Assert.False(MediaStreamMessage.TryParseOutbound(Encoding.UTF8.GetBytes(json), out var message, out string? error));
        Assert.Null(message);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_InvalidUtf8AndOversizedFrames_ReturnErrors()
    {
        byte[] invalidUtf8 = [.. "{\"event\":\"mark\",\"sequenceNumber\":\"4\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\""u8, 0xC3, 0x28, .. "\"}}"u8];
        Assert.False(MediaStreamMessage.TryParse(invalidUtf8, out _, out string? error));
        Assert.Contains("invalid JSON", error, StringComparison.Ordinal);

        byte[] huge = new byte[MediaStreamMessage.MaxMessageBytes + 1];
        Assert.False(MediaStreamMessage.TryParse(huge, out _, out error));
        Assert.Contains("exceeds", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_UnknownPropertiesAreIgnored()
    {
        string json = """{"event":"mark","sequenceNumber":"4","streamSid":"MZ1","mark":{"name":"a","extra":[1,2]},"future":{"x":true}}""";
        Assert.IsType<MarkMessage>(ParseOk(json));
    }

    [Fact]
    public void TryParse_NeverThrows_OnTruncationsAndByteFlipsOfEverySample()
    {
        string media = MediaSample.Replace("no+JhoaJjpzS...", SilenceFrameBase64, StringComparison.Ordinal);
        var random = new Random(42);
        foreach (string sample in new[] { ConnectedSample, StartSample, media, DtmfSample, MarkSample, StopSample, ClearSample })
        {
            byte[] bytes = Encoding.UTF8.GetBytes(sample);
            for (int length = 0; length < bytes.Length; length++)
            {
                _ = MediaStreamMessage.TryParse(bytes.AsSpan(0, length), out _, out _);
                _ = MediaStreamMessage.TryParseOutbound(bytes.AsSpan(0, length), out _, out _);
            }

            for (int i = 0; i < 2000; i++)
            {
                byte[] mutated = (byte[])bytes.Clone();
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                }

                if (MediaStreamMessage.TryParse(mutated, out var message, out string? error))
                {
                    Assert.NotNull(message);
                    Assert.Null(error);
                }
                else
                {
                    Assert.Null(message);
                    Assert.False(string.IsNullOrEmpty(error));
                }
            }
        }
    }

    private static string Media(string? sequence = "\"4\"", string? streamSid = "\"MZ1\"", string? track = "\"inbound\"", string? chunk = "\"2\"", string? timestamp = "\"5\"", string? payload = "\"/w==\"")
    {
        var parts = new List<string> { "\"event\":\"media\"" };
        if (sequence is not null)
        {
            parts.Add("\"sequenceNumber\":" + sequence);
        }

        if (streamSid is not null)
        {
            parts.Add("\"streamSid\":" + streamSid);
        }

        var media = new List<string>();
        if (track is not null)
        {
            media.Add("\"track\":" + track);
        }

        if (chunk is not null)
        {
            media.Add("\"chunk\":" + chunk);
        }

        if (timestamp is not null)
        {
            media.Add("\"timestamp\":" + timestamp);
        }

        media.Add("\"payload\":" + payload);
        parts.Add("\"media\":{" + string.Join(',', media) + "}");
        return "{" + string.Join(',', parts) + "}";
    }

    private static MediaStreamMessage ParseOk(string json)
    {
        bool ok = MediaStreamMessage.TryParse(Encoding.UTF8.GetBytes(json), out var message, out string? error);
        Assert.True(ok, error);
        Assert.Null(error);
        return message!;
    }

    private static MediaStreamMessage ParseOutboundOk(string json)
    {
        bool ok = MediaStreamMessage.TryParseOutbound(Encoding.UTF8.GetBytes(json), out var message, out string? error);
        Assert.True(ok, error);
        return message!;
    }

    private static void AssertSameJson(string expected, byte[] actual)
    {
        JsonNode? e = JsonNode.Parse(expected);
        JsonNode? a = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(e, a), $"expected {e?.ToJsonString()}\nactual   {a?.ToJsonString()}");
    }
}
