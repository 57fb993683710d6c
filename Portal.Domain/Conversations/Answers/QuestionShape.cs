using System.Text.RegularExpressions;
using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Answers;

/// <summary>
/// What kind of answer a caller's question wants, read from its wording alone: a yes or no ("do you do balayage?",
/// "any parking?", "you guys take Amex?"), a price ("how much", "ballpark", "roughly what would it run me"), or the
/// state of the caller's own booking ("so am I booked?"), which the business's documents never answer.
/// </summary>
/// <param name="IsYesNo">True when the question expects yes or no first.</param>
/// <param name="AsksPrice">True when the question asks what something costs.</param>
/// <param name="AsksBookingStatus">True when the caller asks whether they are booked: not a knowledge question.</param>
public sealed partial record QuestionShape(bool IsYesNo, bool AsksPrice, bool AsksBookingStatus)
{
    /// <summary>True for a yes/no question asking whether the business offers something ("do you do balayage?", "can I get a trim?", "is there a kids' menu?").</summary>
    public bool AsksWhetherOffered { get; init; }

    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "so", "um", "uh", "er", "hi", "hey", "hello", "and", "also", "ok", "okay", "oh", "well", "just", "quick", "question", "one", "more",
        "thing", "sorry", "yeah", "yes", "right", "alright", "great", "thanks", "thank", "but", "then", "actually", "hmm", "listen",
    };

    private static readonly HashSet<string> Auxiliaries = new(StringComparer.Ordinal)
    {
        "do", "does", "did", "is", "are", "was", "were", "can", "could", "will", "would", "should", "have", "has", "had", "may", "might",
        "am", "any", "cannot", "got", "anybody", "anyone", "anything", "must", "shall",
    };

    private static readonly HashSet<string> Subjects = new(StringComparer.Ordinal)
    {
        "you", "u", "ya", "yall", "your", "ur", "there", "it", "that", "this", "they", "we", "i", "the", "parking", "kids", "children",
    };

    private static readonly HashSet<string> WhWords = new(StringComparer.Ordinal)
    {
        "what", "where", "when", "how", "which", "who", "whom", "whose", "why",
    };

    /// <summary>Reads <paramref name="utterance"/>; never throws (an empty utterance is no kind of question).</summary>
    public static QuestionShape Of(string utterance)
    {
        var text = TextNormalizer.Normalize(utterance ?? "");
        // "is balayage something you guys offer?", "balayage, is that a thing you do?", "are you able to do foils?": asked
        // about the business, whatever the word order.
        var offeredAnywhere = OfferedAnywhere().IsMatch(text);
        var yesNo = offeredAnywhere || IsYesNoQuestion(text, utterance ?? "");
        return new QuestionShape(yesNo, IsPriceQuestion(text), BookingStatus().IsMatch(text)) { AsksWhetherOffered = offeredAnywhere || yesNo && Offered().IsMatch(text) };
    }

    private static bool IsYesNoQuestion(string text, string raw)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        // "I was wondering if you…", "do you know if…", "can you tell me whether…": the question after if/whether.
        var embedded = words.FindIndex(w => w is "if" or "whether");
        if (embedded > 0 && words.Take(embedded).Any(w => w is "wondering" or "know" or "tell" or "sure" or "check" or "curious"))
        {
            return true;
        }

        var start = 0;
        while (start < words.Count - 1 && (Fillers.Contains(words[start]) || (words[start] == "you" && start > 0 && words[start - 1] == "thank")))
        {
            start++;
        }

        if (start >= words.Count || WhWords.Contains(words[start]) || Alternatives().IsMatch(text))
        {
            return false;
        }

        if (words.Skip(start).Take(3).Any(WhWords.Contains) || Request().IsMatch(text))
        {
            return false; // "can you tell me what…", "is it what…", "could I get the price"
        }

        if (Auxiliaries.Contains(words[start]))
        {
            return true;
        }

        // A statement asked as a question: "you guys do balayage?", "the consultation is free?" (not "price for a cut?").
        return raw.TrimEnd().EndsWith('?') && words.Count - start <= 10 && Subjects.Contains(words[start]) && words.Count - start >= 3;
    }

    /// <summary>True for the ways people ask a price, direct or not: "how much", "ballpark", "what would it run me", "what's the damage".</summary>
    internal static bool IsPriceQuestion(string normalized)
    {
        if (Price().IsMatch(normalized))
        {
            return true;
        }

        // "roughly", "ballpark", "approximately" ask a price unless the question is about time ("roughly how long").
        return Approximate().IsMatch(normalized) && !TimeWords().IsMatch(normalized);
    }

    [GeneratedRegex(@"\b(?:how much|price|prices|pricing|priced|cost|costs|costing|charge|charges|fee|fees|rate|rates|quote|estimate|dollars|bucks|expensive|pricey|cheap|cheaper|afford|affordable|budget|the damage|run me|run you|set me back|set you back|what do i owe|pay for|going rate|how pricey)\b")]
    private static partial Regex Price();

    [GeneratedRegex(@"\b(?:ballpark|ball park|roughly|approximately|approx|about how much|rough idea|rough number|ball figure|around how much)\b")]
    private static partial Regex Approximate();

    [GeneratedRegex(@"\b(?:how long|long does|long will|time|minutes|hours|hour|when|wait)\b")]
    private static partial Regex TimeWords();

    // "do you do…", "do you guys offer…", "can I get…", "is there…", "you do…?", "any…?"
    [GeneratedRegex(@"^(?:(?:so|um|uh|hi|hey|hello|and|also|ok|okay|oh|well|just|quick question)\s+)*(?:(?:do|does|can|could|would|will) (?:you|u|ya|yall|y all|your (?:shop|office|salon|clinic|practice|team))(?: guys| all| folks)?(?: still| also| even)? (?:do|offer|provide|have|carry|perform|handle|take care of|work on|fix|repair|service|sell|see|treat|take|accept|book)\b|(?:can|could|may) i (?:get|book|have|come in for|schedule)\b|(?:is|are) there\b|(?:you|u|ya|yall)(?: guys| all)? (?:do|offer|have|provide|sell|work on|fix|take)\b|any\b)")]
    private static partial Regex Offered();

    // "something you guys do", "a thing you offer", "are you able to do", "any chance you do": whether the business offers it.
    [GeneratedRegex(@"\b(?:something|a thing|things|one of the things|anything) (?:that )?(?:you|u|ya|yall)(?: guys| all| folks)? (?:do|offer|provide|have|carry|can do|could do|handle|sell|work on|fix|take)\b|\b(?:are|is) (?:you|u|ya|yall|your (?:shop|office|salon|clinic|practice|team))(?: guys| all| folks)? (?:able|set up|equipped|licensed|certified|trained|allowed) to (?:do|offer|provide|work on|fix|take|see|treat|handle|accept)\b|\b(?:any chance|by any chance|is it possible) (?:that )?(?:you|u|ya|yall)(?: guys| all| folks)? (?:do|offer|provide|have|carry|handle|sell|work on|fix|take|accept|see|treat)\b")]
    private static partial Regex OfferedAnywhere();

    // "is it cash or card", "should I come Monday or Tuesday": a choice, not a yes or no.
    [GeneratedRegex(@"\b(?:is it|is that|are they|should i|do i|would it be|do you want|would you prefer)\b.* or (?!not\b|anything\b|something\b|other)")]
    private static partial Regex Alternatives();

    [GeneratedRegex(@"^(?:\w+ )*?(?:can|could|would|will) (?:you|u) (?:please )?(?:tell|give|send|let|explain|describe|list|walk)\b|^(?:\w+ )*?(?:can|could|may) i (?:please )?(?:get|have|ask|know)\b(?! (?:a|an) (?:appointment|booking))")]
    private static partial Regex Request();

    // "am I booked", "is my appointment confirmed", "did that go through", "are we all set", "do I have an appointment",
    // "when is my appointment".
    [GeneratedRegex(@"\b(?:(?:am i|are we|was i|have i been|has my (?:appointment|booking))(?: \w+){0,3} (?:booked|confirmed|scheduled|reserved|set|in|done|on the books|locked in|good to go|sorted)|is (?:my|the|our) (?:appointment|booking|spot|reservation)(?: \w+){0,3} (?:booked|confirmed|set|done|scheduled|reserved|locked in|still on)|(?:that is|thats|that s) me (?:all )?(?:booked|sorted|set|in|confirmed|done)|(?:have|did|has) (?:you|someone|anyone) (?:booked|book|put|got|get|pencilled|penciled) me (?:in|down)|is (?:it|that|everything|this) (?:all )?(?:me )?(?:booked|confirmed|set|done|scheduled|reserved|locked in|sorted)|did (?:i|you|it|that|the booking|my booking|the appointment|my appointment)(?: \w+){0,3} (?:go through|went through|book|booked|get booked|confirm|confirmed|work|save|saved|get me in)|do i (?:still )?have (?:an|a|my) (?:appointment|booking|reservation|spot)|(?:when|what day|what time)(?: is| s|s)? my (?:next )?(?:appointment|booking|reservation|visit))\b")]
    private static partial Regex BookingStatus();
}
