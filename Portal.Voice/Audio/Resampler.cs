using System.Numerics;
using System.Runtime.InteropServices;

namespace Portal.Voice.Audio;

/// <summary>
/// Streaming PCM16 sample-rate converter for the phone path: 8 kHz ↔ 16 kHz (Twilio μ-law audio
/// against Deepgram <c>linear16</c>/ElevenLabs <c>pcm_16000</c>) and 24/48 kHz → 8 kHz (browser audio).
/// It keeps its filter history between calls, so 20 ms chunks join without clicks: feeding a signal
/// in any chunking gives exactly the samples feeding it whole would.
/// </summary>
/// <remarks>
/// <para>
/// Method: rational polyphase resampling by L/M (L = up factor, M = down factor after dividing the
/// rates by their GCD): conceptually insert L−1 zeros between input samples, low-pass with one FIR at
/// the upsampled rate L·Fin, keep every M-th sample. Only the L polyphase branches of the FIR are
/// evaluated. Reference: R. E. Crochiere &amp; L. R. Rabiner, "Interpolation and decimation of digital
/// signals — a tutorial review", Proc. IEEE 69(3), 1981; J. O. Smith, "Digital Audio Resampling Home
/// Page", https://ccrma.stanford.edu/~jos/resample/ .
/// </para>
/// <para>
/// Filter: Kaiser-windowed sinc (https://en.wikipedia.org/wiki/Kaiser_window, design formulas from
/// Oppenheim &amp; Schafer, Discrete-Time Signal Processing, 3rd ed., §7.6). With Fn = min(Fin, Fout) / 2:
/// passband edge 0.85·Fn, stopband edge Fn, cutoff (−6 dB) 0.925·Fn, stopband attenuation 60 dB
/// (Kaiser β = 0.1102·(60 − 8.7) ≈ 5.65), taps N = ⌈(60 − 8) / (2.285 · 2π · 0.15·Fn / (L·Fin))⌉ + 1
/// rounded up to a multiple of L. For 8 kHz output or input that is a 3.4 kHz passband and a 4.0 kHz stopband:
/// 16→8 kHz: 98 taps; 8→16 kHz: 98 taps (49 per phase); 24→8 kHz: 146 taps; 48→8 kHz: 291 taps.
/// Latency (group delay) is (N − 1) / 2 samples at L·Fin, see <see cref="DelayMilliseconds"/> (about 3 ms).
/// </para>
/// <para>Not thread-safe: one instance per audio direction per call.</para>
/// </remarks>
public sealed class Resampler
{
    /// <summary>Stopband attenuation the filter is designed for, in dB.</summary>
    public const double StopbandAttenuationDb = 60.0;

    /// <summary>Passband edge as a fraction of min(input, output) Nyquist frequency.</summary>
    public const double PassbandFraction = 0.85;

    /// <summary>Largest up or down factor the default constructor accepts (cheap filters for the phone rates).</summary>
    public const int MaxFactor = 16;

    /// <summary>
    /// Largest up or down factor any resampler accepts: 441 covers 22050/44100 Hz ↔ 8000 Hz (×160/441, ×80/441),
    /// the espeak-ng rate. Such filters are long (22050 → 8000 Hz: about 21 000 taps, 134 per phase) and
    /// slow to design (milliseconds), so make one per call or cache it.
    /// </summary>
    public const int MaxRationalFactor = 512;

    private readonly int _up;
    private readonly int _down;
    private readonly int _tapsPerPhase;
    private readonly float[] _phaseTaps; // L rows of K taps, each row reversed for an ascending dot product.
    private float[] _work; // K−1 samples of history, then the current chunk (as float).
    private long _inputCount;
    private long _outputCount;

