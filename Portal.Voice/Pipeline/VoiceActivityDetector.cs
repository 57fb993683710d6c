using Portal.Voice.Audio;

namespace Portal.Voice.Pipeline;

/// <summary>What a frame changed in the caller's voice activity.</summary>
public enum VadEventKind
{
    /// <summary>No transition on this frame.</summary>
    None = 0,

    /// <summary>The caller started speaking; the timestamp is the start of the first loud frame of the onset run.</summary>
    SpeechStarted = 1,

    /// <summary>The caller stopped speaking; the timestamp is the start of the first quiet frame of the hangover run.</summary>
    SpeechEnded = 2,
}

/// <summary>
/// A voice activity transition. A value type returned from <see cref="VoiceActivityDetector.ProcessFrame(ReadOnlySpan{short}, long)"/>
/// instead of a .NET event, so the 50-frames-a-second path allocates nothing.
/// </summary>
/// <param name="Kind">The transition, or <see cref="VadEventKind.None"/>.</param>
/// <param name="TimestampMs">Stream time of the transition in milliseconds (the frame timestamps the caller supplied); 0 when <paramref name="Kind"/> is None.</param>
public readonly record struct VadEvent(VadEventKind Kind, long TimestampMs)
{
    /// <summary>The "nothing happened" value.</summary>
    public static VadEvent None => default;

    /// <summary>True for <see cref="VadEventKind.SpeechStarted"/>.</summary>
    public bool IsSpeechStarted => Kind == VadEventKind.SpeechStarted;

    /// <summary>True for <see cref="VadEventKind.SpeechEnded"/>.</summary>
    public bool IsSpeechEnded => Kind == VadEventKind.SpeechEnded;
}

/// <summary>
/// Settings of <see cref="VoiceActivityDetector"/>. Defaults are tuned for Twilio Media Streams
/// (8 kHz μ-law narrowband telephone audio, 20 ms frames).
/// </summary>
public sealed record VoiceActivityDetectorOptions
{
    /// <summary>
    /// A frame is "loud" when its energy exceeds the noise floor by more than this, in dB (default 12 dB,
    /// about 4× the noise amplitude; energy-VAD thresholds of 10–15 dB above the floor are the usual range,
    /// e.g. Rabiner &amp; Sambur 1975, "An algorithm for determining the endpoints of isolated utterances").
    /// </summary>
    public double OnsetDb { get; init; } = 12.0;

    /// <summary>
    /// While in speech a frame is "quiet" when its energy is below the noise floor plus this, in dB (default 6 dB).
    /// Lower than <see cref="OnsetDb"/>: the gap is the hysteresis that keeps soft syllable tails in the utterance.
    /// </summary>
    public double OffsetDb { get; init; } = 6.0;

    /// <summary>Consecutive loud frames needed to declare speech (default 3 frames = 60 ms; clicks and pops are shorter).</summary>
    public int OnsetFrames { get; init; } = 3;

    /// <summary>Consecutive quiet frames needed to declare the end of speech (default 10 frames = 200 ms: bridges stop consonants and short inter-word gaps).</summary>
    public int HangoverFrames { get; init; } = 10;

    /// <summary>
    /// Absolute gate in dBFS (default −55 dBFS): frames quieter than this are never speech, whatever the noise floor,
    /// so line hiss over digital silence (floor near −100 dBFS) does not count as speech.
    /// </summary>
    public double MinSpeechDbfs { get; init; } = -55.0;

    /// <summary>
    /// Slow rise of the noise floor toward louder frames, in dB per second (default 1.5 dB/s = 0.03 dB per 20 ms frame).
    /// Slow enough that 10 s of continuous speech lifts the floor by only 15 dB, fast enough to follow a fan or
    /// traffic slowly getting louder. Follows the "minimum tracking" idea: the floor follows the quietest frames.
    /// </summary>
    public double NoiseFloorRiseDbPerSecond { get; init; } = 1.5;

    /// <summary>
    /// Fast fall of the noise floor toward quieter frames: the fraction of the gap closed per frame (default 0.5,
    /// a time constant of about 30 ms). A pause in speech immediately re-anchors the floor to the background.
    /// </summary>
    public double NoiseFloorFallFraction { get; init; } = 0.5;

