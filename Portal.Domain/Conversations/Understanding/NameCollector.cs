using System.Text;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Decides which words can be part of a caller's name and gathers them, forward from a trigger ("my name is ...") or
/// backward ("... is my name"), into a Title Case name of at most <see cref="MaxWords"/> words.
/// </summary>
internal static class NameCollector
{
    /// <summary>Most words in a name.</summary>
    internal const int MaxWords = 4;

    internal static string? Collect(List<NameWord> words, int start, bool strong, bool mixedCase, bool ambiguousFirst = false)
    {
        while (start < words.Count && (words[start].Lower is "um" or "uh" or "er" or "umm" or "just"
            || NameLexicon.Titles.Contains(words[start].Lower) && start + 1 < words.Count))
        {
            start++;
        }

        if (start >= words.Count || !IsNameWord(words[start], strong, first: true, mixedCase)
            && !(ambiguousFirst && IsAmbiguousName(words[start])))
        {
            return null;
        }

        var parts = new List<string>(MaxWords) { words[start].Lower };
        for (var i = start + 1; i < words.Count && parts.Count < MaxWords; i++)
        {
            var word = words[i];
            if (NameLexicon.Particles.Contains(word.Lower) && i + 1 < words.Count
                && IsNameWord(words[i + 1], strong: false, first: false, mixedCase: false))
            {
                parts.Add(word.Lower);
                continue;
            }

            if (!IsNameWord(word, strong: false, first: false, mixedCase))
            {
                break;
            }

            parts.Add(word.Lower);
        }

        while (parts.Count > 0 && NameLexicon.Particles.Contains(parts[^1]))
        {
            parts.RemoveAt(parts.Count - 1);
        }

        return parts.Count == 0 ? null : TitleCase(parts);
    }

    internal static string? CollectBackward(List<NameWord> words, int end, bool mixedCase)
    {
        var start = end;
        while (start >= 0 && end - start < MaxWords && IsNameWord(words[start], strong: false, first: false, mixedCase: false))
        {
            start--;
        }

        start++;
        if (start > end || !IsNameWord(words[start], strong: false, first: true, mixedCase))
        {
            return null;
        }

        return Collect(words.GetRange(start, end - start + 1), 0, strong: false, mixedCase);
    }

    internal static bool IsNameWord(NameWord word, bool strong, bool first, bool mixedCase)
    {
        var lower = word.Lower;
        if (lower.Length < 2 || !word.IsAlphabetic || NameLexicon.NeverNames.Contains(lower)
            || lower.EndsWith("'s", StringComparison.Ordinal) || lower.EndsWith("ish", StringComparison.Ordinal))
        {
            return false;
        }

        if (mixedCase && !first && !word.IsCapitalized)
        {
            return false;
        }

        if (strong)
        {
            return true;
        }

        return !NameLexicon.CommonWords.Contains(lower)
            && (NameLexicon.FirstNamesLikeWords.Contains(lower)
                || !(lower.Length > 4 && (lower.EndsWith("ing", StringComparison.Ordinal) || first && lower.EndsWith("ly", StringComparison.Ordinal))));
    }

    /// <summary>
    /// True when the word at <paramref name="index"/> may be a name that is also an ordinary word ("I'm Will"): capitalized
    /// in mixed-case text, and the agent asked for the name or the word ends its sentence.
    /// </summary>
    internal static bool AmbiguousAllowed(List<NameWord> words, int index, bool mixedCase, bool expectingName) =>
        index < words.Count && mixedCase && IsAmbiguousName(words[index]) && (expectingName || index == words.Count - 1);

    internal static bool IsAmbiguousName(NameWord word) => word.IsCapitalized && NameLexicon.AmbiguousNames.Contains(word.Lower);

    internal static bool OnlyFillersBefore(List<NameWord> words, int k)
    {
        for (var i = 0; i < k; i++)
        {
            if (!NameLexicon.LeadingFillers.Contains(words[i].Lower))
            {
                return false;
            }
        }

        return true;
    }

    internal static bool OnlyNameWordsBefore(List<NameWord> words, int k)
    {
        var trimmed = NameTokenizer.StartAfterFillers(words);
        var offset = words.Count - trimmed.Count;
        if (k - offset is < 1 or > MaxWords)
        {
            return false;
        }

        for (var i = offset; i < k; i++)
        {
            if (!IsNameWord(words[i], strong: false, first: i == offset, mixedCase: false))
            {
                return false;
            }
        }

        return true;
    }

    private static string TitleCase(List<string> parts)
    {
        var sb = new StringBuilder(32);
        foreach (var part in parts)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            var capitalizeNext = true;
            foreach (var c in part)
            {
                sb.Append(capitalizeNext ? char.ToUpperInvariant(c) : c);
                capitalizeNext = c is '-' or '\'';
            }
        }

        return sb.ToString();
    }
}
