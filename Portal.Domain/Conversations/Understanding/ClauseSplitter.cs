namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Splits an utterance into its opening clause and the rest for <see cref="IntentClassifier.ClassifyWithClauses"/>:
/// "no thanks, but can you book me in?" → ("no thanks", "but can you book me in?"). A title's dot ("Dr. Lee") is not a
/// sentence end.
/// </summary>
internal static class ClauseSplitter
{
    /// <summary>Longest opening clause (in words) read as a discourse marker before a comma ("no thanks, but ...").</summary>
    private const int MaxMarkerWords = 4;

    /// <summary>
    /// Splits off the opening clause: up to the first sentence end (. ! ? ;), or up to the first comma when the words
    /// before it are few ("Great, ...", "no thanks, ..."). Returns an empty rest when there is no such split.
    /// </summary>
    internal static (string Opening, string Remainder) SplitOpening(string utterance)
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
}
