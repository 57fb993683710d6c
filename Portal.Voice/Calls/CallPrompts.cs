namespace Portal.Voice.Calls;

/// <summary>
/// Everything the agent says on a call that is not the engine's own reply (the keypad menu, reprompts, consent, voice
/// messages, transfers, goodbyes), and the caller utterances that key presses stand for: one place to read and change
/// the call's fixed wording. Each prompt is spoken through the call's voice and cached (see <see cref="PhoneSpeechCache"/>).
/// </summary>
public static class CallPrompts
{
    /// <summary>The keypad menu.</summary>
    public const string Menu = "Press 1 to hear our opening hours, 2 for our address, 3 to leave a message, 0 to speak to someone.";

    /// <summary>Utterance sent as the caller's turn for digit 1.</summary>
    public const string HoursQuestion = "What are your hours?";

    /// <summary>Utterance sent as the caller's turn for digit 2.</summary>
    public const string AddressQuestion = "Where are you located?";

    /// <summary>Utterance stored as the caller's turn for digit 0 (a hand-over to a person).</summary>
    public const string TransferRequest = "I'd like to speak to someone.";

    /// <summary>Said before a reprompt.</summary>
    public const string RepromptPrefix = "Sorry, I didn't catch that.";

    /// <summary>Said after <see cref="RepromptPrefix"/> when the call is spoken (not keypad).</summary>
    public const string SpeechReprompt = "Could you say that again?";

    /// <summary>Said when the recognizer's confidence stayed low, before the menu.</summary>
    public const string KeypadFallback = "I'm having trouble hearing you, so let's use the keypad.";

    /// <summary>Said before hanging up after the last unanswered reprompt.</summary>
    public const string NoInputGoodbye = "I haven't heard anything, so I'll hang up now. Thanks for calling, goodbye.";

    /// <summary>Said when the call reaches its maximum length, before hanging up.</summary>
    public const string TimeLimitGoodbye = "We've reached the time limit for this call. Thank you for calling, goodbye.";

    /// <summary>Said for digit 3 when recording is not allowed (off for the agent, or the caller declined).</summary>
    public const string MessagesUnavailable = "Sorry, voice messages are not available on this call.";

    /// <summary>Said for digit 3 before recording.</summary>
    public const string MessagePrompt = "Please leave your message now, and press the pound key or stop talking when you are done.";

    /// <summary>Said once a voice message is stored.</summary>
    public const string MessageSaved = "Thank you, your message has been recorded.";

    /// <summary>AI disclosure and consent question, asked first when recording is on and the caller's state needs all-party consent (docs/product/recording-consent.md).</summary>
    public const string ConsentPrompt = "Before we begin, please know that I'm an AI assistant, and this call may be recorded. Do you consent to being recorded? Please say yes or no, or press 1 for yes or 2 for no.";

    /// <summary>Said after a yes to <see cref="ConsentPrompt"/>.</summary>
    public const string ConsentGiven = "Thank you.";

    /// <summary>Said after a no to <see cref="ConsentPrompt"/>.</summary>
    public const string ConsentDeclined = "No problem, nothing will be recorded.";

    /// <summary>Said after the consent answer on a spoken call.</summary>
    public const string HowCanIHelp = "How can I help you today?";

    /// <summary>Said before a transfer.</summary>
    public const string TransferPrompt = "Please hold while I connect you.";

    /// <summary>Said when no transfer is possible.</summary>
    public const string TransferUnavailable = "Sorry, no one is available to take your call right now.";

    /// <summary>Said for a digit the menu does not use.</summary>
    public const string UnknownDigit = "Sorry, that is not an option.";

    /// <summary>Said when the call cannot be set up (a fault on our side at stream start), before hanging up.</summary>
    public const string TechnicalDifficulties = "Sorry, we're having technical difficulties and can't take your call right now. Please call again shortly. Goodbye.";
}
