using System.Text;

namespace Portal.Voice.Pipeline;

/// <summary>Settings of <see cref="CallerTurnDetector"/>; durations in milliseconds of stream time.</summary>
public sealed record CallerTurnOptions
{
    /// <summary>Silence after the last final transcript and the last local speech that ends the turn, ms (default 500 ms; see <see cref="EndpointerOptions.SilenceMs"/>).</summary>
    public int SilenceMs { get; init; } = 500;

    /// <summary>Silence that ends the turn while the caller dictates a phone number, an e-mail, a name or a message, ms (default 1500 ms).</summary>
    public int DictationSilenceMs { get; init; } = 1500;

    /// <summary>Turns with less transcribed speech than this are dropped as blips, ms (default 200 ms).</summary>
    public int MinSpeechMs { get; init; } = 200;

    /// <summary>
    /// When only interim text exists, how much longer than the silence threshold to wait for the final transcript before
    /// taking the interim text as final, ms (default 1500 ms): a recognizer that never finalizes must not stall the call.
    /// </summary>
    public int FinalTranscriptWaitMs { get; init; } = 1500;

    /// <summary>
    /// Longest wait for a recognizer that runs behind real time (<see cref="CallerTurnDetector.RecognizerPending"/>) to
    /// transcribe the caller speech it already received before the turn ends without it, ms of stream time (default
    /// 10 000 ms): a batch recognizer on a busy machine may take seconds per utterance, and ending the turn before its
    /// final result arrives answers words the caller did not finish saying (or asks them to repeat).
    /// </summary>
    public int MaxRecognizerWaitMs { get; init; } = 10_000;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SilenceMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(DictationSilenceMs, SilenceMs);
        ArgumentOutOfRangeException.ThrowIfNegative(MinSpeechMs);
        ArgumentOutOfRangeException.ThrowIfNegative(FinalTranscriptWaitMs);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRecognizerWaitMs);
    }
}

/// <summary>One finished caller turn, ready for the dialogue engine.</summary>
/// <param name="Text">The transcribed words (final transcripts joined by spaces).</param>
/// <param name="Confidence">Recognizer confidence in 0..1, averaged over the final results weighted by their words.</param>
/// <param name="StartMs">Start of the speech, ms of stream time.</param>
/// <param name="EndMs">End of the speech, ms of stream time.</param>
/// <param name="FinalAtMs">Stream time at which the last final transcript arrived (its lag behind <paramref name="EndMs"/> is the recognizer's latency).</param>
/// <param name="Reason">What ended the turn.</param>
public sealed record CallerUtterance(string Text, double Confidence, long StartMs, long EndMs, long FinalAtMs, EndOfUtteranceReason Reason);

/// <summary>
/// Speech-to-text endpointing for a phone call: decides when the caller's turn is over from the recognizer's transcript
/// events (Deepgram-style <c>is_final</c>/<c>speech_final</c>, https://developers.deepgram.com/docs/understand-endpointing-interim-results)
/// and the local voice activity detector, and assembles the turn's text. It exists because neither source alone is
/// right: the vendor's endpointing fires on every short pause (fatal while a caller reads out a phone number), and the
/// local detector does not know the words.
/// </summary>
/// <remarks>
/// Rules: an interim result with words starts the turn early (<see cref="InTurn"/>; the call stops its silence timer and
/// barge-in logic sees the words). A final result with <c>speech_final</c> ends the turn at once unless
/// <see cref="DictationActive"/>; otherwise the turn ends when no local speech is going on and the silence since the later
/// of the last final transcript's end and the last local speech end reaches <see cref="CurrentSilenceMs"/>. Turns shorter
/// than <see cref="CallerTurnOptions.MinSpeechMs"/> are dropped. While <see cref="RecognizerPending"/> is set (the
/// recognizer has not caught up with the audio received), no rule ends the turn. Pure and deterministic (time = stream timestamps); not
/// thread-safe: one instance per call, driven under the call's lock.
/// </remarks>
public sealed class CallerTurnDetector
{
    private readonly CallerTurnOptions _options;
    private readonly StringBuilder _final = new();
    private string _interim = "";
    private long _interimStartMs;
    private long _interimEndMs;
    private double _confidenceSum;
    private int _confidenceWeight;
    private bool _started;
    private long _startMs;
    private long _endMs;
    private long _finalAtMs;
    private bool _inSpeech;
    private long _lastSpeechEndMs;

    /// <summary>Creates a detector.</summary>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public CallerTurnDetector(CallerTurnOptions? options = null)
    {
        _options = options ?? new CallerTurnOptions();
        _options.Validate();
    }

    /// <summary>The settings in use.</summary>
    public CallerTurnOptions Options => _options;

    /// <summary>True while the dialogue waits for dictated data (phone number, e-mail, name, message): longer silence, no <c>speech_final</c> shortcut.</summary>
    public bool DictationActive { get; set; }

    /// <summary>The silence threshold in force now, ms.</summary>
    public int CurrentSilenceMs => DictationActive ? _options.DictationSilenceMs : _options.SilenceMs;