    /// <summary>
    /// Stationarity release, range in dB (default 6 dB): when every frame of the last
    /// <see cref="StationaryFrames"/> frames lies within this range, the sound is steady (fan, hum, engine), not speech,
    /// whose syllables swing the frame energy by 10 dB or more several times a second; the floor then jumps up to the
    /// bottom of that range. Handles noise that switches on mid-call, which the slow rise alone would take
    /// many seconds to absorb. 0 turns the release off.
    /// </summary>
    public double StationaryRangeDb { get; init; } = 6.0;

    /// <summary>Frames of steady energy before the stationarity release acts (default 50 frames = 1 s).</summary>
    public int StationaryFrames { get; init; } = 50;

    /// <summary>
    /// Optional zero-crossing check: when set, a loud frame whose zero-crossing rate (sign changes per sample, 0..1)
    /// exceeds this value is not counted as speech. White noise (hiss, fan, wind) crosses zero about 0.5 times per
    /// sample; voiced speech at 8 kHz about 0.02–0.25 (Rabiner &amp; Schafer, "Digital Processing of Speech Signals",
    /// 1978, §4.4). A value of 0.35 rejects broadband noise bursts at the cost of unvoiced fricatives ("s", "f"),
    /// which the hangover bridges inside words. Default null (off).
    /// </summary>
    public double? MaxZeroCrossingRate { get; init; }

    /// <summary>Frame duration in milliseconds used to convert per-second rates to per-frame steps (default 20 ms, Twilio Media Streams).</summary>
    public int FrameMilliseconds { get; init; } = MuLawFrameSplitter.FrameMilliseconds;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(OnsetDb);
        ArgumentOutOfRangeException.ThrowIfNegative(OffsetDb);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(OffsetDb, OnsetDb);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(OnsetFrames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HangoverFrames);
        ArgumentOutOfRangeException.ThrowIfNegative(NoiseFloorRiseDbPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(NoiseFloorFallFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(NoiseFloorFallFraction, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(FrameMilliseconds);
        ArgumentOutOfRangeException.ThrowIfNegative(StationaryRangeDb);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(StationaryFrames);
        if (MaxZeroCrossingRate is { } zcr)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(zcr, nameof(MaxZeroCrossingRate));
        }
    }
}

/// <summary>
/// Energy-based voice activity detector for the caller's side of a phone call: one decision per 20 ms frame of
/// PCM16, an adaptive noise floor (slow rise, fast fall), onset/hangover hysteresis and an optional zero-crossing
/// check. It exists so turn-taking (the endpointer and the barge-in detector in this namespace) can react within
/// tens of milliseconds without waiting for a speech-to-text vendor.
/// </summary>
/// <remarks>
/// Pure and deterministic: time comes only from the frame timestamps passed in, never a clock. Allocates nothing
/// per frame. Not thread-safe: one instance per call.
/// <para>Energy: <c>dBFS = 20·log10(RMS / 32768)</c> (full scale = a square wave at ±32768), clamped at
/// <see cref="SilenceDbfs"/> for digital silence.</para>
/// <para>Noise floor: initialised from the first frame, then each frame moves down by
/// <see cref="VoiceActivityDetectorOptions.NoiseFloorFallFraction"/> of the gap when the frame is quieter, or up by at
/// most <see cref="VoiceActivityDetectorOptions.NoiseFloorRiseDbPerSecond"/> when louder; after
/// <see cref="VoiceActivityDetectorOptions.StationaryFrames"/> frames of steady energy it jumps up to the bottom of
/// that steady band (stationarity release). A steady sound that switches on mid-call is therefore reported as speech
/// for at most about 1 s plus the hangover; a sustained steady vowel or tone longer than 1 s is released likewise.</para>
/// <para>// REVIEW: if the caller talks from the very first frame the floor starts at speech level and the first
/// syllables are missed until a pause pulls it down; Twilio calls start with the agent's greeting, so the caller's
/// first frames are background.</para>
/// </remarks>
public sealed class VoiceActivityDetector
{
    /// <summary>Energy reported for an all-zero frame, in dBFS (−100 dBFS).</summary>
    public const double SilenceDbfs = -100.0;

