namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Splits the caller's text into clauses of <see cref="NameWord"/>s for <see cref="NameExtractor"/> ("I'm" → "i am",
/// "it's" → "it is"; a title's dot does not end a clause) and reads what its casing says.
/// </summary>
internal static class NameTokenizer
{
    internal static List<NameWord> StartAfterFillers(List<NameWord> words)
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

    internal static bool HasUpperAfterFirst(string text)
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

    internal static List<List<NameWord>> SplitClauses(string text)
    {
        var clauses = new List<List<NameWord>>(2);
        var current = new List<NameWord>(8);
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
                    current = new List<NameWord>(8);
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

    private static void AddWord(List<NameWord> words, string raw)
    {
        var lower = raw.ToLowerInvariant();
        switch (lower)
        {
            case "i'm" or "im":
                words.Add(new NameWord("i", raw));
                words.Add(new NameWord("am", raw));
                return;
            case "it's" or "its" or "name's" or "this's":
                words.Add(new NameWord(lower[..^(lower.EndsWith("'s", StringComparison.Ordinal) ? 2 : 1)], raw));
                words.Add(new NameWord("is", raw));
                return;
        }

        words.Add(new NameWord(lower, raw));
    }
}
