using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Portal.Voice.Audio;

/// <summary>
/// Reads the PCM16 samples out of a RIFF/WAVE file, so text-to-speech output (espeak-ng writes 22050 Hz mono
/// 16-bit WAV) can be resampled and μ-law encoded for the phone. Chunks are walked properly (<c>LIST</c> and other
/// chunks before <c>data</c> are skipped, odd-sized chunks padded), rather than assuming a 44-byte header.
/// </summary>
/// <remarks>
/// Format: Microsoft RIFF WAVE, <c>fmt </c> chunk with format tag 1 (PCM) or 0xFFFE (extensible), little endian
/// (http://soundfile.sapp.org/doc/WaveFormat/). espeak-ng <c>--stdout</c> streams, so its RIFF and data sizes are
/// placeholders (0x7FFFF000-ish); a data size beyond the buffer is clamped to the bytes present.
/// </remarks>
public static class WavPcm
{
    /// <summary>Parses a mono 16-bit PCM WAV file.</summary>
    /// <param name="wav">The whole file.</param>
    /// <param name="samples">The samples (native order), or null on failure.</param>
    /// <param name="sampleRateHz">The sample rate in Hz, or 0 on failure.</param>
    /// <param name="error">A one-line reason on failure.</param>
    /// <returns>True when <paramref name="wav"/> is mono 16-bit PCM WAV.</returns>
    public static bool TryRead(ReadOnlySpan<byte> wav, [NotNullWhen(true)] out short[]? samples, out int sampleRateHz, [NotNullWhen(false)] out string? error)
    {
        samples = null;
        sampleRateHz = 0;
        if (wav.Length < 12 || !wav[..4].SequenceEqual("RIFF"u8) || !wav.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            error = "not a RIFF/WAVE file";
            return false;
        }

        int rate = 0;
        bool haveFormat = false;
        int offset = 12;
        while (offset + 8 <= wav.Length)
        {
            var id = wav.Slice(offset, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(wav.Slice(offset + 4, 4));
            int body = offset + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > wav.Length)
                {
                    error = "truncated fmt chunk";
                    return false;
                }

                int tag = BinaryPrimitives.ReadUInt16LittleEndian(wav.Slice(body, 2));
                int channels = BinaryPrimitives.ReadUInt16LittleEndian(wav.Slice(body + 2, 2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(wav.Slice(body + 4, 4));
                int bits = BinaryPrimitives.ReadUInt16LittleEndian(wav.Slice(body + 14, 2));
                if (tag is not (1 or 0xFFFE) || channels != 1 || bits != 16 || rate <= 0)
                {
                    error = $"unsupported WAV format: tag {tag}, {channels} channel(s), {bits} bits, {rate} Hz (expected PCM mono 16-bit)";
                    return false;
                }

                haveFormat = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat)
                {
                    error = "data chunk before fmt chunk";
                    return false;
                }

                int length = (int)Math.Min(size, wav.Length - body) & ~1;
                samples = new short[length / 2];
                for (int i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(wav.Slice(body + (2 * i), 2));
                }

                sampleRateHz = rate;
                error = null;
                return true;
            }

            long next = body + size + (size & 1);
            if (next > wav.Length)
            {
                break;
            }

            offset = (int)next;
        }

        error = "no data chunk";
        return false;
    }
}
