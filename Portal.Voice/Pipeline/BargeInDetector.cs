namespace Portal.Voice.Pipeline;

/// <summary>What decided a barge-in.</summary>
public enum BargeInTrigger
{
    /// <summary>The caller spoke longer than a backchannel can last and no transcript said it was one.</summary>
    SpeechLength = 0,

    /// <summary>A transcript with words other than backchannel words arrived after enough speech.</summary>
    Transcript = 1,
}

/// <summary>The caller interrupted the agent: stop playback (send <c>clear</c>) and listen.</summary>
/// <param name="AtMs">Stream time in ms at which the interruption was decided.</param>
/// <param name="SpeechStartMs">Stream time in ms at which the interrupting speech started.</param>
/// <param name="Trigger">What decided it.</param>
public readonly record struct BargeIn(long AtMs, long SpeechStartMs, BargeInTrigger Trigger);

/// <summary>How a transcript reads as a reaction to the agent.</summary>
public enum TranscriptKind
{
    /// <summary>No words.</summary>
    Empty = 0,

    /// <summary>Only backchannel words ("uh-huh", "okay", "right").</summary>
    Backchannel = 1,

    /// <summary>At least one other word: the caller is saying something.</summary>
    Content = 2,
}

/// <summary>Settings of <see cref="BargeInDetector"/>; durations in milliseconds of stream time.</summary>
public sealed record BargeInOptions
{
    /// <summary>
    /// The default backchannel phrases (lower case, words separated by spaces; hyphens and punctuation in transcripts are
    /// read as spaces). Drawn from the common English continuers and acknowledgements (Schegloff 1982, "Discourse as an
    /// interactional achievement"; Ward &amp; Tsukahara 2000). "no", "wait" and "stop" are deliberately absent.
    /// </summary>
    public static IReadOnlyList<string> DefaultBackchannelPhrases { get; } =
    [
        "uh huh", "mm hmm", "m hm", "mhm", "mmhmm", "mm", "hmm", "hm", "uh", "um", "ah", "oh",
        "ok", "okay", "k", "yeah", "yes", "yep", "yup", "ya", "right", "sure", "alright", "all right",
        "i see", "got it", "gotcha", "cool", "great", "perfect", "exactly", "true",
    ];

    /// <summary>Caller speech needed before any barge-in, in ms (default 300 ms): coughs, clicks and line noise are shorter.</summary>
    public int MinSpeechMs { get; init; } = 300;

    /// <summary>
    /// Speech at least this long interrupts even without a transcript, in ms (default 600 ms): backchannels such as
    /// "uh-huh" and "okay" are shorter.
    /// </summary>
    public int BackchannelMaxMs { get; init; } = 600;

    /// <summary>
    /// How long after a speech segment ends a transcript of it may still trigger a barge-in, in ms (default 1000 ms):
    /// speech-to-text results arrive a few hundred ms after the audio, and "stop" or "no, wait" is over before they do.
    /// </summary>
    public int LateTranscriptMs { get; init; } = 1000;

    /// <summary>Phrases that do not interrupt (see <see cref="DefaultBackchannelPhrases"/>).</summary>
    public IReadOnlyList<string> BackchannelPhrases { get; init; } = DefaultBackchannelPhrases;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MinSpeechMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(BackchannelMaxMs, MinSpeechMs);
        ArgumentOutOfRangeException.ThrowIfNegative(LateTranscriptMs);
        ArgumentNullException.ThrowIfNull(BackchannelPhrases);
    }
}

/// <summary>
/// Decides when the caller interrupts the agent (barge-in) while it is speaking, so that playback can be cut with a
/// Twilio <c>clear</c>, without stopping for every "uh-huh" a polite caller makes while listening.
/// </summary>
/// <remarks>
/// Rules, while the agent is speaking (see <see cref="PlaybackTracker.IsSpeaking"/>), measuring speech from the later
/// of the speech start and the agent's start:
/// speech ≥ <see cref="BargeInOptions.MinSpeechMs"/> with a transcript containing non-backchannel words interrupts at once;
/// speech ≥ <see cref="BargeInOptions.BackchannelMaxMs"/> interrupts unless the transcript so far is only backchannel words;
/// anything shorter, or backchannel-only, does not. At most one barge-in per speech segment.
/// Pure and deterministic (time = frame timestamps); <see cref="OnFrame"/> allocates nothing. Not thread-safe.
/// <para>// REVIEW: the agent's own voice echoed back by the caller's handset can look like caller speech; PSTN echo
/// cancellers usually remove it, but a speakerphone may need an echo-aware threshold later.</para>
/// </remarks>
public sealed class BargeInDetector
{
    private readonly BargeInOptions _options;
    private readonly string[][] _phrases;
    private bool _agentSpeaking;
    private long _agentSpeakingSinceMs;
    private bool _inSpeech;
    private bool _haveSegment;
    private long _segmentStartMs;
    private long _segmentEndMs;
    private bool _fired;
    private TranscriptKind _committedKind;
    private TranscriptKind _interimKind;

    /// <summary>Creates a detector.</summary>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A duration is out of range.</exception>
    public BargeInDetector(BargeInOptions? options = null)
    {
        _options = options ?? new BargeInOptions();
        _options.Validate();
        _phrases = [.. _options.BackchannelPhrases.Select(Tokenize).Where(t => t.Length > 0).OrderByDescending(t => t.Length)];
    }

