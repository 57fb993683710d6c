using System.Text.RegularExpressions;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>A provider asked for and where it was said.</summary>
/// <param name="Name">"Dr. Patel", "Jessica".</param>
/// <param name="Index">Start of the mention in the utterance.</param>
/// <param name="Length">Length of the mention.</param>
public sealed record ProviderMention(string Name, int Index, int Length);

/// <summary>
/// Finds the staff member a caller asks for ("I'd rather see Dr. Patel", "can Jessica do it instead?", "with Maria
/// please"), so a change of provider changes who, not whether. A titled name ("Dr. Patel", "doctor chen") is found in any
/// casing; an untitled one only when capitalized after a request word (see, with, prefer, have, want, like, can...).
/// A name ruled out in the same breath ("not with Sam, I'd prefer Maria") is skipped; the last one asked for wins.
/// </summary>
public static partial class ProviderExtractor
{
    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "visit", "office", "appointment", "checkup", "exam", "note", "said", "says", "told", "recommended", "wants", "asked",
        "available", "free", "referral", "visit", "appt", "needs", "visits", "is", "was", "will", "can", "could", "would",
    };

    private static readonly string[] Negations = ["not", "no", "don't", "dont", "never", "without", "instead of", "rather than", "other than"];

    /// <summary>The provider asked for ("Dr. Patel", "Jessica"), or null when the utterance names none.</summary>
    public static string? TryExtract(string text) => Find(text)?.Name;

    /// <summary>The provider asked for and where the mention sits in <paramref name="text"/>, or null.</summary>
    public static ProviderMention? Find(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var mixedCase = text.Any(char.IsLower) && text.Skip(1).Any(char.IsUpper);
        ProviderMention? best = null;
        foreach (Match m in Titled().Matches(text))
        {
            var first = m.Groups["first"].Value;
            var last = m.Groups["last"];
            if (!IsNameWord(first) || Negated(text, m.Index) || IsQuestionSubject(text, m.Index))
            {
                continue;
            }

            var name = $"Dr. {Title(first)}";
            var length = m.Groups["first"].Index + first.Length - m.Index;
            if (last.Success && IsNameWord(last.Value) && char.IsUpper(last.Value[0]))
            {
                name += $" {Title(last.Value)}";
                length = m.Length;
            }

            best = new ProviderMention(name, m.Index, length);
        }

        if (!mixedCase)
        {
            return best;
        }

        foreach (var regex in new[] { AfterRequestWord(), BeforeInstead(), DoingTheWork() })
        {
            foreach (Match m in regex.Matches(text))
            {
                var name = m.Groups["name"];
                if (!IsNameWord(name.Value) || Negated(text, m.Index) || IsTitleAt(text, name.Index) || best is { } b && name.Index <= b.Index)
                {
                    continue;
                }

                best = new ProviderMention(name.Value, name.Index, name.Length);
            }
        }

        return best;
    }

    /// <summary>"Is Dr. Klein trained in CBT?", "Does Dr. Lee do house calls?": the provider is asked about, not asked for.</summary>
    private static bool IsQuestionSubject(string text, int index)
    {
        var before = text[..index];
        var clause = before[(before.LastIndexOfAny(['.', '!', '?', ';', ',']) + 1)..].Trim().ToLowerInvariant();
        return clause is "is" or "does" or "has" or "was" or "did" or "are" or "do" or "and is" or "and does" || clause.EndsWith(" is", StringComparison.Ordinal) && clause.Split(' ').Length <= 3;
    }

    private static bool IsNameWord(string word)
    {
        var lower = word.ToLowerInvariant();
        return lower.Length >= 2 && !NotNames.Contains(lower) && !NameLexicon.NeverNames.Contains(lower) && !NameLexicon.CommonWords.Contains(lower)
            && !NameLexicon.Titles.Contains(lower) && !NameLexicon.Places.Contains(lower) && TemporalParser.Parse(lower, DateTime.UnixEpoch) is null;
    }

    /// <summary>True when a negation ends the few words before <paramref name="index"/> ("not with Sam", "no, don't book Sam").</summary>
    private static bool Negated(string text, int index)
    {
        var start = Math.Max(0, index - 14);
        var before = $" {text[start..index].ToLowerInvariant()}";
        var clause = before[(before.LastIndexOfAny([',', '.', ';', '!', '?', '-', '\u2014']) + 1)..];
        return Negations.Any(n => clause.Contains($" {n} ", StringComparison.Ordinal) || clause.EndsWith($" {n}", StringComparison.Ordinal));
    }

    private static bool IsTitleAt(string text, int index) => Titled().Match(text, Math.Max(0, index - 8)) is { Success: true } m && m.Index < index && m.Groups["first"].Index == index;

    private static string Title(string word) => char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant();

    [GeneratedRegex(@"\b(?:dr|doctor)\.?\s+(?<first>[\p{L}][\p{L}'\-]+)(?:\s+(?<last>[\p{L}][\p{L}'\-]+))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Titled();

    [GeneratedRegex(@"\b(?:see|with|prefer|rather|want|have|like|request|requesting|ask for|asking for|keep|can|could|get|book)\s+(?<name>\p{Lu}[\p{Ll}'\-]+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex AfterRequestWord();

    [GeneratedRegex(@"\b(?<name>\p{Lu}[\p{Ll}'\-]+)\s+instead\b", RegexOptions.CultureInvariant)]
    private static partial Regex BeforeInstead();

    [GeneratedRegex(@"\b(?<name>\p{Lu}[\p{Ll}'\-]+)\s+(?:to\s+)?(?:do|work on|look at|cut|colou?r|take care of|handle)\s+(?:it|me|my|that|this|the)\b", RegexOptions.CultureInvariant)]
    private static partial Regex DoingTheWork();
}
