namespace Portal.Voice.Calls.Stages;

/// <summary>
/// The keypad menu (DTMF, https://www.twilio.com/docs/voice/media-streams/websocket-messages#dtmf-message): 1 hours and
/// 2 address (asked of the engine as the caller's turn), 3 a voice message, 0 a transfer; # or any key ends a keypad
/// message; 1/2 answer the consent question. The menu is repeated after each answer while the call is on the keypad.
/// </summary>
internal sealed class KeypadMenuStage(CallContext call, PlaybackStage playback, ConsentStage consent, VoiceMessageStage recorder)
{
    /// <summary>Takes one key press.</summary>
    public async Task OnDigitAsync(string digit, CancellationToken ct)
    {
        bool recording, fromSpeech, keypad;
        lock (call.Gate)
        {
            call.Reprompts = 0;
            call.Touch();
            recording = recorder.IsRecording;
            fromSpeech = recorder.FromSpeech;
        }

        if (recording && (digit == "#" || !fromSpeech))
        {
            await FinishMessageAsync(announce: !fromSpeech, ct);
            return;
        }

        if (consent.Awaiting && digit is "1" or "2")
        {
            await consent.AnswerAsync(digit == "1", ct);
            return;
        }

        lock (call.Gate)
        {
            keypad = call.Keypad;
        }

        string menu = keypad ? " " + CallPrompts.Menu : "";
        var handler = call.Handler;
        var reply = digit switch
        {
            "1" => AgentReply.Turn(c => handler.ProcessTurnAsync(CallPrompts.HoursQuestion, c), null, 0, menu),
            "2" => AgentReply.Turn(c => handler.ProcessTurnAsync(CallPrompts.AddressQuestion, c), null, 0, menu),
            "3" when call.RecordingAllowed => AgentReply.Prompt(CallPrompts.MessagePrompt) with { StartRecordingAfter = true },
            "3" => AgentReply.Prompt(CallPrompts.MessagesUnavailable + menu),
            "0" => AgentReply.TransferCall(CallPrompts.Menu),
            _ => AgentReply.Prompt(CallPrompts.UnknownDigit + menu),
        };
        await playback.StartAsync(reply, sendClear: true, ct);
    }

    /// <summary>Ends a voice message being recorded; with <paramref name="announce"/>, says whether it was stored and what next.</summary>
    public async Task FinishMessageAsync(bool announce, CancellationToken ct)
    {
        if (await recorder.FinishAsync(ct) is not { } saved || !announce)
        {
            return;
        }

        bool keypad;
        lock (call.Gate)
        {
            keypad = call.Keypad;
        }

        string said = saved ? CallPrompts.MessageSaved : CallPrompts.RepromptPrefix;
        await playback.SayAsync(said + " " + (keypad ? CallPrompts.Menu : CallPrompts.HowCanIHelp), sendClear: false, ct);
    }
}
