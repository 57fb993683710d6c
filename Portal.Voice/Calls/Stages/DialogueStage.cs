using Portal.Voice.Pipeline;

namespace Portal.Voice.Calls.Stages;

/// <summary>
/// The dialogue turn: takes the call's <see cref="CallEvent"/>s one at a time, in arrival order, from the event channel
/// (so caller turns, key presses, barge-ins and watchdog prompts never race), and answers each: a spoken turn goes to
/// the engine (<see cref="IMediaCallHandler.ProcessTurnAsync"/>) and its streamed reply to <see cref="PlaybackStage"/>;
/// backchannels while the agent speaks are ignored; low confidence asks again, then falls back to the keypad.
/// </summary>
internal sealed class DialogueStage(
    CallContext call,
    ListeningStage listening,
    RecognitionStage recognition,
    PlaybackStage playback,
    KeypadMenuStage keypad,
    ConsentStage consent,
    VoiceMessageStage recorder)
{
    private int _lowConfidence;

    /// <summary>Takes events until the channel is completed or <paramref name="ct"/> fires; a failed event is logged and ends the call.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var e in call.Events.Reader.ReadAllAsync(ct))
            {
                await HandleAsync(e, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // As a failure on the receive path would: the call ends (its record is closed by the session's end).
            CallLog.EventFailed(call.Logger, call.StreamSid, ex.Message);
            call.Events.Writer.TryComplete();
            if (call.SessionCts is { } session)
            {
                await session.CancelAsync();
            }
        }
    }

    /// <summary>Switches the call to the keypad menu, saying <paramref name="why"/> first (once; later calls do nothing).</summary>
    public async Task FallBackToKeypadAsync(string why, CancellationToken ct)
    {
        if (!listening.TryDetach(out var recognizer))
        {
            return;
        }

        CallLog.KeypadFallback(call.Logger, call.StreamSid, why);
        if (recognizer is not null)
        {
            await recognition.CompleteAsync(recognizer, ct);
        }

        await playback.SayAsync(why + " " + CallPrompts.Menu, sendClear: true, ct);
    }

    private Task HandleAsync(CallEvent e, CancellationToken ct) => e switch
    {
        UtteranceEvent u => OnUtteranceAsync(u.Utterance, u.FinalTimestamp, ct),
        DigitEvent d => keypad.OnDigitAsync(d.Digit, ct),
        BargeInEvent => playback.StopAsync(sendClear: true, ct),
        VoiceMessageEndedEvent => keypad.FinishMessageAsync(announce: true, ct),
        RecognizerLostEvent => FallBackToKeypadAsync(CallPrompts.KeypadFallback, ct),
        WatchdogPromptEvent w => playback.StartAsync(w.Reply, w.SendClear, ct),
        _ => Task.CompletedTask,
    };

    private async Task OnUtteranceAsync(CallerUtterance utterance, long finalTimestamp, CancellationToken ct)
    {
        // The caller's line on a browser call is the turn as the session acts on it, whatever it then does with it.
        await call.Transport.SendCallerTurnAsync(utterance.Text, ct);
        bool agentSpeaking, keypadMode, recordingByKeypad;
        TranscriptKind kind;
        lock (call.Gate)
        {
            agentSpeaking = call.AgentAudible;
            kind = listening.Classify(utterance.Text);
            keypadMode = call.Keypad;
            recordingByKeypad = recorder.IsRecording && !recorder.FromSpeech;
            call.Touch();
        }

        if (recordingByKeypad)
        {
            return; // a keypad voice message is being recorded: the words are in the recording
        }

        if (agentSpeaking && kind != TranscriptKind.Content)
        {
            CallLog.Backchannel(call.Logger, call.StreamSid, utterance.Text);
            return;
        }

        if (keypadMode)
        {
            return;
        }

        call.Reprompts = 0;
        await keypad.FinishMessageAsync(announce: false, ct);
        if (consent.Awaiting)
        {
            await consent.AnswerAsync(RecordingConsent.ParseYesNo(utterance.Text), ct);
            return;
        }

        if (utterance.Confidence < call.Options.MinConfidence)
        {
            CallLog.LowConfidence(call.Logger, call.StreamSid, utterance.Confidence);
            if (++_lowConfidence >= call.Options.LowConfidenceTurns)
            {
                await FallBackToKeypadAsync(CallPrompts.KeypadFallback, ct);
            }
            else
            {
                await playback.SayAsync(CallPrompts.RepromptPrefix + " " + CallPrompts.SpeechReprompt, sendClear: true, ct);
            }

            return;
        }

        _lowConfidence = 0;
        var handler = call.Handler;
        await playback.StartAsync(AgentReply.Turn(c => handler.ProcessTurnAsync(utterance.Text, c), utterance, finalTimestamp), sendClear: true, ct);
    }
}
