using System.Buffers.Text;
using System.Text;
using Portal.Voice.Twilio;

namespace Portal.Voice.Benchmarks;

/// <summary>
/// The fake Twilio's side of the wire, kept cheap so it does not compete with the sessions for the CPU: inbound
/// <c>media</c> frames are written from a pre-encoded template (the base64 payload is fixed, only the counters change)
/// and outbound <c>media</c> frames are recognized by their prefix, without a JSON parse.
/// </summary>
internal sealed class FakeTwilioWire
{
    private static readonly byte[] OutboundMediaPrefix = Encoding.UTF8.GetBytes("{\"event\":\"media\",");

    private readonly byte[] _head;
    private readonly byte[] _middle;
    private readonly byte[] _tail;
    private readonly byte[] _buffer;

    /// <summary>Template for <c>{"event":"media","sequenceNumber":"…","streamSid":"…","media":{"track":"inbound","chunk":"…","timestamp":"…","payload":"…"}}</c>.</summary>
    public FakeTwilioWire(string streamSid, ReadOnlySpan<byte> payload)
    {
        _head = Encoding.UTF8.GetBytes("{\"event\":\"media\",\"sequenceNumber\":\"");
        _middle = Encoding.UTF8.GetBytes("\",\"streamSid\":\"" + streamSid + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\"");
        _tail = Encoding.UTF8.GetBytes("\",\"payload\":\"" + Convert.ToBase64String(payload) + "\"}}");
        _buffer = new byte[_head.Length + _middle.Length + _tail.Length + 64];
    }

    /// <summary>True when <paramref name="frame"/> is an outbound <c>media</c> message as the session writes it.</summary>
    public static bool IsOutboundMedia(ReadOnlySpan<byte> frame) => frame.StartsWith(OutboundMediaPrefix);

    /// <summary>The inbound media message with these counters; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Media(long sequenceNumber, long chunk, long timestampMs)
    {
        var span = _buffer.AsSpan();
        int n = 0;
        Put(span, ref n, _head);
        n += Format(span[n..], sequenceNumber);
        Put(span, ref n, _middle);
        n += Format(span[n..], chunk);
        Put(span, ref n, "\",\"timestamp\":\""u8);
        n += Format(span[n..], timestampMs);
        Put(span, ref n, _tail);
        return _buffer.AsMemory(0, n);
    }

    /// <summary>Checks that the template writes what <see cref="MediaMessage"/> writes, so the fast path is the real wire.</summary>
    public void Verify(string streamSid, ReadOnlyMemory<byte> payload)
    {
        var expected = new MediaMessage(7, streamSid, "inbound", 3, 60, payload).ToUtf8Json();
        if (!Media(7, 3, 60).Span.SequenceEqual(expected))
        {
            throw new InvalidOperationException("fake Twilio media template differs from MediaMessage.ToUtf8Json()");
        }
    }

    private static void Put(Span<byte> span, ref int n, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[n..]);
        n += bytes.Length;
    }

    private static int Format(Span<byte> span, long value) =>
        Utf8Formatter.TryFormat(value, span, out int written) ? written : throw new InvalidOperationException("counter too long");
}
