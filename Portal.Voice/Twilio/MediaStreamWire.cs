using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Voice.Twilio;

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
