using System.Text.RegularExpressions;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// The phrasings around a name that are not a trigger word: frames ("first name Nadia, last name Petrova", "put it under
/// Grace Kim"), acknowledgments that hold no name ("all good"), and predicates that make "I'm X" not a name ("I'm after a").
/// </summary>
internal static partial class NameFrames
{
    /// <summary>Words after "I'm &lt;word&gt;" that show the word is a predicate ("after a", "keen on", "due for"), not a name.</summary>
    private static readonly HashSet<string> PredicateFollowers = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "on", "for", "to", "of", "about", "after", "that", "into", "at", "as", "if", "because", "than",
        "by", "up", "out", "off", "over", "in", "some", "something", "anything", "any", "this", "those", "these", "getting",
    };

    /// <summary>
    /// Names said with a frame rather than a trigger: "first name Nadia, last name Petrova", "put it under Grace Kim",
    /// "under the name Rafael Soto". Null when no frame matches.
    /// </summary>
    internal static string? FromPatterns(string text, bool mixedCase)
    {
        var split = FirstLastName().Match(text);
        if (split.Success)
        {
            var first = NameCollector.Collect(NameTokenizer.SplitClauses(split.Groups["first"].Value).SelectMany(c => c).ToList(), 0, strong: true, mixedCase: false);
            var last = NameCollector.Collect(NameTokenizer.SplitClauses(split.Groups["last"].Value).SelectMany(c => c).ToList(), 0, strong: true, mixedCase: false);
            if (first is not null && last is not null)
            {
                return $"{first} {last}";
            }
        }

        var under = UnderName().Match(text);
        if (under.Success)
        {
            var words = NameTokenizer.SplitClauses(under.Groups["name"].Value).FirstOrDefault();
            return words is null ? null : NameCollector.Collect(words, 0, strong: false, mixedCase);
        }

        return null;
    }

    /// <summary>
    /// A clause that cannot hold a name ("all good", "that's right", "sounds good", "yes please"): every word is a function
    /// word, a yes/no or an ordinary word, so a bare answer looks at the next clause ("all good, Henry Walsh").
    /// </summary>
    internal static bool IsAcknowledgment(List<NameWord> words) =>
        words.Count <= 4 && !words.Any(NameCollector.IsAmbiguousName) && words.All(w => NameLexicon.NeverNames.Contains(w.Lower) || NameLexicon.CommonWords.Contains(w.Lower)
            || NameLexicon.LeadingFillers.Contains(w.Lower) || w.Lower is "that's" or "thats" or "sounds" or "works");

    /// <summary>True when the word at <paramref name="index"/> turns "I'm X" into "I'm &lt;adjective&gt; &lt;preposition&gt;".</summary>
    internal static bool IsPredicate(List<NameWord> words, int index) =>
        index < words.Count && PredicateFollowers.Contains(words[index].Lower);

    [GeneratedRegex(@"\bfirst name(?:\s+is|'s)?[\s:,]+(?<first>[\p{L}'\-]+)[\s,.;]+(?:and\s+)?(?:my\s+|the\s+)?(?:last name|surname|family name)(?:\s+is|'s)?[\s:,]+(?<last>[\p{L}'\-]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FirstLastName();

    [GeneratedRegex(@"\b(?:put|book|have|make|file|reserve|list|save)\s+(?:it|that|this|me|the\s+\w+)\s+(?:down\s+)?under\s+(?:the\s+name\s+(?:of\s+)?|my\s+name,?\s+)?(?<name>[\p{L}'\-]+(?:\s+[\p{L}'\-]+){0,2})|\bunder the name(?:\s+of)?\s+(?<name>[\p{L}'\-]+(?:\s+[\p{L}'\-]+){0,2})|\b(?:it'?s|it is|that'?s|that is|the (?:booking|appointment|reservation)(?:'s| is)|put)\s+(?:down\s+)?under\s+(?<name>[\p{L}'\-]+(?:\s+[\p{L}'\-]+){0,2})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UnderName();
}
