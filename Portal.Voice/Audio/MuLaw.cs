using System.Numerics;

namespace Portal.Voice.Audio;

/// <summary>
/// G.711 μ-law codec for Twilio Media Streams (<c>audio/x-mulaw</c>, 8000 Hz, mono, 1 byte per
/// sample). Twilio sends and expects headerless μ-law, while speech engines work on PCM16, so every
/// call converts in both directions 50 times a second; the bulk APIs are span-based and allocate nothing.
/// </summary>
/// <remarks>
/// Encoder: the classic 16-bit "Sun/CCITT" form (BIAS 0x84, CLIP 32635), ITU-T G.711
/// (https://www.itu.int/rec/T-REC-G.711) as written in Sun's <c>g711.c</c>. It agrees with python
/// <c>audioop.lin2ulaw</c> and <c>sox -D</c> on all positive inputs; they differ on some small
/// negative inputs (e.g. −1: classic 0x7F, audioop 0x7E), see docs/protocols/g711-mulaw.md.
/// Decoder: exact inverse table, range ±32124; 0xFF and 0x7F both decode to 0.
/// </remarks>
public static class MuLaw
{
    /// <summary>The conventional μ-law silence byte (decodes to PCM 0).</summary>
    public const byte Silence = 0xFF;

    /// <summary>Bias added to the magnitude before segment search (132).</summary>
    public const int Bias = 0x84;

    /// <summary>Largest magnitude encoded; larger magnitudes are clipped to it (32635).</summary>
    public const int Clip = 32635;

    /// <summary>Largest magnitude a μ-law code decodes to (32124).</summary>
    public const int MaxDecoded = 32124;

    private static readonly short[] DecodeTableArray = BuildDecodeTable();

    /// <summary>
    /// The 256-entry decode table: <c>DecodeTable[code]</c> is the PCM16 value of μ-law byte <c>code</c>.
    /// </summary>
    public static ReadOnlySpan<short> DecodeTable => DecodeTableArray;

    /// <summary>Encodes one PCM16 sample to a μ-law byte (classic encoder, docs/protocols/g711-mulaw.md).</summary>
    /// <param name="pcm">Signed 16-bit linear sample.</param>
    /// <returns>The μ-law code (bit-inverted sign/exponent/mantissa).</returns>
    public static byte EncodeSample(short pcm)
    {
        int s = pcm; // int, not short: -(-32768) overflows a short.
        int sign = (s >> 8) & 0x80; // 0x80 when negative.
        if (s < 0)
        {
            s = -s;
        }

        if (s > Clip)
        {
            s = Clip;
        }

        s += Bias;
        // s is in [132, 32767]: its highest set bit is among bits 7..14, the exponent is that position − 7.
        int exp = BitOperations.Log2((uint)s) - 7;
        int mant = (s >> (exp + 3)) & 0x0F;
        return (byte)~(sign | (exp << 4) | mant);
    }

    /// <summary>Decodes one μ-law byte to PCM16 (table lookup, docs/protocols/g711-mulaw.md).</summary>
    /// <param name="ulaw">μ-law code.</param>
    /// <returns>Linear sample in [−32124, 32124].</returns>
    public static short DecodeSample(byte ulaw) => DecodeTableArray[ulaw];

    /// <summary>Encodes PCM16 samples to μ-law bytes, one byte per sample.</summary>
    /// <param name="pcm">Input samples (any length).</param>
    /// <param name="ulaw">Destination; must hold at least <c>pcm.Length</c> bytes. Only the first <c>pcm.Length</c> bytes are written.</param>
    /// <exception cref="ArgumentException"><paramref name="ulaw"/> is shorter than <paramref name="pcm"/>.</exception>
    public static void Encode(ReadOnlySpan<short> pcm, Span<byte> ulaw)
    {
        if (ulaw.Length < pcm.Length)
        {
            throw new ArgumentException($"Destination holds {ulaw.Length} bytes but {pcm.Length} samples need encoding.", nameof(ulaw));
        }

        for (int i = 0; i < pcm.Length; i++)
        {
            ulaw[i] = EncodeSample(pcm[i]);
        }
    }

    /// <summary>Decodes μ-law bytes to PCM16 samples, one sample per byte.</summary>
    /// <param name="ulaw">Input μ-law bytes (any length).</param>
    /// <param name="pcm">Destination; must hold at least <c>ulaw.Length</c> samples. Only the first <c>ulaw.Length</c> samples are written.</param>
    /// <exception cref="ArgumentException"><paramref name="pcm"/> is shorter than <paramref name="ulaw"/>.</exception>
    public static void Decode(ReadOnlySpan<byte> ulaw, Span<short> pcm)
    {
        if (pcm.Length < ulaw.Length)
        {
            throw new ArgumentException($"Destination holds {pcm.Length} samples but {ulaw.Length} bytes need decoding.", nameof(pcm));
        }

        ReadOnlySpan<short> table = DecodeTableArray;
        for (int i = 0; i < ulaw.Length; i++)
        {
            pcm[i] = table[ulaw[i]];
        }
    }

    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (int code = 0; code < 256; code++)
        {
            int u = ~code & 0xFF;
            int sign = u & 0x80;
            int exp = (u >> 4) & 7;
            int mant = u & 0x0F;
            int s = (((mant << 3) + Bias) << exp) - Bias;
            table[code] = (short)(sign != 0 ? -s : s);
        }

        return table;
    }
}