    /// <summary>
    /// True while the recognizer still holds caller speech it has not transcribed (it runs behind real time): the turn then
    /// neither ends on silence nor on <c>speech_final</c>, so its last words are not lost. The caller bounds the wait
    /// (<see cref="CallerTurnOptions.MaxRecognizerWaitMs"/>) by clearing this.
    /// </summary>
    public bool RecognizerPending { get; set; }

    /// <summary>True once words (interim or final) of a turn that has not ended yet were recognized.</summary>
    public bool InTurn => _started;

    /// <summary>The words recognized so far in this turn (finals then the current interim).</summary>
    public string TextSoFar => _interim.Length == 0 ? _final.ToString() : (_final.Length == 0 ? _interim : _final + " " + _interim);

    /// <summary>Stream time of the latest frame or transcript, ms.</summary>
    public long NowMs { get; private set; }

    /// <summary>Feeds one inbound frame's voice activity and advances time.</summary>
    /// <param name="timestampMs">Frame timestamp, ms of stream time (not decreasing).</param>
    /// <param name="vad">The frame's VAD transition.</param>
    /// <returns>The finished turn when this frame ends one, otherwise null.</returns>
    public CallerUtterance? OnFrame(long timestampMs, VadEvent vad)
    {
        NowMs = Math.Max(NowMs, timestampMs);
        if (vad.IsSpeechStarted)
        {
            _inSpeech = true;
        }
        else if (vad.IsSpeechEnded && _inSpeech)
        {
            _inSpeech = false;
            _lastSpeechEndMs = vad.TimestampMs;
        }

        if (!_started || _inSpeech || RecognizerPending)
        {
            return null;
        }

        long lastSound = Math.Max(_lastSpeechEndMs, Math.Max(_endMs, _interimEndMs));
        long silence = NowMs - lastSound;
        if (_final.Length > 0 && _interim.Length == 0 && silence >= CurrentSilenceMs)
        {
            return Finish(EndOfUtteranceReason.Silence);
        }

        if (_interim.Length > 0 && silence >= CurrentSilenceMs + _options.FinalTranscriptWaitMs)
        {
            // The recognizer never finalized: take its interim words.
            AppendFinal(_interim, 0.5, _interimStartMs, _interimEndMs);
            _interim = "";
            return Finish(EndOfUtteranceReason.Silence);
        }

        return null;
    }

    /// <summary>Takes one transcript event from the recognizer.</summary>
    /// <param name="text">Words of the result.</param>
    /// <param name="isFinal">Vendor's <c>is_final</c>.</param>
    /// <param name="speechFinal">Vendor's <c>speech_final</c>.</param>
    /// <param name="confidence">Confidence in 0..1.</param>
    /// <param name="startMs">Start of the transcribed audio, ms of stream time.</param>
    /// <param name="endMs">End of the transcribed audio, ms of stream time.</param>
    /// <returns>The finished turn when this result ends one, otherwise null.</returns>
    public CallerUtterance? OnTranscript(string? text, bool isFinal, bool speechFinal, double confidence, long startMs, long endMs)
    {
        string words = (text ?? "").Trim();
        NowMs = Math.Max(NowMs, endMs);
        if (!isFinal)
        {
            _interim = words;
            if (words.Length > 0)
            {
                _interimStartMs = startMs;
                _interimEndMs = endMs;
                Begin(startMs);
            }

            return null;
        }

        _interim = "";
        if (words.Length > 0)
        {
            Begin(startMs);
            AppendFinal(words, confidence, startMs, endMs);
            _finalAtMs = NowMs;
        }

        if (speechFinal && !DictationActive && !RecognizerPending && _final.Length > 0)
        {
            return Finish(EndOfUtteranceReason.SpeechFinal);
        }

        return null;
    }

    /// <summary>Forgets the turn in progress (e.g. the keypad took over); keeps <see cref="DictationActive"/> and voice activity.</summary>
    public void Reset()
    {
        _final.Clear();
        _interim = "";
        _confidenceSum = 0;
        _confidenceWeight = 0;
        _started = false;
        _endMs = 0;
        _interimEndMs = 0;
    }

    private void Begin(long startMs)
    {
        if (!_started)
        {
            _started = true;
            _startMs = startMs;
        }
        else
        {
            _startMs = Math.Min(_startMs, startMs);
        }
    }

    private void AppendFinal(string words, double confidence, long startMs, long endMs)
    {
        if (_final.Length > 0)
        {
            _final.Append(' ');
        }

        _final.Append(words);
        int weight = Math.Max(1, words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        _confidenceSum += Math.Clamp(confidence, 0, 1) * weight;
        _confidenceWeight += weight;
        _startMs = Math.Min(_startMs, startMs);
        _endMs = Math.Max(_endMs, endMs);
        _finalAtMs = NowMs;
    }

    private CallerUtterance? Finish(EndOfUtteranceReason reason)
    {
        var utterance = new CallerUtterance(_final.ToString(), _confidenceWeight == 0 ? 0 : _confidenceSum / _confidenceWeight, _startMs, _endMs, _finalAtMs, reason);
        Reset();
        return utterance.EndMs - utterance.StartMs >= _options.MinSpeechMs ? utterance : null;
    }
}
