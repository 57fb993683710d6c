using Portal.Voice.Twilio;

namespace Portal.LoadDriver;

/// <summary>What an agent (server → Twilio) message was, as far as the caller's playout needs it.</summary>
public enum AgentMessageKind
{
    /// <summary>Not a valid outbound Media Streams message.</summary>
    Invalid,

    /// <summary><c>media</c>: audio to play.</summary>
    Media,

    /// <summary><c>mark</c>: echo when the audio before it has played.</summary>
    Mark,

    /// <summary><c>clear</c>: drop the buffered audio.</summary>
    Clear,
}

/// <summary>
/// Reads the messages Portal sends on a Media Stream (https://www.twilio.com/docs/voice/media-streams/websocket-messages#send-messages-to-twilio).
/// <c>media</c> frames, 50 per second per call, take a fast path that finds the base64 payload and computes its decoded
/// length without decoding it (the driver measures timing, not sound); anything else goes through Portal.Voice's parser
/// (<see cref="MediaStreamMessage.TryParseOutbound"/>), which also serves a <c>media</c> frame the fast path cannot read.
/// </summary>
public static class AgentMessageReader
{
    private static ReadOnlySpan<byte> MediaPrefix => "{\"event\":\"media\""u8;

    private static ReadOnlySpan<byte> PayloadKey => "\"payload\":\""u8;

    /// <summary>Reads one UTF-8 JSON text frame.</summary>
    /// <param name="utf8">The whole message.</param>
    /// <param name="payloadBytes">For <see cref="AgentMessageKind.Media"/>: the decoded μ-law length in bytes; else 0.</param>
    /// <param name="markName">For <see cref="AgentMessageKind.Mark"/>: the mark's name; else null.</param>
    /// <returns>The kind of message; <see cref="AgentMessageKind.Invalid"/> for anything Portal should not send.</returns>
    public static AgentMessageKind Read(ReadOnlySpan<byte> utf8, out int payloadBytes, out string? markName)
    {
        payloadBytes = 0;
        markName = null;
        if (utf8.StartsWith(MediaPrefix) && TryPayloadLength(utf8, out payloadBytes))
        {
            return AgentMessageKind.Media;
        }

        if (!MediaStreamMessage.TryParseOutbound(utf8, out var message, out _))
        {
            return AgentMessageKind.Invalid;
        }

        switch (message)
        {
            case OutboundMediaMessage media:
                payloadBytes = media.Payload.Length;
                return AgentMessageKind.Media;
            case MarkMessage mark:
                markName = mark.Name;
                return AgentMessageKind.Mark;
            case ClearMessage:
                return AgentMessageKind.Clear;
            default:
                return AgentMessageKind.Invalid;
        }
    }

    /// <summary>Decoded length of the <c>"payload":"…"</c> base64 string (standard alphabet, padded), or false when absent or malformed.</summary>
    private static bool TryPayloadLength(ReadOnlySpan<byte> utf8, out int bytes)
    {
        bytes = 0;
        int start = utf8.IndexOf(PayloadKey);
        if (start < 0)
        {
            return false;
        }

        var rest = utf8[(start + PayloadKey.Length)..];
        int end = rest.IndexOf((byte)'"');
        if (end <= 0 || end % 4 != 0)
        {
            return false;
        }

        var base64 = rest[..end];
        int padding = base64[^1] == '=' ? (base64[^2] == '=' ? 2 : 1) : 0;
        bytes = (end / 4 * 3) - padding;
        return bytes > 0;
    }
}
