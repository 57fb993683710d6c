namespace Portal.Voice.Audio;

/// <summary>
/// How much of a clip is speech rather than silence or near-silence: the clip is cut into 20 ms frames and a frame counts
/// when its RMS level reaches <see cref="DefaultThreshold"/>. Used to prove that a voice really speaks (a voice probe, the
/// every-voice test) instead of trusting a provider's "200 OK" or a WAV header.
/// </summary>
public static class SpeechMeasure
{
    /// <summary>Frame length, in ms.</summary>
    public const int FrameMs = 20;

    /// <summary>RMS level (16-bit sample scale, full scale 32768) a frame must reach to count as speech: about −36 dBFS.</summary>
    public const double DefaultThreshold = 500;

    /// <summary>Seconds of <paramref name="samples"/> that are speech: 20 ms frames whose RMS reaches <paramref name="threshold"/>.</summary>
    /// <param name="samples">Mono PCM16 samples.</param>
    /// <param name="sampleRateHz">Sample rate in Hz (positive).</param>
    /// <param name="threshold">RMS level of a speech frame, 16-bit sample scale.</param>
    /// <returns>Speech duration in seconds (a multiple of 0.02).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleRateHz"/> is not positive.</exception>
    public static double SpokenSeconds(ReadOnlySpan<short> samples, int sampleRateHz, double threshold = DefaultThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRateHz);
        int frame = Math.Max(1, sampleRateHz * FrameMs / 1000);
        int loud = 0;
        for (int start = 0; start + frame <= samples.Length; start += frame)
        {
            double sum = 0;
            foreach (short s in samples.Slice(start, frame))
            {
                sum += (double)s * s;
            }

            if (Math.Sqrt(sum / frame) >= threshold)
            {
                loud++;
            }
        }

        return loud * FrameMs / 1000.0;
    }
}
