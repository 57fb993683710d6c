using Portal.Voice.Audio;

namespace Portal.Voice.Tests.Audio;

public sealed class ResamplerTests
{
    public static TheoryData<int, int> Conversions => new()
    {
        { 8000, 16000 },
        { 16000, 8000 },
        { 24000, 8000 },
        { 48000, 8000 },
    };

    [Theory]
    [MemberData(nameof(Conversions))]
    public void Sine1kHz_KeepsFrequencyAndAmplitude(int inRate, int outRate)
    {
        const double amplitude = 10000;
        short[] input = Sine(1000, amplitude, inRate, seconds: 0.5);
        short[] output = ProcessInChunks(new Resampler(inRate, outRate), input, inRate / 50); // 20 ms chunks

        Assert.Equal(outRate / 2, output.Length);
        // 100 ms window after the filter has settled: 1 kHz, 900 Hz and 1100 Hz are all whole-cycle bins.
        ReadOnlySpan<short> window = output.AsSpan(outRate / 5, outRate / 10);
        double at1k = Goertzel.Amplitude(window, 1000, outRate);
        Assert.InRange(at1k, amplitude * 0.99, amplitude * 1.01);
        Assert.True(Goertzel.Amplitude(window, 900, outRate) < amplitude * 0.001);
        Assert.True(Goertzel.Amplitude(window, 1100, outRate) < amplitude * 0.001);
        Assert.InRange(CountRisingZeroCrossings(window), 99, 101); // 100 cycles in 100 ms
    }

    [Fact]
    public void Downsample16To8_Tone6kHz_IsAttenuatedAtLeast30dB()
    {
        const double amplitude = 10000;
        short[] input = Sine(6000, amplitude, 16000, seconds: 0.5);
        short[] output = ProcessInChunks(new Resampler(16000, 8000), input, 320);

        ReadOnlySpan<short> window = output.AsSpan(1600, 800);
        double alias = Goertzel.Amplitude(window, 2000, 8000); // 6 kHz folds to 8 − 6 = 2 kHz
        double attenuationDb = 20 * Math.Log10(amplitude / Math.Max(alias, 1e-9));
        Assert.True(attenuationDb >= 30, $"alias attenuated only {attenuationDb:F1} dB");

        double rms = Math.Sqrt(window.ToArray().Average(s => (double)s * s));
        Assert.True(20 * Math.Log10(amplitude / Math.Sqrt(2) / Math.Max(rms, 1e-9)) >= 30, $"rms {rms}");
    }

    [Theory]
    [MemberData(nameof(Conversions))]
    public void ChunkedOutput_EqualsWholeBufferOutput(int inRate, int outRate)
    {
        var random = new Random(1234);
        var input = new short[inRate / 4];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (short)random.Next(-20000, 20000);
        }

        var whole = new Resampler(inRate, outRate);
        var wholeOut = new short[whole.MaxOutputLength(input.Length)];
        int wholeCount = whole.Process(input, wholeOut);

        var chunked = new Resampler(inRate, outRate);
        var chunkedOut = new List<short>();
        int[] sizes = [1, 7, 0, 160, 333, 2, inRate / 50, 999];
        int position = 0, n = 0;
        while (position < input.Length)
        {
            int size = Math.Min(sizes[n++ % sizes.Length], input.Length - position);
            var buffer = new short[chunked.MaxOutputLength(size)];
            int written = chunked.Process(input.AsSpan(position, size), buffer);
            chunkedOut.AddRange(buffer.AsSpan(0, written).ToArray());
            position += size;
        }

