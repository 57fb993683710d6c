namespace Portal.Domain.Conversations.Understanding;

public static partial class NameExtractor
{
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

        var clauses = SplitClauses(text);
        if (clauses.Count != 1)
        {
            return null;
        }

        var words = StartAfterFillers(clauses[0]);
        if (words.Count is 0 or > 2 || words.Any(w => !w.IsCapitalized)
            || words.Count == 1 && NameLexicon.PlaceNames.Contains(words[0].Lower))
        {
            return null; // nothing asked for a name, so a word that is also a place ("Austin", "Brooklyn") is the place
        }

        return FromBareAnswer([words], HasUpperAfterFirst(text));
    }
}
