using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Voice.Twilio;

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
