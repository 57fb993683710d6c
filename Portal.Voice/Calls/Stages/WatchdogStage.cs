using System.Net.WebSockets;

namespace Portal.Voice.Calls.Stages;

/// <summary>
/// The watchdog: every 200 ms it checks the call's clocks. A stream silent for
/// <see cref="MediaStreamSessionOptions.SilentStreamTimeout"/> is closed; at <see cref="MediaStreamSessionOptions.MaxCallLength"/>
/// the agent says goodbye and hangs up; after <see cref="MediaStreamSessionOptions.SilenceTimeout"/> with nobody speaking it
/// reprompts, and after <see cref="MediaStreamSessionOptions.MaxReprompts"/> unanswered reprompts it says goodbye.
/// Prompts go to the dialogue stage as <see cref="WatchdogPromptEvent"/>s.
/// </summary>
internal sealed class WatchdogStage(CallContext call, ListeningStage listening, VoiceMessageStage recorder)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);

    /// <summary>Runs until the call ends, it hangs up, or it closes a silent stream.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(Tick, call.Time, ct);
            switch (Check())
            {
                case Verdict.SilentStream:
                    CallLog.SilentStream(call.Logger, call.StreamSid, call.Options.SilentStreamTimeout.TotalSeconds);
                    await call.Transport.CloseAsync(WebSocketCloseStatus.NormalClosure, "stream silent", ct);
                    call.SessionCts?.CancelAfter(CallContext.CloseGrace);
                    return;
                case Verdict.TimeLimit:
                    Goodbye(CallPrompts.TimeLimitGoodbye);
                    return;
                case Verdict.NoInput:
                    Goodbye(CallPrompts.NoInputGoodbye);
                    return;
                case Verdict.Reprompt:
                    string again = call.Consent == ConsentState.Awaiting ? CallPrompts.ConsentPrompt : KeypadMode() ? CallPrompts.Menu : CallPrompts.SpeechReprompt;
                    call.Post(new WatchdogPromptEvent(AgentReply.Prompt(CallPrompts.RepromptPrefix + " " + again), SendClear: false));
                    break;
            }
        }
    }

    private enum Verdict
    {
        Nothing,
        SilentStream,
        TimeLimit,
        NoInput,
        Reprompt,
    }

    private Verdict Check()
    {
        lock (call.Gate)
        {
            var now = call.Time.GetUtcNow();
            if (now - call.LastInbound >= call.Options.SilentStreamTimeout)
            {
                call.HangingUp = call.HungUp = true;
                return Verdict.SilentStream;
            }

            if (call.HangingUp)
            {
                return Verdict.Nothing; // a goodbye is playing; the wire may still go silent under it
            }

            if (call.Time.GetElapsedTime(call.StartTimestamp) >= call.Options.MaxCallLength)
            {
                call.HangingUp = true;
                return Verdict.TimeLimit;
            }

            if (call.AgentAudible || listening.CallerActive || recorder.IsRecording || now - call.IdleSince < call.Options.SilenceTimeout)
            {
                return Verdict.Nothing;
            }

            if (call.Reprompts >= call.Options.MaxReprompts)
            {
                call.HangingUp = true;
                return Verdict.NoInput;
            }

            call.Reprompts++;
            call.Touch();
            return Verdict.Reprompt;
        }
    }

    private void Goodbye(string goodbye)
    {
        CallLog.HangUp(call.Logger, call.StreamSid, goodbye);
        call.Post(new WatchdogPromptEvent(AgentReply.Prompt(goodbye) with { HangUpAfter = true }, SendClear: true));
    }

    private bool KeypadMode()
    {
        lock (call.Gate)
        {
            return call.Keypad;
        }
    }
}
