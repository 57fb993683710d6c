using System.Buffers.Binary;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;

namespace Portal.Voice.TextToSpeech;

/// <summary>
/// Converts a stream of raw PCM16 little-endian mono bytes at one sample rate into raw audio in an
/// <see cref="AudioFormat"/> (resampled with <see cref="Resampler"/>, μ-law encoded per G.711 with <see cref="MuLaw"/>).
/// Text-to-speech engines answer at their own rate (OpenAI-compatible <c>pcm</c>: 24 000 Hz; espeak-ng: 22 050 Hz)
/// and in chunks of any size, odd byte counts included; calls need μ-law 8000 Hz and the browser PCM16 16 000 Hz.
/// </summary>
/// <remarks>Not thread-safe: one instance per synthesized stream. Keeps the resampler history and a split sample between chunks.</remarks>
public sealed class PcmStreamConverter
{
    private readonly Resampler? _resampler;
    private readonly AudioFormat _output;
    private byte? _carry;

    /// <summary>Creates a converter.</summary>
    /// <param name="inputRateHz">Sample rate of the PCM16 input in Hz (e.g. 24000, 22050).</param>
    /// <param name="output">Wanted output format.</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not positive or the ratio needs a factor above <see cref="Resampler.MaxRationalFactor"/>.</exception>
    public PcmStreamConverter(int inputRateHz, AudioFormat output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRateHz);
        _output = output;
        InputRateHz = inputRateHz;
        if (inputRateHz != output.SampleRateHz)
        {
            _resampler = new Resampler(inputRateHz, output.SampleRateHz, Resampler.MaxRationalFactor);
        }
    }

    /// <summary>Sample rate of the input in Hz.</summary>
    public int InputRateHz { get; }

    /// <summary>Converts the next chunk of PCM16 little-endian bytes (any length, may split a sample).</summary>
    /// <param name="pcm16">Next input bytes.</param>
    /// <returns>Converted audio (possibly empty) in the output format.</returns>
    public byte[] Convert(ReadOnlySpan<byte> pcm16)
    {
        int total = pcm16.Length + (_carry.HasValue ? 1 : 0);
        int sampleCount = total / 2;
        var samples = new short[sampleCount];
        int read = 0;
        int s = 0;
        if (_carry is { } low && sampleCount > 0)
        {
            samples[s++] = (short)(low | (pcm16[0] << 8));
            read = 1;
            _carry = null;
        }

        for (; s < sampleCount; s++, read += 2)
        {
            samples[s] = BinaryPrimitives.ReadInt16LittleEndian(pcm16.Slice(read, 2));
        }

        if (read < pcm16.Length)
        {
            _carry = pcm16[read];
        }

        return Encode(samples);
    }

    /// <summary>Converts already-decoded samples at <see cref="InputRateHz"/>.</summary>
    /// <param name="samples">PCM16 samples.</param>
    /// <returns>Converted audio in the output format.</returns>
    public byte[] Convert(ReadOnlySpan<short> samples) => Encode(samples);

    private byte[] Encode(ReadOnlySpan<short> samples)
    {
        ReadOnlySpan<short> atRate = samples;
        if (_resampler is not null)
        {
            var buffer = new short[_resampler.MaxOutputLength(samples.Length)];
            atRate = buffer.AsSpan(0, _resampler.Process(samples, buffer));
        }

        if (_output.Encoding == AudioEncoding.MuLaw)
        {
            var ulaw = new byte[atRate.Length];
            MuLaw.Encode(atRate, ulaw);
            return ulaw;
        }

        var bytes = new byte[atRate.Length * 2];
        for (int i = 0; i < atRate.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), atRate[i]);
        }

        return bytes;
    }

    /// <summary>Decodes raw audio in <paramref name="format"/> to PCM16 samples (μ-law expanded; PCM16 little endian read, a trailing odd byte dropped).</summary>
    /// <param name="audio">Raw audio.</param>
    /// <param name="format">Its format.</param>
    /// <returns>The samples at <c>format.SampleRateHz</c>.</returns>
    public static short[] ToPcm16(ReadOnlySpan<byte> audio, AudioFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (format.Encoding == AudioEncoding.MuLaw)
        {
            var pcm = new short[audio.Length];
            MuLaw.Decode(audio, pcm);
            return pcm;
        }

        var samples = new short[audio.Length / 2];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(audio.Slice(i * 2, 2));
        }

        return samples;
    }
}
