namespace Portal.Voice.Calls.Stages;

/// <summary>
/// The voice-message recorder: records the caller as μ-law (<see cref="CallAudioRecorder"/>) after the keypad's "leave a
/// message" prompt, or while the engine takes a message by voice; a keypad message ends after
/// <see cref="MediaStreamSessionOptions.RecordingSilence"/> of silence after speech (or the silence timeout without any),
/// at the length limit, or on a key press; the recording is stored through the handler as WAV. Only when recording is
/// allowed (on for the agent, and consent given where it is needed).
/// </summary>
internal sealed class VoiceMessageStage(CallContext call)
{
    private CallAudioRecorder? _recorder;
    private bool _fromSpeech;
    private bool _heardSpeech;
    private DateTimeOffset _since;
    private DateTimeOffset _lastSound;

    /// <summary>True while recording (under the gate).</summary>
    public bool IsRecording => _recorder is not null;

    /// <summary>True while recording a message the engine asked for by voice (under the gate).</summary>
    public bool FromSpeech => _fromSpeech;

    /// <summary>Starts recording the caller, when allowed and not already recording.</summary>
    /// <param name="fromSpeech">True when the engine takes the message in conversation; false for the keypad's message.</param>
    public void Start(bool fromSpeech)
    {
        lock (call.Gate)
        {
            if (_recorder is not null || !call.RecordingAllowed)
            {
                return;
            }

            _recorder = new CallAudioRecorder(call.Options.MaxRecording);
            _fromSpeech = fromSpeech;
            _heardSpeech = false;
            _since = _lastSound = call.Time.GetUtcNow();
            call.IdleSince = _since;
        }

        CallLog.Recording(call.Logger, call.StreamSid);
    }

    /// <summary>Feeds a caller frame (under the gate); true when a keypad message is complete.</summary>
    public bool OnFrame(ReadOnlySpan<byte> ulaw, bool speech)
    {
        if (_recorder is not { } recorder)
        {
            return false;
        }

        recorder.Append(ulaw);
        var now = call.Time.GetUtcNow();
        if (speech)
        {
            _heardSpeech = true;
            _lastSound = now;
            call.IdleSince = now;
        }

        if (recorder.IsFull)
        {
            return true;
        }

        return !_fromSpeech && now - (_heardSpeech ? _lastSound : _since) >= (_heardSpeech ? call.Options.RecordingSilence : call.Options.SilenceTimeout);
    }

    /// <summary>Stops recording and stores the message when the caller said something; null when nothing was being recorded, else whether it was stored.</summary>
    public async Task<bool?> FinishAsync(CancellationToken ct)
    {
        CallAudioRecorder? recorder;
        bool heard;
        lock (call.Gate)
        {
            recorder = _recorder;
            heard = _heardSpeech;
            _recorder = null;
            call.Touch();
        }

        if (recorder is null)
        {
            return null;
        }

        if (!heard || recorder.DurationMs <= 0)
        {
            return false;
        }

        try
        {
            await call.Handler.SaveRecordingAsync(recorder.ToWav(), recorder.DurationMs, ct);
            CallLog.RecordingSaved(call.Logger, call.StreamSid, recorder.DurationMs);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CallLog.RecordingFailed(call.Logger, call.StreamSid, ex.Message);
            return false;
        }
    }
}