    /// <summary>The settings in use.</summary>
    public BargeInOptions Options => _options;

    /// <summary>Stream time of the latest frame seen, in ms.</summary>
    public long NowMs { get; private set; }

    /// <summary>The transcript kind accumulated for the current speech segment.</summary>
    public TranscriptKind CurrentTranscriptKind => Max(_committedKind, _interimKind);

    /// <summary>
    /// Feeds one frame: its VAD transition, its timestamp and whether the agent is speaking now.
    /// </summary>
    /// <param name="timestampMs">Stream time of the frame in ms; expected not to decrease.</param>
    /// <param name="vad">The frame's VAD transition (or <see cref="VadEvent.None"/>).</param>
    /// <param name="agentSpeaking">True while agent audio is playing (normally <see cref="PlaybackTracker.IsSpeaking"/>).</param>
    /// <returns>A barge-in when this frame decides one, otherwise null.</returns>
    public BargeIn? OnFrame(long timestampMs, VadEvent vad, bool agentSpeaking)
    {
        NowMs = Math.Max(NowMs, timestampMs);
        if (agentSpeaking && !_agentSpeaking)
        {
            _agentSpeakingSinceMs = NowMs;
        }

        _agentSpeaking = agentSpeaking;
        switch (vad.Kind)
        {
            case VadEventKind.SpeechStarted:
                _inSpeech = true;
                _haveSegment = true;
                _fired = false;
                _segmentStartMs = vad.TimestampMs;
                _committedKind = TranscriptKind.Empty;
                _interimKind = TranscriptKind.Empty;
                break;
            case VadEventKind.SpeechEnded:
                if (_inSpeech)
                {
                    _inSpeech = false;
                    _segmentEndMs = vad.TimestampMs;
                }

                break;
            case VadEventKind.None:
            default:
                break;
        }

        return _inSpeech ? Decide(NowMs, transcriptOnly: false) : null;
    }

    /// <summary>
    /// Takes a speech-to-text result for the caller's current (or just finished) speech and re-decides.
    /// </summary>
    /// <param name="text">Transcript text; interim results replace each other until one is final.</param>
    /// <param name="isFinal">Vendor's <c>is_final</c>: this text is settled and the next result starts a new span.</param>
    /// <returns>A barge-in when this transcript decides one, otherwise null.</returns>
    public BargeIn? OnInterimTranscript(string? text, bool isFinal)
    {
        TranscriptKind kind = Classify(text);
        if (isFinal)
        {
            _committedKind = Max(_committedKind, kind);
            _interimKind = TranscriptKind.Empty;
        }
        else
        {
            _interimKind = kind;
        }

        if (_inSpeech)
        {
            return Decide(NowMs, transcriptOnly: false);
        }

        // A late transcript of a segment that already ended.
        if (_haveSegment && NowMs - _segmentEndMs <= _options.LateTranscriptMs)
        {
            return Decide(_segmentEndMs, transcriptOnly: true);
        }

        return null;
    }

    /// <summary>Classifies a transcript: empty, backchannel words only, or content.</summary>
    /// <param name="text">Transcript text (any case and punctuation).</param>
    /// <returns>The kind.</returns>
    public TranscriptKind Classify(string? text)
    {
        string[] tokens = Tokenize(text);
        if (tokens.Length == 0)
        {
            return TranscriptKind.Empty;
        }

        int i = 0;
        while (i < tokens.Length)
        {
            int matched = 0;
            foreach (string[] phrase in _phrases)
            {
                if (phrase.Length <= tokens.Length - i && phrase.AsSpan().SequenceEqual(tokens.AsSpan(i, phrase.Length)))
                {
                    matched = phrase.Length;
                    break;
                }
            }

            if (matched == 0)
            {
                return TranscriptKind.Content;
            }

            i += matched;
        }

        return TranscriptKind.Backchannel;
    }

    /// <summary>Forgets the speech segment and transcript (e.g. after the barge-in was handled or the stream stopped).</summary>
    public void Reset()
    {
        _inSpeech = false;
        _haveSegment = false;
        _fired = false;
        _committedKind = TranscriptKind.Empty;
        _interimKind = TranscriptKind.Empty;
    }

    private BargeIn? Decide(long speechUpToMs, bool transcriptOnly)
    {
        if (!_agentSpeaking || _fired || !_haveSegment)
        {
            return null;
        }

        long from = Math.Max(_segmentStartMs, _agentSpeakingSinceMs);
        long speechMs = speechUpToMs - from;
        TranscriptKind kind = CurrentTranscriptKind;
        BargeInTrigger? trigger = null;
        if (speechMs >= _options.MinSpeechMs && kind == TranscriptKind.Content)
        {
            trigger = BargeInTrigger.Transcript;
        }
        else if (!transcriptOnly && speechMs >= _options.BackchannelMaxMs && kind != TranscriptKind.Backchannel)
        {
            trigger = BargeInTrigger.SpeechLength;
        }

        if (trigger is not { } t)
        {
            return null;
        }

        _fired = true;
        return new BargeIn(NowMs, _segmentStartMs, t);
    }

    private static TranscriptKind Max(TranscriptKind a, TranscriptKind b) => a >= b ? a : b;

    private static string[] Tokenize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        Span<char> buffer = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            buffer[i] = char.IsLetterOrDigit(c) || c == '\'' ? char.ToLowerInvariant(c) : ' ';
        }

        return new string(buffer).Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
