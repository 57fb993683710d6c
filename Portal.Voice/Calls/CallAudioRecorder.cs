using System.Buffers;
using System.Buffers.Binary;
using Portal.Voice.Audio;

namespace Portal.Voice.Calls;

/// <summary>
/// Collects a caller's inbound μ-law audio (Twilio Media Streams, 8000 Hz mono, https://www.twilio.com/docs/voice/media-streams/websocket-messages) for a voice message
/// and turns it into a WAV file (RIFF/WAVE, PCM16 mono 8000 Hz) that browsers play. Bounded by a maximum length.
/// </summary>
/// <remarks>Not thread-safe: one instance per recording, driven from the call's receive loop.</remarks>
public sealed class CallAudioRecorder
{
    private readonly ArrayBufferWriter<byte> _ulaw = new(8000);
    private readonly int _maxBytes;

    /// <summary>Creates a recorder.</summary>
    /// <param name="maxDuration">Longest recording kept; later audio is dropped (at least 1 s).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDuration"/> is under 1 s.</exception>
    public CallAudioRecorder(TimeSpan maxDuration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDuration, TimeSpan.FromSeconds(1));
        _maxBytes = (int)(maxDuration.TotalMilliseconds * MuLawFrameSplitter.SampleRateHz / 1000);
    }

    /// <summary>Recorded length, ms.</summary>
    public int DurationMs => (int)((long)_ulaw.WrittenCount * 1000 / MuLawFrameSplitter.SampleRateHz);

    /// <summary>True once the maximum length is reached.</summary>
    public bool IsFull => _ulaw.WrittenCount >= _maxBytes;

    /// <summary>Appends inbound μ-law bytes (any length); audio past the maximum is dropped.</summary>
    /// <param name="ulaw">μ-law bytes, 8000 Hz mono.</param>
    public void Append(ReadOnlySpan<byte> ulaw)
    {
        int room = _maxBytes - _ulaw.WrittenCount;
        if (room > 0)
        {
            _ulaw.Write(ulaw[..Math.Min(room, ulaw.Length)]);
        }
    }

    /// <summary>The recording as a WAV file: 44-byte RIFF header then PCM16 little-endian samples at 8000 Hz.</summary>
    /// <returns>The WAV bytes.</returns>
    public byte[] ToWav() => MuLawToWav(_ulaw.WrittenSpan);

    /// <summary>Decodes μ-law 8000 Hz mono (ITU-T G.711) into a canonical 44-byte-header PCM16 WAV file.</summary>
    /// <param name="ulaw">μ-law bytes.</param>
    /// <returns>RIFF/WAVE bytes (format tag 1, 1 channel, 8000 Hz, 16 bits).</returns>
    public static byte[] MuLawToWav(ReadOnlySpan<byte> ulaw)
    {
        const int header = 44;
        const int rate = MuLawFrameSplitter.SampleRateHz;
        int dataBytes = ulaw.Length * 2;
        var wav = new byte[header + dataBytes];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], header - 8 + dataBytes);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], rate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], rate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        for (int i = 0; i < ulaw.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(span[(header + (2 * i))..], MuLaw.DecodeSample(ulaw[i]));
        }

        return wav;
    }
}