    private const double FullScale = 32768.0;

    private readonly VoiceActivityDetectorOptions _options;
    private readonly double _riseDbPerFrame;
    private bool _initialised;
    private int _loudRun;
    private long _loudRunStartMs;
    private int _quietRun;
    private long _quietRunStartMs;
    private int _steadyRun;
    private double _steadyMin;
    private double _steadyMax;

    /// <summary>Creates a detector.</summary>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public VoiceActivityDetector(VoiceActivityDetectorOptions? options = null)
    {
        _options = options ?? new VoiceActivityDetectorOptions();
        _options.Validate();
        _riseDbPerFrame = _options.NoiseFloorRiseDbPerSecond * _options.FrameMilliseconds / 1000.0;
    }

    /// <summary>The settings in use.</summary>
    public VoiceActivityDetectorOptions Options => _options;

    /// <summary>True between a <see cref="VadEventKind.SpeechStarted"/> and the following <see cref="VadEventKind.SpeechEnded"/>.</summary>
    public bool IsSpeech { get; private set; }

    /// <summary>Current noise floor estimate in dBFS (<see cref="SilenceDbfs"/> before the first frame).</summary>
    public double NoiseFloorDbfs { get; private set; } = SilenceDbfs;

    /// <summary>Energy of the last frame in dBFS.</summary>
    public double LastFrameDbfs { get; private set; } = SilenceDbfs;

    /// <summary>Zero-crossing rate of the last frame: sign changes per sample, 0..1.</summary>
    public double LastZeroCrossingRate { get; private set; }

    /// <summary>Timestamp in ms of the start of the current speech segment (valid while <see cref="IsSpeech"/>).</summary>
    public long SpeechStartMs { get; private set; }

    /// <summary>
    /// Feeds one frame of PCM16 samples (normally 160 samples = 20 ms at 8 kHz) and returns the transition it caused.
    /// </summary>
    /// <param name="pcm">The frame's samples; an empty frame counts as digital silence.</param>
    /// <param name="timestampMs">Stream time of the frame's first sample in ms (Twilio's <c>media.timestamp</c>); expected to increase.</param>
    /// <returns>The transition, or <see cref="VadEvent.None"/>.</returns>
    public VadEvent ProcessFrame(ReadOnlySpan<short> pcm, long timestampMs)
    {
        double sumSquares = 0;
        int crossings = 0;
        for (int i = 0; i < pcm.Length; i++)
        {
            double s = pcm[i];
            sumSquares += s * s;
            if (i > 0 && (pcm[i] >= 0) != (pcm[i - 1] >= 0))
            {
                crossings++;
            }
        }

        double zcr = pcm.Length > 1 ? (double)crossings / (pcm.Length - 1) : 0;
        return ProcessEnergy(EnergyDbfs(sumSquares, pcm.Length), zcr, timestampMs);
    }

    /// <summary>
    /// Feeds one frame of μ-law bytes (160 bytes = 20 ms of Twilio audio), decoding with <see cref="MuLaw.DecodeTable"/> without a buffer.
    /// </summary>
    /// <param name="ulaw">The frame's μ-law bytes.</param>
    /// <param name="timestampMs">Stream time of the frame's first sample in ms.</param>
    /// <returns>The transition, or <see cref="VadEvent.None"/>.</returns>
    public VadEvent ProcessMuLawFrame(ReadOnlySpan<byte> ulaw, long timestampMs)
    {
        ReadOnlySpan<short> table = MuLaw.DecodeTable;
        double sumSquares = 0;
        int crossings = 0;
        short previous = 0;
        for (int i = 0; i < ulaw.Length; i++)
        {
            short s = table[ulaw[i]];
            sumSquares += (double)s * s;
            if (i > 0 && (s >= 0) != (previous >= 0))
            {
                crossings++;
            }

            previous = s;
        }

        double zcr = ulaw.Length > 1 ? (double)crossings / (ulaw.Length - 1) : 0;
        return ProcessEnergy(EnergyDbfs(sumSquares, ulaw.Length), zcr, timestampMs);
    }

