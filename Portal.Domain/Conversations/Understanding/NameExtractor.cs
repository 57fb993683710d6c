namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Finds the caller's own name in an utterance ("my name is Jane Doe", "this is Jane", "Jane Doe here") so the
/// booking can be made in their name. Conservative on purpose: when in doubt it returns null and the agent asks again.
/// </summary>
public static class NameExtractor
{
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

        var mixedCase = NameTokenizer.HasUpperAfterFirst(text);
        if (NameFrames.FromPatterns(text, mixedCase) is { } patterned)
        {
            return patterned;
        }

        var clauses = NameTokenizer.SplitClauses(text);
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

    /// <summary>
    /// A name the caller volunteers on its own while the agent asked something else ("Angela", "Alexis.", "Mark Lee"):
    /// the whole utterance is one or two capitalized name words (fillers aside). Stricter than a bare answer to
    /// "what's your name?" because nothing announced a name.
    /// </summary>
    public static string? TryExtractVolunteered(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var clauses = NameTokenizer.SplitClauses(text);
        if (clauses.Count != 1)
        {
            return null;
        }

        var words = NameTokenizer.StartAfterFillers(clauses[0]);
        if (words.Count is 0 or > 2 || words.Any(w => !w.IsCapitalized)
            || words.Count == 1 && NameLexicon.PlaceNames.Contains(words[0].Lower))
        {
            return null; // nothing asked for a name, so a word that is also a place ("Austin", "Brooklyn") is the place
        }

        return FromBareAnswer([words], NameTokenizer.HasUpperAfterFirst(text));
    }

    private static string? FromTriggers(List<NameWord> words, bool mixedCase, bool expectingName)
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
                name = NameCollector.Collect(words, k + 2, strong: true, surnameCase, NameCollector.AmbiguousAllowed(words, k + 2, mixedCase, expectingName));
            }
            else if (w == "is" && next == "my" && k + 2 < words.Count && words[k + 2].Lower == "name")
            {
                name = NameCollector.CollectBackward(words, k - 1, surnameCase);
            }
            else if (w == "i" && next == "am" || w == "call" && next == "me" && (k == 0 || words[k - 1].Lower is "can" or "just" or "please"))
            {
                name = NameCollector.Collect(words, k + 2, strong: false, surnameCase, NameCollector.AmbiguousAllowed(words, k + 2, mixedCase, expectingName));
                if (name is not null && w == "i" && NameFrames.IsPredicate(words, k + 2 + name.Split(' ').Length))
                {
                    name = null; // "I'm after a haircut", "I'm keen on booking", "I'm due for a cleaning": an adjective, not a name
                }
            }
            else if (w is "this" or "it" && next == "is" && NameCollector.OnlyFillersBefore(words, k))
            {
                name = NameCollector.Collect(words, k + 2, strong: false, surnameCase, NameCollector.AmbiguousAllowed(words, k + 2, mixedCase, expectingName));
            }
            else if (w is "here" or "speaking" && k is >= 1 and <= NameCollector.MaxWords && NameCollector.OnlyNameWordsBefore(words, k)
                && k + 1 == words.Count)
            {
                name = NameCollector.Collect(NameTokenizer.StartAfterFillers(words), 0, strong: false, surnameCase);
            }

            if (name is not null)
            {
                return name;
            }
        }

        return null;
    }

    private static string? FromBareAnswer(List<List<NameWord>> clauses, bool mixedCase)
    {
        foreach (var clause in clauses)
        {
            var words = NameTokenizer.StartAfterFillers(clause);
            if (words.Count == 0 || NameFrames.IsAcknowledgment(words))
            {
                continue; // "all good, Henry Walsh", "yes that's right, Oscar Lind": the name follows
            }

            var end = words.Count;
            while (end > 0 && NameLexicon.TrailingFillers.Contains(words[end - 1].Lower))
            {
                end--;
            }

            if (end is 0 or > NameCollector.MaxWords)
            {
                return null;
            }

            if (end == 1 && NameLexicon.Places.Contains(words[0].Lower))
            {
                return null; // "Portland", "Chicago": a one-word place answer is not a name
            }

            // "Will", alone and capitalized; or "Hope Lang", "Will Turner": a name-word first name before a capitalized surname.
            var ambiguousFirst = mixedCase && NameCollector.IsAmbiguousName(words[0]) && (end == 1 || end == 2 && words[1].IsCapitalized);
            for (var i = 0; i < end; i++)
            {
                if (!NameCollector.IsNameWord(words[i], strong: false, first: i == 0, mixedCase: false) && !(i == 0 && ambiguousFirst))
                {
                    return null;
                }
            }

            return NameCollector.Collect(words.GetRange(0, end), 0, strong: false, mixedCase: false, ambiguousFirst);
        }

        return null;
    }
}
