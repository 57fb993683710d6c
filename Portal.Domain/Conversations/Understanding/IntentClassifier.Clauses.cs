namespace Portal.Domain.Conversations.Understanding;

public static partial class IntentClassifier
{
    /// <summary>Longest opening clause (in words) read as a discourse marker before a comma ("no thanks, but ...").</summary>
    private const int MaxMarkerWords = 4;

    /// <summary>
    /// Classifies an utterance clause by clause: when it opens with an acknowledgment ("great", "no thanks", "OK then",
    /// "never mind that") and goes on with a request ("can you set me up with an appointment?"), the request is the intent
    /// and a leading yes or no is kept as <see cref="IntentResult.Secondary"/>. Otherwise the same as <see cref="Classify"/>.
    /// </summary>
    public static IntentResult ClassifyWithClauses(string utterance)
    {
        var whole = Classify(utterance);
        if (string.IsNullOrWhiteSpace(utterance) || whole.Intent is Intent.Book or Intent.Reschedule or Intent.Message or Intent.Human
            && whole.Secondary is Intent.None or Intent.Affirm or Intent.Deny)
        {
            return whole;
        }

        var (opening, rest) = SplitOpening(utterance);
        if (rest.Length == 0)
        {
            return whole;
        }

        var marker = Classify(opening);
        var isMarker = marker.Intent is Intent.Affirm or Intent.Deny or Intent.Thanks or Intent.Greeting or Intent.None
            || marker.Intent == Intent.Cancel && marker.Confidence < 0.9; // "never mind that", "forget it"
        var request = Classify(rest);
        if (!isMarker || request.Intent is not (Intent.Book or Intent.Reschedule or Intent.Message or Intent.Human or Intent.Hours
            or Intent.Location or Intent.Services or Intent.Question) || request.Confidence < 0.55)
        {
            return whole;
        }

        var secondary = marker.Intent is Intent.Affirm or Intent.Deny ? marker.Intent : request.Secondary;
        return new IntentResult(request.Intent, request.Confidence, secondary);
    }

    /// <summary>
    /// Splits off the opening clause: up to the first sentence end (. ! ? ;), or up to the first comma when the words
    /// before it are few ("Great, ...", "no thanks, ..."). Returns an empty rest when there is no such split.
    /// </summary>
    private static (string Opening, string Remainder) SplitOpening(string utterance)
    {
        var text = utterance.Trim();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var sentenceEnd = c is '!' or '?' or ';' || c == '.' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])) && !EndsWithTitle(text, i);
            var shortComma = (c == ',' || c == '-' && i > 0 && text[i - 1] == ' ') && text[..i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= MaxMarkerWords;
            if (sentenceEnd || shortComma)
            {
                return (text[..i], text[(i + 1)..].Trim());
            }
        }

        return (text, "");
    }

    private static bool EndsWithTitle(string text, int dot)
    {
        var k = dot;
        while (k > 0 && char.IsLetter(text[k - 1]))
        {
            k--;
        }

        return text[k..dot].ToLowerInvariant() is "dr" or "mr" or "mrs" or "ms" or "st";
    }

    /// <summary>
    /// True for a question about getting ready for a visit: what to do, bring, know or expect first ("is there anything I
    /// should do before my colour appointment?", "what do I need to bring?", "how should I prepare for a cleaning?").
    /// </summary>
    private static bool IsPreparationQuestion(string[] tokens) => Preparation().IsMatch(string.Join(' ', tokens));

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:do|will|would) (?:i|we) (?:have|need|got) to (?:do|bring|know|prepare|fill|wear|avoid|eat|stop|wash|arrive)\b|\b(?:should|must) (?:i|we) (?:do|bring|know|prepare|fill|wear|avoid|eat|stop|wash|arrive|expect)\b|\b(?:anything|something|stuff) (?:i|we) (?:should|need to|have to|must|ought to|got to) (?:do|bring|know|prepare|fill|wear|avoid)\b|\bis there anything (?:i|we) (?:should|need to|have to|must|ought to|got to)\b|\bwhat (?:do|should|must) (?:i|we) (?:do|bring|know|prepare|expect|wear)\b|\bhow (?:do|should|can) (?:i|we) (?:prepare|get ready|prep)\b|\bwhat to (?:bring|expect|wear)\b|\bneed to do (?:anything|something) (?:first|before|beforehand|ahead)\b|\b(?:any|some|what) (?:prep|preparation|prepping|aftercare|prerequisites?)\b|\bprep (?:i|we) (?:need|have|should|must)\b")]
    private static partial System.Text.RegularExpressions.Regex Preparation();
}
