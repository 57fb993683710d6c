using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Offline;

/// <summary>Which of the offered slots a caller picks: by time, by day, by ordinal ("the first one", "the later one"), or a yes to a single offer.</summary>
internal static class SlotChoice
{
    /// <summary>Maps "the first one", "the later one", "2 PM", "yes" (one offer) to an offered slot.</summary>
    public static DateTime? PickOffered(DialogueState state, Understood u)
    {
        var offered = state.Offered;
        if (offered.Count == 0)
        {
            return null;
        }

        var text = TextNormalizer.Normalize(u.Raw);
        if (u.Temporal is { Time: { } time } t)
        {
            var match = offered.Where(o => TimeOnly.FromDateTime(o) == time && (t.Date is null || DateOnly.FromDateTime(o) == t.Date)).ToList();
            if (match.Count > 0)
            {
                return match[0];
            }

            if (t.AmPmInferred)
            {
                var flipped = time.AddHours(12);
                match = offered.Where(o => TimeOnly.FromDateTime(o) == flipped && (t.Date is null || DateOnly.FromDateTime(o) == t.Date)).ToList();
                if (match.Count > 0)
                {
                    return match[0];
                }
            }

            if (!Ordinals.Any(o => ContainsWord(text, o)))
            {
                return null; // another time than the ones offered
            }

            // "the first one": the parser read "one" as 1 o'clock; the ordinal decides below.
        }

        if (u.Temporal is { Date: { } d, Time: null } && offered.Count(o => DateOnly.FromDateTime(o) == d) == 1)
        {
            return offered.First(o => DateOnly.FromDateTime(o) == d);
        }

        if (ContainsWord(text, "first") || ContainsWord(text, "earliest") || ContainsWord(text, "earlier") || ContainsWord(text, "1st"))
        {
            return offered[0];
        }

        if (ContainsWord(text, "second") || ContainsWord(text, "middle") || ContainsWord(text, "2nd"))
        {
            return offered.Count > 1 ? offered[1] : null;
        }

        if (ContainsWord(text, "third") || ContainsWord(text, "3rd"))
        {
            return offered.Count > 2 ? offered[2] : null;
        }

        if (ContainsWord(text, "last") || ContainsWord(text, "latest") || ContainsWord(text, "later"))
        {
            return offered[^1];
        }

        if (offered.Count == 1 && u.Temporal?.Time is null && (u.Is(Intent.Affirm) || ContainsWord(text, "that") || ContainsWord(text, "works") || ContainsWord(text, "fine")) && !u.Is(Intent.Deny))
        {
            return offered[0];
        }

        return null;
    }

    private static readonly string[] Ordinals = ["first", "earliest", "earlier", "1st", "second", "middle", "2nd", "third", "3rd", "last", "latest", "later"];

    /// <summary>True when <paramref name="word"/> occurs in <paramref name="normalized"/> as a whole word.</summary>
    public static bool ContainsWord(string normalized, string word)
    {
        var i = normalized.IndexOf(word, StringComparison.Ordinal);
        while (i >= 0)
        {
            var before = i == 0 || !char.IsLetterOrDigit(normalized[i - 1]);
            var end = i + word.Length;
            var after = end == normalized.Length || !char.IsLetterOrDigit(normalized[end]);
            if (before && after)
            {
                return true;
            }

            i = normalized.IndexOf(word, i + 1, StringComparison.Ordinal);
        }

        return false;
    }
}
