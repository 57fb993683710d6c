namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// What the caller wants from one utterance, as seen by the offline dialogue manager.
/// The dialogue manager maps each value to a conversational move (start booking, answer hours, hand off...).
/// </summary>
public enum Intent
{
    /// <summary>Nothing recognisable was said (silence, noise, small talk the engine cannot act on).</summary>
    None,

    /// <summary>"hi", "hello", "good morning": opens the conversation.</summary>
    Greeting,

    /// <summary>The caller wants a new appointment ("can I get an appointment", "need someone to look at my furnace").</summary>
    Book,

    /// <summary>The caller wants to move an existing appointment ("I need to move my appointment", "can't make it thursday").</summary>
    Reschedule,

    /// <summary>The caller wants to cancel an appointment or withdraw what they just asked ("cancel", "scratch that").</summary>
    Cancel,

    /// <summary>Opening hours questions ("what time do you close", "are you open saturday").</summary>
    Hours,

    /// <summary>Address and directions questions ("where are you located").</summary>
    Location,

    /// <summary>Prices, the list of services, "how much is", "do you do whitening".</summary>
    Services,

    /// <summary>The caller asks to speak to a person.</summary>
    Human,

    /// <summary>The caller wants to leave a message or be called back.</summary>
    Message,

    /// <summary>The caller is ending the conversation ("that's all, bye").</summary>
    Goodbye,

    /// <summary>The caller says thank you (without ending the call).</summary>
    Thanks,

    /// <summary>Yes / confirmation ("yep", "sounds good").</summary>
    Affirm,

    /// <summary>No / rejection ("nope", "actually no").</summary>
    Deny,

    /// <summary>Any other question, to be answered from the business's knowledge base.</summary>
    Question,
}

/// <summary>
/// Outcome of <see cref="IntentClassifier.Classify(string)"/>: the main intent, a confidence in 0..1
/// (rule strength, not a calibrated probability) and an optional secondary intent carried by the same
/// utterance (e.g. "yes, I'd like to book" is <see cref="Intent.Book"/> with secondary <see cref="Intent.Affirm"/>).
/// </summary>
/// <param name="Intent">The strongest intent found.</param>
/// <param name="Confidence">Strength of the winning rule, 0..1.</param>
/// <param name="Secondary">A second intent also present in the utterance, or <see cref="Intent.None"/>.</param>
public sealed record IntentResult(Intent Intent, double Confidence, Intent Secondary = Intent.None);