        Assert.Equal(wholeOut.AsSpan(0, wholeCount).ToArray(), chunkedOut.ToArray());
    }

    [Theory]
    [InlineData(8000, 16000, 160, 320)]
    [InlineData(16000, 8000, 320, 160)]
    [InlineData(24000, 8000, 480, 160)]
    [InlineData(48000, 8000, 960, 160)]
    public void TwentyMsChunk_GivesTwentyMsOut(int inRate, int outRate, int inSamples, int outSamples)
    {
        var resampler = new Resampler(inRate, outRate);
        var output = new short[resampler.MaxOutputLength(inSamples)];
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(outSamples, resampler.Process(new short[inSamples], output));
        }
    }

    [Fact]
    public void Process_WhenOutputTooShort_ThrowsAndKeepsState()
    {
        var resampler = new Resampler(8000, 16000);
        Assert.Throws<ArgumentException>(() => resampler.Process(new short[160], new short[319]));
        Assert.Equal(320, resampler.Process(new short[160], new short[320]));
    }

    [Theory]
    [InlineData(0, 8000)]
    [InlineData(8000, -1)]
    [InlineData(44100, 8000)]
    public void Constructor_RejectsUnsupportedRates(int inRate, int outRate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(inRate, outRate));
    }

    [Fact]
    public void Filter_DocumentedTapsAndDelay()
    {
        Assert.Equal(98, new Resampler(16000, 8000).TapCount);
        Assert.Equal(98, new Resampler(8000, 16000).TapCount);
        Assert.Equal(146, new Resampler(24000, 8000).TapCount);
        Assert.Equal(291, new Resampler(48000, 8000).TapCount);
        Assert.InRange(new Resampler(16000, 8000).DelayMilliseconds, 3.0, 3.1);
    }

    [Fact]
    public void Reset_StartsAFreshStream()
    {
        short[] input = Sine(1000, 8000, 16000, seconds: 0.05);
        var resampler = new Resampler(16000, 8000);
        var first = new short[resampler.MaxOutputLength(input.Length)];
        int n1 = resampler.Process(input, first);
        resampler.Reset();
        var second = new short[resampler.MaxOutputLength(input.Length)];
        int n2 = resampler.Process(input, second);
        Assert.Equal(first.AsSpan(0, n1).ToArray(), second.AsSpan(0, n2).ToArray());
    }

    [Theory]
    [InlineData(22050, 8000)]
    [InlineData(44100, 8000)]
    public void RationalPath_Sine1kHz_KeepsFrequencyAndAmplitude(int inRate, int outRate)
    {
        const double amplitude = 10000;
        short[] input = Sine(1000, amplitude, inRate, seconds: 0.5);
        var resampler = new Resampler(inRate, outRate, Resampler.MaxRationalFactor);
        short[] output = ProcessInChunks(resampler, input, 441); // chunks that do not align with 20 ms

        Assert.InRange(output.Length, (outRate / 2) - 1, (outRate / 2) + 1);
        ReadOnlySpan<short> window = output.AsSpan(outRate / 5, outRate / 10);
        Assert.InRange(Goertzel.Amplitude(window, 1000, outRate), amplitude * 0.99, amplitude * 1.01);
        Assert.True(Goertzel.Amplitude(window, 1100, outRate) < amplitude * 0.001);
        Assert.InRange(CountRisingZeroCrossings(window), 99, 101);
    }

    [Fact]
    public void RationalPath_RemovesContentAboveTheNewNyquist()
    {
        short[] input = Sine(6000, 10000, 22050, seconds: 0.5); // would alias to 2 kHz at 8 kHz
        short[] output = ProcessInChunks(new Resampler(22050, 8000, Resampler.MaxRationalFactor), input, 1000);
        ReadOnlySpan<short> window = output.AsSpan(1600, 800);
        Assert.True(Goertzel.Amplitude(window, 2000, 8000) < 10);
    }

    [Fact]
    public void RationalPath_RefusesFactorsAboveTheGivenMaximum() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(22050, 8000, 400));

    private static short[] Sine(double frequency, double amplitude, int rate, double seconds)
    {
        var samples = new short[(int)(rate * seconds)];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / rate));
        }

        return samples;
    }

    private static short[] ProcessInChunks(Resampler resampler, short[] input, int chunk)
    {
        var output = new List<short>();
        var buffer = new short[resampler.MaxOutputLength(chunk)];
        for (int i = 0; i < input.Length; i += chunk)
        {
            int written = resampler.Process(input.AsSpan(i, Math.Min(chunk, input.Length - i)), buffer);
            output.AddRange(buffer.AsSpan(0, written).ToArray());
        }

        return [.. output];
    }

    private static int CountRisingZeroCrossings(ReadOnlySpan<short> samples)
    {
        int count = 0;
        for (int i = 1; i < samples.Length; i++)
        {
            if (samples[i - 1] < 0 && samples[i] >= 0)
            {
                count++;
            }
        }

        return count;
    }
}

/// <summary>Goertzel single-bin DFT (https://en.wikipedia.org/wiki/Goertzel_algorithm).</summary>
internal static class Goertzel
{
    /// <summary>Amplitude of the sinusoid at <paramref name="frequency"/> Hz (exact when the window holds whole cycles).</summary>
    public static double Amplitude(ReadOnlySpan<short> samples, double frequency, int rate)
    {
        double coeff = 2 * Math.Cos(2 * Math.PI * frequency / rate);
        double s1 = 0, s2 = 0;
        foreach (short x in samples)
        {
            double s = x + (coeff * s1) - s2;
            s2 = s1;
            s1 = s;
        }

        double power = (s1 * s1) + (s2 * s2) - (coeff * s1 * s2);
        return 2 * Math.Sqrt(Math.Max(power, 0)) / samples.Length;
    }
}
