using System.Buffers.Text;
using System.Text;
using Portal.Voice.Audio;

namespace Portal.LoadDriver;

/// <summary>
/// Writes the caller's 20 ms <c>media</c> messages of one stream without allocating: a per-stream template of the
/// JSON Twilio sends (https://www.twilio.com/docs/voice/media-streams/websocket-messages#media-message:
/// <c>{"event":"media","sequenceNumber":"…","streamSid":"…","media":{"track":"inbound","chunk":"…","timestamp":"…","payload":"…"}}</c>,
/// the counters as decimal strings, the payload base64 μ-law 8 kHz) with the counters and the payload written into
/// one reused buffer. A load driver sends 50 of these per second per call; building each through
/// <c>MediaMessage.ToUtf8Json</c> would allocate kilobytes per frame on the machine being measured.
/// </summary>
public sealed class InboundMediaWriter
{
    private static readonly byte[] Head = Encoding.UTF8.GetBytes("{\"event\":\"media\",\"sequenceNumber\":\"");
    private static readonly byte[] ChunkHead = Encoding.UTF8.GetBytes("\",\"media\":{\"track\":\"inbound\",\"chunk\":\"");
    private static readonly byte[] TimestampHead = Encoding.UTF8.GetBytes("\",\"timestamp\":\"");
    private static readonly byte[] PayloadHead = Encoding.UTF8.GetBytes("\",\"payload\":\"");
    private static readonly byte[] Tail = Encoding.UTF8.GetBytes("\"}}");

    private readonly byte[] _streamSidPart;
    private readonly byte[] _buffer;

    /// <summary>Creates the writer of one stream.</summary>
    /// <param name="streamSid">The stream's SID (<c>MZ</c> + 32 hex): ASCII letters and digits, written verbatim.</param>
    /// <exception cref="ArgumentException"><paramref name="streamSid"/> is empty or not ASCII letters and digits.</exception>
    public InboundMediaWriter(string streamSid)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamSid);
        if (!streamSid.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("A stream SID is ASCII letters and digits.", nameof(streamSid));
        }

        _streamSidPart = Encoding.UTF8.GetBytes("\",\"streamSid\":\"" + streamSid);
        _buffer = new byte[Head.Length + 20 + _streamSidPart.Length + ChunkHead.Length + 20 + TimestampHead.Length + 20
            + PayloadHead.Length + Base64.GetMaxEncodedToUtf8Length(MuLawFrameSplitter.FrameBytes) + Tail.Length];
    }

    /// <summary>
    /// Writes one message into the writer's buffer. The returned memory is valid until the next call; a caller that
    /// sends it asynchronously must not call again before the send completed.
    /// </summary>
    /// <param name="sequenceNumber">Message counter across all events of the stream, from 1.</param>
    /// <param name="chunk">Media message counter, from 1.</param>
    /// <param name="timestampMs">Milliseconds since the stream started.</param>
    /// <param name="frame">Exactly 160 μ-law bytes (20 ms at 8 kHz).</param>
    /// <returns>The UTF-8 JSON text frame.</returns>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is not 160 bytes.</exception>
    public ReadOnlyMemory<byte> Write(long sequenceNumber, long chunk, long timestampMs, ReadOnlySpan<byte> frame)
    {
        if (frame.Length != MuLawFrameSplitter.FrameBytes)
        {
            throw new ArgumentException($"A frame is {MuLawFrameSplitter.FrameBytes} bytes.", nameof(frame));
        }

        var span = _buffer.AsSpan();
        int n = 0;
        Put(span, ref n, Head);
        Number(span, ref n, sequenceNumber);
        Put(span, ref n, _streamSidPart);
        Put(span, ref n, ChunkHead);
        Number(span, ref n, chunk);
        Put(span, ref n, TimestampHead);
        Number(span, ref n, timestampMs);
        Put(span, ref n, PayloadHead);
        Base64.EncodeToUtf8(frame, span[n..], out _, out int written);
        n += written;
        Put(span, ref n, Tail);
        return _buffer.AsMemory(0, n);
    }

    private static void Put(Span<byte> span, ref int n, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[n..]);
        n += bytes.Length;
    }

    private static void Number(Span<byte> span, ref int n, long value)
    {
        Utf8Formatter.TryFormat(value, span[n..], out int written);
        n += written;
    }
}
