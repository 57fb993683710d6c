using Portal.Voice.Audio;
using Portal.Voice.Pipeline;
using Portal.Voice.SpeechToText;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls.Stages;

/// <summary>
/// Voice activity, endpointing and barge-in detection: each inbound 20 ms frame goes through the
/// <see cref="VoiceActivityDetector"/>, the <see cref="BargeInDetector"/> (is the caller talking over the agent?) and the
/// <see cref="CallerTurnDetector"/> (is the caller's turn over?), is fed to the recognizer and to a voice message being
/// recorded; transcripts from <see cref="RecognitionStage"/> go through the same detectors. What they decide leaves as
/// <see cref="CallEvent"/>s on the call's event channel.
/// </summary>
/// <remarks>
/// End of turn waits for the recognizer: while a recognizer that transcribes behind real time
/// (<see cref="ISpeechBacklog"/>, e.g. pocketsphinx on a busy machine) still holds caller speech it has not transcribed,
/// the turn does not end on silence and the silence timer does not run, for at most
/// <see cref="CallerTurnOptions.MaxRecognizerWaitMs"/> of stream time; the late final transcript then ends the turn
/// with the caller's words instead of a reprompt. State is read and written under <see cref="CallContext.Gate"/>.
/// </remarks>
internal sealed class ListeningStage(CallContext call, VoiceMessageStage recorder)
{
    private readonly VoiceActivityDetector _vad = new();
    private readonly BargeInDetector _bargeIn = new();
    private readonly CallerTurnDetector _turns = new(call.Options.Turns);
    private ISpeechToTextStream? _recognizer;
    private long _lastFinalTimestamp;
    private long _transcriptsHandled;
    private long _pendingSinceMs = -1;

    /// <summary>True while endpointing waits for dictated data.</summary>
    public bool DictationActive
    {
        get
        {
            lock (call.Gate)
            {
                return _turns.DictationActive;
            }
        }
    }

    /// <summary>Transcript events taken so far (interim and final, ignored ones in keypad mode included).</summary>
    public long TranscriptsHandled
    {
        get
        {
            lock (call.Gate)
            {
                return _transcriptsHandled;
            }
        }
    }

    /// <summary>True while the caller speaks, a turn is in progress or the recognizer is still transcribing speech (under the gate).</summary>
    public bool CallerActive => _vad.IsSpeech || _turns.InTurn || _turns.RecognizerPending;

    /// <summary>Forgets the barge-in in progress (a <c>clear</c> was sent; under the gate).</summary>
    public void ResetBargeIn() => _bargeIn.Reset();

    /// <summary>Classifies a caller utterance: content, or a backchannel ("mm-hm") that must not interrupt (under the gate).</summary>
    public TranscriptKind Classify(string text) => _bargeIn.Classify(text);

    /// <summary>Sets the longer dictation endpointing (the engine asked for a name, phone number, e-mail or message).</summary>
    public void SetDictation(bool active)
    {
        lock (call.Gate)
        {
            _turns.DictationActive = active;
        }
    }

    /// <summary>A recognizer is open: the call is spoken from now on.</summary>
    public void Attach(ISpeechToTextStream recognizer)
    {
        lock (call.Gate)
        {
            _recognizer = recognizer;
            call.Keypad = false;
        }
    }

    /// <summary>Switches to the keypad; false when already there. <paramref name="recognizer"/> is the stream to complete.</summary>
    public bool TryDetach(out ISpeechToTextStream? recognizer)
    {
        lock (call.Gate)
        {
            recognizer = _recognizer;
            if (call.Keypad)
            {
                return false;
            }

            call.Keypad = true;
            _turns.Reset();
            _turns.DictationActive = false;
            return true;
        }
    }

    /// <summary>Takes one inbound caller frame (μ-law 8 kHz, 160 bytes; other sizes are skipped).</summary>
    public async Task OnFrameAsync(MediaMessage media, ReadOnlyMemory<byte> recognizerAudio, CancellationToken ct)
    {
        if (media.Payload.Length != MuLawFrameSplitter.FrameBytes)
        {
            return;
        }

        ISpeechToTextStream? recognizer;
        lock (call.Gate)
        {
            var vad = _vad.ProcessMuLawFrame(media.Payload.Span, media.Timestamp);
            if (_bargeIn.OnFrame(media.Timestamp, vad, call.AgentAudible) is not null)
            {
                call.Post(new BargeInEvent());
            }

            recognizer = call.Keypad ? null : _recognizer;
            if (recognizer is not null)
            {
                TrackBacklog(recognizer, media.Timestamp);
                if (_turns.OnFrame(media.Timestamp, vad) is { } utterance)
                {
                    call.Post(new UtteranceEvent(utterance, _lastFinalTimestamp));
                }
            }

            if (_vad.IsSpeech)
            {
                call.Touch();
            }

            if (recorder.OnFrame(media.Payload.Span, _vad.IsSpeech))
            {
                call.Post(new VoiceMessageEndedEvent());
            }
        }

        if (recognizer is not null)
        {
            try
            {
                await recognizer.SendAudioAsync(recognizerAudio.IsEmpty ? media.Payload : recognizerAudio, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                CallLog.RecognizerFailed(call.Logger, call.StreamSid, ex.Message);
                call.Post(new RecognizerLostEvent());
            }
        }
    }

    /// <summary>Takes one transcript event from the recognizer.</summary>
    public void OnTranscript(TranscriptEvent transcript)
    {
        lock (call.Gate)
        {
            _transcriptsHandled++;
            if (call.Keypad)
            {
                return;
            }

            if (_bargeIn.OnInterimTranscript(transcript.Text, transcript.IsFinal) is not null)
            {
                call.Post(new BargeInEvent());
            }

            if (transcript.IsFinal && transcript.Text.Length > 0)
            {
                _lastFinalTimestamp = call.Time.GetTimestamp();
            }

            if (_recognizer is { } recognizer)
            {
                TrackBacklog(recognizer, _turns.NowMs);
            }

            var utterance = _turns.OnTranscript(transcript.Text, transcript.IsFinal, transcript.SpeechFinal, transcript.Confidence, transcript.StartMs, transcript.EndMs);
            if (_turns.InTurn || utterance is not null)
            {
                call.Touch();
            }

            if (utterance is not null)
            {
                call.Post(new UtteranceEvent(utterance, _lastFinalTimestamp));
            }
        }
    }

    /// <summary>
    /// Tells the turn detector whether the recognizer still holds untranscribed caller speech, and keeps the silence timer
    /// from running meanwhile, for at most <see cref="CallerTurnOptions.MaxRecognizerWaitMs"/> (under the gate).
    /// </summary>
    private void TrackBacklog(ISpeechToTextStream recognizer, long nowMs)
    {
        bool pending = recognizer is ISpeechBacklog { SpeechPending: true };
        if (!pending)
        {
            _pendingSinceMs = -1;
            _turns.RecognizerPending = false;
            return;
        }

        if (_pendingSinceMs < 0)
        {
            _pendingSinceMs = nowMs;
        }

        bool waiting = nowMs - _pendingSinceMs < _turns.Options.MaxRecognizerWaitMs;
        _turns.RecognizerPending = waiting;
        if (waiting)
        {
            call.Touch(); // the caller spoke; the recognizer is catching up: not silence
        }
    }
}
