using Portal.Voice.Pipeline;

namespace Portal.Voice.Tests.Pipeline;

/// <summary>
/// Deterministic synthetic telephone audio (8 kHz PCM16) for pipeline tests: silence, sines, white noise,
/// fan noise and speech-like bursts (low-passed noise, amplitude-modulated at a syllable rate of 4 Hz).
/// </summary>
internal sealed class Synth
{
    public const int Rate = 8000;
    public const int FrameSamples = 160;
    public const int FrameMs = 20;

    private readonly List<short> _samples = [];
    private readonly Random _random;

    public Synth(int seed = 1) => _random = new Random(seed);

    public int LengthMs => _samples.Count * 1000 / Rate;

    public short[] ToArray() => [.. _samples];

    public static double Amplitude(double dbfs) => 32768.0 * Math.Pow(10, dbfs / 20.0);

    public Synth Silence(int ms)
    {
        for (int i = 0; i < Samples(ms); i++)
        {
            _samples.Add(0);
        }

        return this;
    }

    /// <summary>A sine whose RMS is <paramref name="dbfs"/>.</summary>
    public Synth Sine(int ms, double hz, double dbfs)
    {
        double peak = Amplitude(dbfs) * Math.Sqrt(2);
        int start = _samples.Count;
        for (int i = 0; i < Samples(ms); i++)
        {
            _samples.Add(Clip(peak * Math.Sin(2 * Math.PI * hz * (start + i) / Rate)));
        }

        return this;
    }

    /// <summary>White Gaussian noise whose RMS goes linearly from <paramref name="fromDbfs"/> to <paramref name="toDbfs"/>.</summary>
    public Synth Noise(int ms, double fromDbfs, double? toDbfs = null)
    {
        int n = Samples(ms);
        for (int i = 0; i < n; i++)
        {
            double db = fromDbfs + (((toDbfs ?? fromDbfs) - fromDbfs) * i / Math.Max(1, n - 1));
            _samples.Add(Clip(Amplitude(db) * Gaussian()));
        }

        return this;
    }

    /// <summary>Fan: white noise plus a 120 Hz motor hum 6 dB lower, steady level.</summary>
    public Synth Fan(int ms, double dbfs)
    {
        int start = _samples.Count;
        double noise = Amplitude(dbfs - 1);
        double hum = Amplitude(dbfs - 7) * Math.Sqrt(2);
        for (int i = 0; i < Samples(ms); i++)
        {
            _samples.Add(Clip((noise * Gaussian()) + (hum * Math.Sin(2 * Math.PI * 120 * (start + i) / Rate))));
        }

        return this;
    }

    /// <summary>
    /// Speech-like burst: noise low-passed by two one-pole stages (voiced-like, low zero-crossing rate), normalised
    /// to <paramref name="dbfs"/> RMS, times a 4 Hz syllable envelope 0.3..1, over optional background noise.
    /// </summary>
    public Synth Speech(int ms, double dbfs, double backgroundDbfs = double.NegativeInfinity)
    {
        int n = Samples(ms);
        var carrier = new double[n];
        double y1 = 0, y2 = 0, sum = 0;
        const double a = 0.85;
        for (int i = 0; i < n; i++)
        {
            y1 = (a * y1) + ((1 - a) * Gaussian());
            y2 = (a * y2) + ((1 - a) * y1);
            carrier[i] = y2;
            sum += y2 * y2;
        }

        double scale = Amplitude(dbfs) / Math.Sqrt(sum / Math.Max(1, n));
        double background = double.IsNegativeInfinity(backgroundDbfs) ? 0 : Amplitude(backgroundDbfs);
        for (int i = 0; i < n; i++)
        {
            double envelope = 0.3 + (0.7 * Math.Abs(Math.Sin(Math.PI * 4 * i / Rate)));
            _samples.Add(Clip((carrier[i] * scale * envelope) + (background * Gaussian())));
        }

        return this;
    }

    /// <summary>Adds <paramref name="other"/> sample by sample from the start (the longer length wins).</summary>
    public Synth Mix(short[] other)
    {
        for (int i = 0; i < other.Length; i++)
        {
            if (i < _samples.Count)
            {
                _samples[i] = Clip(_samples[i] + (double)other[i]);
            }
            else
            {
                _samples.Add(other[i]);
            }
        }

        return this;
    }

    /// <summary>Runs the detector over the audio frame by frame, timestamps from 0 in steps of 20 ms.</summary>
    public static List<VadEvent> Run(VoiceActivityDetector vad, short[] pcm)
    {
        var events = new List<VadEvent>();
        for (int f = 0; (f + 1) * FrameSamples <= pcm.Length; f++)
        {
            VadEvent e = vad.ProcessFrame(pcm.AsSpan(f * FrameSamples, FrameSamples), f * FrameMs);
            if (e.Kind != VadEventKind.None)
            {
                events.Add(e);
            }
        }

        return events;
    }

    private static int Samples(int ms) => ms * Rate / 1000;

    private static short Clip(double v) => (short)Math.Clamp(Math.Round(v), short.MinValue, short.MaxValue);

    private double Gaussian()
    {
        // Box–Muller.
        double u1 = 1.0 - _random.NextDouble();
        double u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Sin(2.0 * Math.PI * u2);
    }
}
