namespace Portal.Voice.Pipeline;

/// <summary>Why the caller's utterance was considered finished.</summary>
public enum EndOfUtteranceReason
{
    /// <summary>Silence after speech lasted the silence threshold (normal or dictation).</summary>
    Silence = 0,

    /// <summary>The speech-to-text vendor flagged the end of speech (Deepgram <c>speech_final</c>).</summary>
    SpeechFinal = 1,

    /// <summary>The utterance reached the maximum length and was cut.</summary>
    MaxLength = 2,
}

/// <summary>The end of one caller utterance: the moment the agent may take its turn.</summary>
/// <param name="StartMs">Stream time in ms at which the utterance's first speech segment started.</param>
/// <param name="EndMs">Stream time in ms at which its last speech ended (for <see cref="EndOfUtteranceReason.MaxLength"/>, the cut point).</param>
/// <param name="Reason">Why it ended.</param>
public readonly record struct EndOfUtterance(long StartMs, long EndMs, EndOfUtteranceReason Reason)
{
    /// <summary>Length of the utterance in ms (<c>EndMs − StartMs</c>).</summary>
    public long DurationMs => EndMs - StartMs;
}

/// <summary>Settings of <see cref="Endpointer"/>; all durations in milliseconds of stream time.</summary>
public sealed record EndpointerOptions
{
    /// <summary>
    /// Silence after speech that ends the turn, in ms (default 500 ms). Conversational turn gaps cluster around
    /// 200–500 ms (Stivers et al. 2009, "Universals and cultural variation in turn-taking in conversation", PNAS);
    /// 500 ms keeps the agent from talking over a caller who pauses to think mid-sentence.
    /// </summary>
    public int SilenceMs { get; init; } = 500;

    /// <summary>
    /// Silence threshold while <see cref="Endpointer.DictationActive"/> is set, in ms (default 1200 ms): callers pause
    /// between digit groups of a phone number, the parts of an e-mail address or the spelling of a name.
    /// </summary>
    public int DictationSilenceMs { get; init; } = 1200;

    /// <summary>Utterances with less total speech than this are ignored as blips (cough, click, "uh"), in ms (default 200 ms).</summary>
    public int MinSpeechMs { get; init; } = 200;

    /// <summary>Longest utterance before it is cut and handed on anyway, in ms (default 30 000 ms = 30 s).</summary>
    public int MaxUtteranceMs { get; init; } = 30_000;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SilenceMs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DictationSilenceMs);
        ArgumentOutOfRangeException.ThrowIfNegative(MinSpeechMs);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxUtteranceMs, MinSpeechMs);
    }
}

/// <summary>
/// Decides when the caller has finished speaking (end-pointing) from the voice activity events of
/// <see cref="VoiceActivityDetector"/>, frame timestamps and optional speech-to-text hints. It exists because the
/// agent must answer quickly after a real end of turn, but never cut a caller off while they pause in the middle
/// of a phone number.
/// </summary>
/// <remarks>
/// Pure and deterministic: "now" is the last frame timestamp passed to <see cref="OnFrame"/>. Allocates nothing per
/// frame. Not thread-safe: one instance per call.
/// <para>Speech-to-text hint: Deepgram's <c>speech_final</c>
/// (https://developers.deepgram.com/docs/understand-endpointing-interim-results) ends the turn early, except while
/// dictation is active: the vendor's own end-pointing (10 ms by default) fires on the pauses between digit groups.</para>
/// </remarks>
public sealed class Endpointer
{
    private readonly EndpointerOptions _options;
    private bool _active;
    private bool _inSpeech;
    private bool _ignoreCurrentSegment;
    private long _utteranceStartMs;
    private long _segmentStartMs;
    private long _lastSpeechEndMs;
    private long _closedSpeechMs;

    /// <summary>Creates an endpointer.</summary>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public Endpointer(EndpointerOptions? options = null)
    {
        _options = options ?? new EndpointerOptions();
        _options.Validate();
    }

    /// <summary>The settings in use.</summary>
    public EndpointerOptions Options => _options;

    /// <summary>
    /// True while the dialogue is filling a dictation slot (phone number, e-mail, name): the silence threshold becomes
    /// <see cref="EndpointerOptions.DictationSilenceMs"/> and <c>speech_final</c> hints are ignored. Set by the dialogue
    /// layer when it asks for such a slot; it takes effect from the next frame.
    /// </summary>
    public bool DictationActive { get; set; }

    /// <summary>The silence threshold in force now, in ms.</summary>
    public int CurrentSilenceMs => DictationActive ? _options.DictationSilenceMs : _options.SilenceMs;

