namespace Portal.Voice.Calls.Stages;

/// <summary>
/// Recording consent: after the AI disclosure and consent question (<see cref="CallPrompts.ConsentPrompt"/>), reads the
/// caller's yes or no (spoken, or 1/2 on the keypad), asks once more when unclear, stores the answer on the call and
/// moves on to the menu or "how can I help". Asked only when recording is on and the caller's state needs all-party consent.
/// </summary>
internal sealed class ConsentStage(CallContext call, PlaybackStage playback)
{
    private int _asks;

    /// <summary>True while the consent question waits for its answer.</summary>
    public bool Awaiting => call.Consent == ConsentState.Awaiting;

    /// <summary>Takes the caller's answer (null when unclear): asks again once, then stores it and moves on.</summary>
    public async Task AnswerAsync(bool? answer, CancellationToken ct)
    {
        bool keypad;
        lock (call.Gate)
        {
            keypad = call.Keypad;
        }

        if (answer is null)
        {
            if (++_asks < 2)
            {
                await playback.SayAsync(CallPrompts.RepromptPrefix + " " + CallPrompts.ConsentPrompt, sendClear: true, ct);
                return;
            }

            answer = false; // asked twice without a clear yes: no recording
        }

        call.Consent = answer.Value ? ConsentState.Given : ConsentState.Declined;
        await call.Handler.SetRecordingConsentAsync(answer.Value, ct);
        string next = (answer.Value ? CallPrompts.ConsentGiven : CallPrompts.ConsentDeclined) + " " + (keypad ? CallPrompts.Menu : CallPrompts.HowCanIHelp);
        await playback.SayAsync(next, sendClear: true, ct);
    }
}