    /// <summary>Forgets all state (noise floor, speech state), e.g. when a new stream starts.</summary>
    public void Reset()
    {
        _initialised = false;
        _loudRun = 0;
        _quietRun = 0;
        _steadyRun = 0;
        IsSpeech = false;
        NoiseFloorDbfs = SilenceDbfs;
        LastFrameDbfs = SilenceDbfs;
        LastZeroCrossingRate = 0;
        SpeechStartMs = 0;
    }

    /// <summary>Energy of a block of samples in dBFS: <c>20·log10(RMS / 32768)</c>, at least <see cref="SilenceDbfs"/>.</summary>
    /// <param name="sumSquares">Sum of squared PCM16 sample values.</param>
    /// <param name="count">Number of samples.</param>
    /// <returns>Energy in dBFS.</returns>
    public static double EnergyDbfs(double sumSquares, int count)
    {
        if (count <= 0 || sumSquares <= 0)
        {
            return SilenceDbfs;
        }

        double rms = Math.Sqrt(sumSquares / count);
        return Math.Max(SilenceDbfs, 20.0 * Math.Log10(rms / FullScale));
    }

    private VadEvent ProcessEnergy(double dbfs, double zcr, long timestampMs)
    {
        LastFrameDbfs = dbfs;
        LastZeroCrossingRate = zcr;
        if (!_initialised)
        {
            NoiseFloorDbfs = dbfs;
            _initialised = true;
        }

        // Decide against the floor as it was before this frame, so a loud frame cannot raise its own bar.
        double floor = NoiseFloorDbfs;
        bool zcrOk = _options.MaxZeroCrossingRate is not { } maxZcr || zcr <= maxZcr;
        bool loud = dbfs > floor + _options.OnsetDb && dbfs >= _options.MinSpeechDbfs && zcrOk;
        bool quiet = dbfs < floor + _options.OffsetDb || dbfs < _options.MinSpeechDbfs || !zcrOk;

        // Slow rise, fast fall.
        NoiseFloorDbfs = dbfs < floor
            ? floor + ((dbfs - floor) * _options.NoiseFloorFallFraction)
            : Math.Min(dbfs, floor + _riseDbPerFrame);
        ApplyStationarityRelease(dbfs);

        if (!IsSpeech)
        {
            if (loud)
            {
                if (_loudRun == 0)
                {
                    _loudRunStartMs = timestampMs;
                }

                _loudRun++;
                if (_loudRun >= _options.OnsetFrames)
                {
                    IsSpeech = true;
                    SpeechStartMs = _loudRunStartMs;
                    _loudRun = 0;
                    _quietRun = 0;
                    return new VadEvent(VadEventKind.SpeechStarted, _loudRunStartMs);
                }
            }
            else
            {
                _loudRun = 0;
            }

            return VadEvent.None;
        }

        if (quiet)
        {
            if (_quietRun == 0)
            {
                _quietRunStartMs = timestampMs;
            }

            _quietRun++;
            if (_quietRun >= _options.HangoverFrames)
            {
                IsSpeech = false;
                _quietRun = 0;
                _loudRun = 0;
                return new VadEvent(VadEventKind.SpeechEnded, _quietRunStartMs);
            }
        }
        else
        {
            _quietRun = 0;
        }

        return VadEvent.None;
    }

    private void ApplyStationarityRelease(double dbfs)
    {
        if (_options.StationaryRangeDb <= 0)
        {
            return;
        }

        double min = Math.Min(_steadyMin, dbfs);
        double max = Math.Max(_steadyMax, dbfs);
        if (_steadyRun == 0 || max - min > _options.StationaryRangeDb)
        {
            // Start a new steady run at this frame.
            _steadyRun = 1;
            _steadyMin = dbfs;
            _steadyMax = dbfs;
            return;
        }

        _steadyRun++;
        _steadyMin = min;
        _steadyMax = max;
        if (_steadyRun >= _options.StationaryFrames && _steadyMin > NoiseFloorDbfs)
        {
            NoiseFloorDbfs = _steadyMin;
        }
    }
}