    /// <summary>Creates a resampler from <paramref name="inputRateHz"/> to <paramref name="outputRateHz"/>.</summary>
    /// <param name="inputRateHz">Input sample rate in Hz (e.g. 8000, 16000, 24000, 48000).</param>
    /// <param name="outputRateHz">Output sample rate in Hz (e.g. 8000, 16000).</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not in 1..384000 Hz, or the reduced ratio needs an up or down factor above 16 (e.g. 44100 → 8000).</exception>
    public Resampler(int inputRateHz, int outputRateHz)
        : this(inputRateHz, outputRateHz, MaxFactor)
    {
    }

    /// <summary>
    /// Creates a resampler for any rational ratio whose reduced factors are at most <paramref name="maxFactor"/>
    /// (e.g. 22050 → 8000 Hz = ×160/441 with <see cref="MaxRationalFactor"/>). Same filter design and guarantees as the
    /// default constructor; only the cost grows with the factors (taps per phase stay near 134 for an 8 kHz output).
    /// </summary>
    /// <param name="inputRateHz">Input sample rate in Hz.</param>
    /// <param name="outputRateHz">Output sample rate in Hz.</param>
    /// <param name="maxFactor">Largest up or down factor allowed, 1..<see cref="MaxRationalFactor"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not in 1..384000 Hz, <paramref name="maxFactor"/> is out of range, or the reduced ratio exceeds it.</exception>
    public Resampler(int inputRateHz, int outputRateHz, int maxFactor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFactor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxFactor, MaxRationalFactor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRateHz);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRateHz);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputRateHz, 384_000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outputRateHz, 384_000);

        int gcd = Gcd(inputRateHz, outputRateHz);
        _up = outputRateHz / gcd;
        _down = inputRateHz / gcd;
        if (_up > maxFactor || _down > maxFactor)
        {
            throw new ArgumentOutOfRangeException(nameof(outputRateHz), $"{inputRateHz} Hz → {outputRateHz} Hz reduces to ×{_up}/{_down}; factors above {maxFactor} are not supported.");
        }

        InputRateHz = inputRateHz;
        OutputRateHz = outputRateHz;

        double[] h = DesignLowPass(_up, _down, out _tapsPerPhase);
        TapCount = h.Length;
        _phaseTaps = new float[_up * _tapsPerPhase];
        for (int p = 0; p < _up; p++)
        {
            for (int j = 0; j < _tapsPerPhase; j++)
            {
                _phaseTaps[(p * _tapsPerPhase) + j] = (float)h[p + ((_tapsPerPhase - 1 - j) * _up)];
            }
        }

        _work = new float[_tapsPerPhase - 1 + 1024];
    }

    /// <summary>Input sample rate in Hz.</summary>
    public int InputRateHz { get; }

    /// <summary>Output sample rate in Hz.</summary>
    public int OutputRateHz { get; }

    /// <summary>Total FIR length N in taps, at the upsampled rate L·<see cref="InputRateHz"/>.</summary>
    public int TapCount { get; }

    /// <summary>Group delay of the linear-phase filter in milliseconds: (N − 1) / (2 · L · Fin) · 1000.</summary>
    public double DelayMilliseconds => (TapCount - 1) * 1000.0 / (2.0 * _up * InputRateHz);

    /// <summary>
    /// Largest number of output samples one <see cref="Process"/> call can write for
    /// <paramref name="inputLength"/> input samples: ⌈inputLength · L / M⌉ + 1.
    /// </summary>
    /// <param name="inputLength">Input samples in the coming call (≥ 0).</param>
    /// <returns>A safe output buffer length in samples.</returns>
    public int MaxOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        return (int)((((long)inputLength * _up) + _down - 1) / _down) + 1;
    }

    /// <summary>
    /// Resamples the next chunk of the stream. Output sample n is produced as soon as input sample
    /// ⌊n·M/L⌋ has arrived, so a chunk of 160 samples at 8 kHz yields exactly 320 at 16 kHz, and
    /// 320 samples at 16 kHz yield exactly 160 at 8 kHz.
    /// </summary>
    /// <param name="input">Next PCM16 samples at <see cref="InputRateHz"/> (any length, may be empty).</param>
    /// <param name="output">Destination for PCM16 samples at <see cref="OutputRateHz"/>; size it with <see cref="MaxOutputLength"/>.</param>
    /// <returns>Number of samples written to <paramref name="output"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="output"/> is too short for this chunk; the state is left unchanged.</exception>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        int history = _tapsPerPhase - 1;
        long start = _inputCount;
        long end = start + input.Length;
        long outputEnd = ((end * _up) + _down - 1) / _down; // first n with ⌊n·M/L⌋ ≥ end.
        int count = (int)(outputEnd - _outputCount);
        if (output.Length < count)
        {
            throw new ArgumentException($"Output holds {output.Length} samples but this chunk produces {count}.", nameof(output));
        }

        if (_work.Length < history + input.Length)
        {
            Array.Resize(ref _work, (int)BitOperations.RoundUpToPowerOf2((uint)(history + input.Length)));
        }

        Span<float> work = _work;
        for (int i = 0; i < input.Length; i++)
        {
            work[history + i] = input[i];
        }

        ReadOnlySpan<float> taps = _phaseTaps;
        for (int k = 0; k < count; k++)
        {
            long t = _outputCount * _down;
            int phase = (int)(t % _up);
            int windowStart = (int)((t / _up) - start); // work index of x[i − K + 1].
            float acc = Dot(taps.Slice(phase * _tapsPerPhase, _tapsPerPhase), work.Slice(windowStart, _tapsPerPhase));
            output[k] = (short)Math.Clamp((int)MathF.Round(acc), short.MinValue, short.MaxValue);
            _outputCount++;
        }

        // Keep the last K−1 samples (input plus old history) for the next chunk.
        work.Slice(input.Length, history).CopyTo(work);
        _inputCount = end;
        return count;
    }

    /// <summary>Forgets the stream: clears the filter history and sample counters (start of a new utterance or call).</summary>
    public void Reset()
    {
        Array.Clear(_work);
        _inputCount = 0;
        _outputCount = 0;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        float sum = 0f;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            ReadOnlySpan<Vector<float>> va = MemoryMarshal.Cast<float, Vector<float>>(a);
            ReadOnlySpan<Vector<float>> vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (int v = 0; v < va.Length; v++)
            {
                acc += va[v] * vb[v];
            }

            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double[] DesignLowPass(int up, int down, out int tapsPerPhase)
    {
        // Frequencies in cycles per sample at the upsampled rate L·Fin.
        double nyquist = 0.5 / Math.Max(up, down); // min(Fin, Fout) / 2
        double passEdge = PassbandFraction * nyquist;
        double cutoff = (passEdge + nyquist) / 2;
        double transition = nyquist - passEdge;
        double beta = 0.1102 * (StopbandAttenuationDb - 8.7);
        int length = (int)Math.Ceiling((StopbandAttenuationDb - 8) / (2.285 * 2 * Math.PI * transition)) + 1;
        tapsPerPhase = (length + up - 1) / up;
        int n = tapsPerPhase * up;

        var h = new double[n];
        double centre = (n - 1) / 2.0;
        double i0Beta = BesselI0(beta);
        double sum = 0;
        for (int k = 0; k < n; k++)
        {
            double x = k - centre;
            double sinc = x == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            double r = x / centre;
            double window = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - (r * r)))) / i0Beta;
            h[k] = sinc * window;
            sum += h[k];
        }

        // Unity DC gain after zero-stuffing: the taps sum to L.
        for (int k = 0; k < n; k++)
        {
            h[k] *= up / sum;
        }

        return h;
    }

    private static double BesselI0(double x)
    {
        // Power series Σ ((x/2)^k / k!)², https://dlmf.nist.gov/10.25.E2
        double term = 1, sum = 1, half = x / 2;
        for (int k = 1; k < 200 && term > 1e-16 * sum; k++)
        {
            term *= (half / k) * (half / k);
            sum += term;
        }

        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