    /// <summary>True while an utterance has started and not yet ended.</summary>
    public bool InUtterance => _active;

    /// <summary>Stream time of the latest frame seen, in ms.</summary>
    public long NowMs { get; private set; }

    /// <summary>
    /// Feeds one frame's voice activity result and advances time to <paramref name="timestampMs"/>.
    /// </summary>
    /// <param name="timestampMs">Stream time of the frame in ms; expected not to decrease.</param>
    /// <param name="vad">The frame's VAD transition (or <see cref="VadEvent.None"/>).</param>
    /// <returns>The end of an utterance when this frame completes one, otherwise null.</returns>
    public EndOfUtterance? OnFrame(long timestampMs, VadEvent vad)
    {
        NowMs = Math.Max(NowMs, timestampMs);
        switch (vad.Kind)
        {
            case VadEventKind.SpeechStarted:
                _inSpeech = true;
                _ignoreCurrentSegment = false;
                _segmentStartMs = vad.TimestampMs;
                if (!_active)
                {
                    _active = true;
                    _utteranceStartMs = vad.TimestampMs;
                    _closedSpeechMs = 0;
                }

                break;
            case VadEventKind.SpeechEnded:
                if (_inSpeech)
                {
                    _inSpeech = false;
                    if (_ignoreCurrentSegment)
                    {
                        // The tail of a segment whose turn was already ended by speech_final.
                        _ignoreCurrentSegment = false;
                        break;
                    }

                    if (_active)
                    {
                        _closedSpeechMs += Math.Max(0, vad.TimestampMs - _segmentStartMs);
                        _lastSpeechEndMs = vad.TimestampMs;
                    }
                }

                break;
            case VadEventKind.None:
            default:
                break;
        }

        if (!_active)
        {
            return null;
        }

        if (NowMs - _utteranceStartMs >= _options.MaxUtteranceMs)
        {
            long cut = _inSpeech ? NowMs : Math.Min(NowMs, _lastSpeechEndMs);
            var end = new EndOfUtterance(_utteranceStartMs, cut, EndOfUtteranceReason.MaxLength);
            if (_inSpeech)
            {
                // The caller is still talking: what follows the cut is a new utterance starting now.
                _utteranceStartMs = NowMs;
                _segmentStartMs = NowMs;
                _closedSpeechMs = 0;
            }
            else
            {
                _active = false;
            }

            return end;
        }

        if (!_inSpeech && NowMs - _lastSpeechEndMs >= CurrentSilenceMs)
        {
            bool longEnough = _closedSpeechMs >= _options.MinSpeechMs;
            var end = new EndOfUtterance(_utteranceStartMs, _lastSpeechEndMs, EndOfUtteranceReason.Silence);
            _active = false;
            return longEnough ? end : null;
        }

        return null;
    }

    /// <summary>
    /// Takes a speech-to-text result as a hint. A result with <paramref name="speechFinal"/> set and non-blank text ends
    /// the current utterance at once (reason <see cref="EndOfUtteranceReason.SpeechFinal"/>) when it holds at least
    /// <see cref="EndpointerOptions.MinSpeechMs"/> of speech and dictation is not active; other results change nothing.
    /// </summary>
    /// <param name="text">Transcript text of the result.</param>
    /// <param name="isFinal">Vendor's <c>is_final</c>: this span of text will not be revised.</param>
    /// <param name="speechFinal">Vendor's <c>speech_final</c>: the vendor detected the end of speech.</param>
    /// <returns>The end of the utterance when the hint ends it, otherwise null.</returns>
    public EndOfUtterance? OnInterimTranscript(string? text, bool isFinal, bool speechFinal)
    {
        // REVIEW: non-final interim results could also extend a turn the VAD missed (very soft speech); not used yet
        // because they arrive 200–500 ms late and would lengthen every pause.
        _ = isFinal;
        if (!speechFinal || DictationActive || !_active || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        long speechMs = _closedSpeechMs + (_inSpeech ? Math.Max(0, NowMs - _segmentStartMs) : 0);
        if (speechMs < _options.MinSpeechMs)
        {
            return null;
        }

        long endMs = _inSpeech ? NowMs : _lastSpeechEndMs;
        var end = new EndOfUtterance(_utteranceStartMs, endMs, EndOfUtteranceReason.SpeechFinal);
        _active = false;
        _ignoreCurrentSegment = _inSpeech;
        return end;
    }

    /// <summary>Drops any utterance in progress (e.g. after a barge-in was handled or the stream stopped); keeps <see cref="DictationActive"/>.</summary>
    public void Reset()
    {
        _active = false;
        _inSpeech = false;
        _ignoreCurrentSegment = false;
        _closedSpeechMs = 0;
    }
}
