using System.Buffers.Binary;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// Writes mono 16-bit PCM as a RIFF/WAVE file (44-byte canonical header, http://soundfile.sapp.org/doc/WaveFormat/):
/// OpenAI-compatible transcription servers take files, not raw PCM, and the call simulator saves the agent's audio.
/// </summary>
public static class WavWriter
{
    /// <summary>Length of the header written, in bytes.</summary>
    public const int HeaderBytes = 44;

    /// <summary>Encodes <paramref name="samples"/> at <paramref name="sampleRateHz"/> as a WAV file.</summary>
    /// <param name="samples">PCM16 samples, mono.</param>
    /// <param name="sampleRateHz">Sample rate in Hz.</param>
    /// <returns>The whole file.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleRateHz"/> is not positive.</exception>
    public static byte[] Mono16(ReadOnlySpan<short> samples, int sampleRateHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRateHz);
        int dataBytes = samples.Length * 2;
        var wav = new byte[HeaderBytes + dataBytes];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRateHz);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRateHz * 2); // byte rate
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2); // block align
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16); // bits per sample
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(span[(HeaderBytes + (2 * i))..], samples[i]);
        }

        return wav;
    }
}
