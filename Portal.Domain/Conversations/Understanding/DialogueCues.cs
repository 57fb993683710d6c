using System.Text.RegularExpressions;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Phrase cues the dialogue manager reads on top of the intent: a real farewell versus a closing phrase ("that's it"),
/// a message asked for versus one ruled out ("no message, that's my number"), a booking declined ("don't book it"), and a
/// question asked in passing. Each cue is a class of phrasing (a small grammar), not a list of sentences.
/// </summary>
public static partial class DialogueCues
{
    /// <summary>
    /// True when the caller actually takes leave ("bye", "take care", "have a good day", "talk to you later"), as opposed to
    /// a closing phrase that can also confirm an answer ("that's it", "that's all", "I'm good", "all set").
    /// </summary>
    public static bool HasFarewell(string text) => Farewell().IsMatch(text);

    /// <summary>True when the caller rules a message out: "no message", "no need to leave a message", "not a message".</summary>
    public static bool RulesOutMessage(string text) => NoMessage().IsMatch(text);

    /// <summary>
    /// True when the caller asks to leave a message or be called back in so many words ("leave a message", "take a
    /// message", "have someone call me back", "call me back", "get back to me") and does not rule it out.
    /// "Tell her I'll be late" or "let the mechanic know it's a Civic" are remarks, not a request for a message.
    /// </summary>
    public static bool AsksForMessage(string text) => ExplicitMessage().IsMatch(text) && !RulesOutMessage(text);

    /// <summary>True when the caller declines the booking being made ("don't book it", "I'll call back later", "hold off").</summary>
    public static bool DeclinesBooking(string text) => Declines().IsMatch(text);

    /// <summary>True when the utterance is phrased as a question (a question mark, or a question word first).</summary>
    public static bool IsQuestion(string text)
    {
        if (text.Contains('?', StringComparison.Ordinal))
        {
            return true;
        }

        // Without a question mark a question word must open a real sentence ("will you be open", not "Will Turner").
        var words = TextNormalizer.Normalize(text).Split(' ');
        return words.Length >= 3 && IntentRules.QuestionStarters.Contains(words[0]);
    }

    /// <summary>True when the utterance asks for a booking in so many words ("book", "schedule", "set me up", "fit me in").</summary>
    public static bool AsksToBook(string text) => BookingVerb().IsMatch(text);

    /// <summary>True for "book it", "please schedule that", "reserve it for me": the caller tells the agent to book what is on the table.</summary>
    public static bool SaysBookIt(string text) => BookIt().IsMatch(text);

    [GeneratedRegex(@"\b(?:book|schedule|reserve)\s+(?:it|that|this|me in|us in|me for that|that one|this one)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BookIt();

    /// <summary>True when the caller points back at a day already mentioned ("that day", "the same day", "that date").</summary>
    public static bool RefersToThatDay(string text) => ThatDay().IsMatch(text);

    [GeneratedRegex(@"\b(?:that|the same|same) (?:day|date)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ThatDay();

    /// <summary>True when the words point at an appointment already made ("cancel my appointment", "the booking I have").</summary>
    public static bool MentionsExistingBooking(string text) => ExistingBooking().IsMatch(text);

    [GeneratedRegex(@"\b(?:my|our|the)\s+(?:\w+\s+)?(?:appointment|appt|booking|reservation|visit|session)\b|\bi (?:already )?(?:have|had|booked|made)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExistingBooking();

    /// <summary>True when the caller asks what is free ("what do you have available?", "any openings?", "what times work?").</summary>
    public static bool AsksAvailability(string text) => Availability().IsMatch(text);

    /// <summary>True when the caller changes their mind in so many words ("actually", "instead", "rather", "never mind").</summary>
    public static bool ChangesMind(string text) => ChangeOfMind().IsMatch(text);

    [GeneratedRegex(@"\b(?:available|availability|openings?|free|slots?|what times?|which times?|when can|earliest|have anything|any time|anytime)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Availability();

    [GeneratedRegex(@"\b(?:actually|instead|rather|never ?mind|changed my mind|scratch that|on second thought)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChangeOfMind();

    [GeneratedRegex(@"\b(?:good\s?bye|bye|byee+|take care|have an? (?:good|great|nice|lovely|wonderful) (?:one|day|evening|night|afternoon|weekend)|talk (?:to you )?(?:later|soon)|gotta go|got to go|have to go|need to go|hang(?:ing)? up|see (?:you|ya)|catch (?:you|ya)|good ?night|cya|later then)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Farewell();

    [GeneratedRegex(@"\b(?:no|not a|not|without a|don'?t need (?:a|to leave a)|do not need (?:a|to leave a)|no need (?:for a|to leave a|for)|don'?t want to leave a|nothing to pass on|not leaving a)\s*(?:message|msg|voicemail|note)s?\b|\bno message\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NoMessage();

    [GeneratedRegex(@"\b(?:leave (?:a|her|him|them|the \w+ a) (?:message|msg|note)|take a (?:message|msg)|leave a voicemail for|(?:have|get|ask) (?:someone|somebody|her|him|them|the \w+) (?:to )?(?:call|phone|ring) me(?: back)?|(?:call|phone|ring) me back|get back to me|callback|call-back)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitMessage();

    [GeneratedRegex(@"\b(?:don'?t|do not|not|won'?t|no need to|rather not) (?:book|schedule|reserve|make)\b|\b(?:don'?t|do not) want to (?:book|schedule|make)\b|\b(?:i'?ll|i will|let me) (?:call back|think about it|check (?:my|with)|get back to you)\b|\bhold off\b|\bnot right now\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Declines();

    [GeneratedRegex(@"\b(?:book|booking|schedule|reserve|make an? (?:appointment|booking|reservation)|set (?:me )?up|fit me in|get me in|squeeze me in|sign me up|(?:i'?d like|i would like|i want|i need|can i (?:get|have)|could i (?:get|have)) an? (?:appointment|appt|booking|reservation|visit|session))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BookingVerb();
}
