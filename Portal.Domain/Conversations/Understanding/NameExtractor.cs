using System.Text;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Finds the caller's own name in an utterance ("my name is Jane Doe", "this is Jane", "Jane Doe here") so the
/// booking can be made in their name. Conservative on purpose: when in doubt it returns null and the agent asks again.
/// </summary>
public static partial class NameExtractor
{
    private const int MaxWords = 4;

    /// <summary>
    /// Returns the caller's name in Title Case (at most 4 words), or null. With <paramref name="expectingName"/> true
    /// (the agent just asked for the name) a bare answer such as "Jane Doe" or "Sure, John Smith" also counts.
    /// Never returns ordinary words ("I'm looking for", "this is urgent", "it's for a cleaning"), yes/no, dates or digits.
    /// </summary>
    public static string? TryExtract(string text, bool expectingName)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var mixedCase = HasUpperAfterFirst(text);
        if (FromPatterns(text, mixedCase) is { } patterned)
        {
            return patterned;
        }

        var clauses = SplitClauses(text);
        foreach (var clause in clauses)
        {
            var name = FromTriggers(clause, mixedCase, expectingName);
            if (name is not null)
            {
                return name;
            }
        }

        return expectingName ? FromBareAnswer(clauses, mixedCase) : null;
    }

    private static string? FromTriggers(List<Word> words, bool mixedCase, bool expectingName)
    {
        // When the agent asked for the name, a lower-case surname in capitalized text is still part of it ("Jane doe").
        var surnameCase = mixedCase && !expectingName;
        for (var k = 0; k < words.Count; k++)
        {
            var w = words[k].Lower;
            var next = k + 1 < words.Count ? words[k + 1].Lower : string.Empty;
            string? name = null;
            if (w == "name" && next == "is" && (k == 0 || words[k - 1].Lower is "my" or "the" or "first" or "full"))
            {
                name = Collect(words, k + 2, strong: true, surnameCase, AmbiguousAllowed(words, k + 2, mixedCase, expectingName));
            }
            else if (w == "is" && next == "my" && k + 2 < words.Count && words[k + 2].Lower == "name")
            {
                name = CollectBackward(words, k - 1, surnameCase);
            }
            else if (w == "i" && next == "am" || w == "call" && next == "me" && (k == 0 || words[k - 1].Lower is "can" or "just" or "please"))
            {
                name = Collect(words, k + 2, strong: false, surnameCase, AmbiguousAllowed(words, k + 2, mixedCase, expectingName));
                if (name is not null && w == "i" && IsPredicate(words, k + 2 + name.Split(' ').Length))
                {
                    name = null; // "I'm after a haircut", "I'm keen on booking", "I'm due for a cleaning": an adjective, not a name
                }
            }
            else if (w is "this" or "it" && next == "is" && OnlyFillersBefore(words, k))
            {
                name = Collect(words, k + 2, strong: false, surnameCase, AmbiguousAllowed(words, k + 2, mixedCase, expectingName));
            }
            else if (w is "here" or "speaking" && k is >= 1 and <= MaxWords && OnlyNameWordsBefore(words, k)
                && k + 1 == words.Count)
            {
                name = Collect(StartAfterFillers(words), 0, strong: false, surnameCase);
            }

            if (name is not null)
            {
                return name;
            }
        }

        return null;
    }

    private static string? FromBareAnswer(List<List<Word>> clauses, bool mixedCase)
    {
        foreach (var clause in clauses)
        {
            var words = StartAfterFillers(clause);
            if (words.Count == 0 || IsAcknowledgment(words))
            {
                continue; // "all good, Henry Walsh", "yes that's right, Oscar Lind": the name follows
            }

            var end = words.Count;
            while (end > 0 && NameLexicon.TrailingFillers.Contains(words[end - 1].Lower))
            {
                end--;
            }

            if (end is 0 or > MaxWords)
            {
                return null;
            }

            if (end == 1 && NameLexicon.Places.Contains(words[0].Lower))
            {
                return null; // "Portland", "Chicago": a one-word place answer is not a name
            }

            // "Will", alone and capitalized; or "Hope Lang", "Will Turner": a name-word first name before a capitalized surname.
            var ambiguousFirst = mixedCase && IsAmbiguousName(words[0]) && (end == 1 || end == 2 && words[1].IsCapitalized);
            for (var i = 0; i < end; i++)
            {
                if (!IsNameWord(words[i], strong: false, first: i == 0, mixedCase: false) && !(i == 0 && ambiguousFirst))
                {
                    return null;
                }
            }

            return Collect(words.GetRange(0, end), 0, strong: false, mixedCase: false, ambiguousFirst);
        }

        return null;
    }

    private static string? Collect(List<Word> words, int start, bool strong, bool mixedCase, bool ambiguousFirst = false)
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

    private static string? CollectBackward(List<Word> words, int end, bool mixedCase)
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

    private static bool IsNameWord(Word word, bool strong, bool first, bool mixedCase)
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
    private static bool AmbiguousAllowed(List<Word> words, int index, bool mixedCase, bool expectingName) =>
        index < words.Count && mixedCase && IsAmbiguousName(words[index]) && (expectingName || index == words.Count - 1);

    private static bool IsAmbiguousName(Word word) => word.IsCapitalized && NameLexicon.AmbiguousNames.Contains(word.Lower);

    private static bool OnlyFillersBefore(List<Word> words, int k)
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

    private static bool OnlyNameWordsBefore(List<Word> words, int k)
    {
        var trimmed = StartAfterFillers(words);
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

    private static List<Word> StartAfterFillers(List<Word> words)
    {
        var i = 0;
        while (i < words.Count && NameLexicon.LeadingFillers.Contains(words[i].Lower))
        {
            i++;
        }

        if (i + 1 < words.Count && words[i].Lower is "it" or "this" && words[i + 1].Lower == "is")
        {
            i += 2;
        }
        else if (i + 2 < words.Count && words[i].Lower == "my" && words[i + 1].Lower == "name" && words[i + 2].Lower == "is")
        {
            i += 3;
        }

        return i == 0 ? words : words.GetRange(i, words.Count - i);
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

    private static bool HasUpperAfterFirst(string text)
    {
        var seenLower = false;
        var upperCount = 0;
        foreach (var c in text)
        {
            seenLower |= char.IsLower(c);
            if (char.IsUpper(c))
            {
                upperCount++;
            }
        }

        // Text typed in all caps or all lower case says nothing about which words are names.
        return seenLower && upperCount > 0;
    }

    private static List<List<Word>> SplitClauses(string text)
    {
        var clauses = new List<List<Word>>(2);
        var current = new List<Word>(8);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || IsInnerMark(text, i)))
                {
                    i++;
                }

                AddWord(current, text[start..i].Replace('\u2019', '\''));
                continue;
            }

            var afterTitle = c == '.' && current.Count > 0 && NameLexicon.Titles.Contains(current[^1].Lower);
            if (c is '.' or ',' or '!' or '?' or ';' or ':' or '(' or ')' or '"' or '\n' or '/' && !afterTitle)
            {
                if (current.Count > 0)
                {
                    clauses.Add(current);
                    current = new List<Word>(8);
                }
            }

            i++;
        }

        if (current.Count > 0)
        {
            clauses.Add(current);
        }

        return clauses;
    }

    private static bool IsInnerMark(string text, int i) =>
        text[i] is '\'' or '\u2019' or '-' && i + 1 < text.Length && char.IsLetter(text[i + 1]) && i > 0 && char.IsLetter(text[i - 1]);

    private static void AddWord(List<Word> words, string raw)
    {
        var lower = raw.ToLowerInvariant();
        switch (lower)
        {
            case "i'm" or "im":
                words.Add(new Word("i", raw));
                words.Add(new Word("am", raw));
                return;
            case "it's" or "its" or "name's" or "this's":
                words.Add(new Word(lower[..^(lower.EndsWith("'s", StringComparison.Ordinal) ? 2 : 1)], raw));
                words.Add(new Word("is", raw));
                return;
        }

        words.Add(new Word(lower, raw));
    }

    /// <summary>One word of the caller's text: lower-cased form plus what the casing and characters tell us.</summary>
    private readonly record struct Word(string Lower, string Raw)
    {
        public bool IsCapitalized => Raw.Length > 0 && char.IsUpper(Raw[0]);

        public bool IsAlphabetic
        {
            get
            {
                foreach (var c in Lower)
                {
                    if (!char.IsLetter(c) && c is not '\'' and not '-')
                    {
                        return false;
                    }
                }

                return true;
            }
        }
    }
}
