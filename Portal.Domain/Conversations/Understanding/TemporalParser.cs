namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Finds the date and time a caller asks for ("next Tuesday morning", "the 5th at half past ten", "tomorrow at 3")
/// and resolves it against the business's local "now", so the scheduler can search slots without a language model.
/// Pure and allocation-light: one normalization pass plus a single left-to-right token scan; the first date and the
/// first time mentioned win.
/// </summary>
public static class TemporalParser
{
    /// <summary>
    /// Parses <paramref name="text"/> relative to <paramref name="now"/> (the business's current local date-time).
    /// A bare number ("3", "ten") is not a time here; use the overload with expectingTime when the agent just asked "what time?".
    /// </summary>
    /// <returns>The mention, or null when the text mentions no date, time, part of day or "asap".</returns>
    public static TemporalMention? Parse(string text, DateTime now) => Parse(text, now, expectingTime: false);

    /// <summary>
    /// Parses <paramref name="text"/> relative to <paramref name="now"/>. When <paramref name="expectingTime"/> is true
    /// (the agent just asked for a time), a bare hour such as "3" or "ten" or "3 30" counts as a time.
    /// Past dates roll forward (day of month to next month, month/day to next year); a bare weekday equal to today is today,
    /// "next &lt;weekday&gt;" is the first such weekday strictly after today.
    /// </summary>
    /// <returns>The mention, or null when the text mentions no date, time, part of day or "asap".</returns>
    public static TemporalMention? Parse(string text, DateTime now, bool expectingTime)
    {
        var normalized = TextNormalizer.Normalize(text);
        if (normalized.Length == 0)
        {
            return null;
        }

        var scanner = new TemporalScanner(normalized.Split(' '), now, expectingTime);
        scanner.Run();
        return scanner.Build();
    }

    private static readonly string[] ClauseJoiners = [" but ", " though ", " however "];

    /// <summary>Words after "not" that keep a negated clause a real constraint ("not before 3", "no later than 5").</summary>
    private static readonly HashSet<string> BoundWords = new(StringComparer.Ordinal) { "until", "till", "before", "after", "earlier", "later", "sooner" };

    /// <summary>
    /// Like <see cref="Parse(string, DateTime, bool)"/>, but only what the caller asks for: a clause that rules a date or
    /// time out ("I couldn't do it at 2 am", "if not, check for 11 pm", "not Tuesday") is ignored, so
    /// "10 pm please, if not 11 pm" is 10 pm and "yes, I can't do 2 am" mentions no time. Bounds stay
    /// ("not before 3" is still 3).
    /// </summary>
    /// <returns>The wanted mention, or null when nothing wanted is mentioned.</returns>
    public static TemporalMention? ParseWanted(string text, DateTime now, bool expectingTime)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var clauses = SplitClauses(text);
        var kept = new List<string>(clauses.Count);
        var dropped = false;
        foreach (var clause in clauses)
        {
            if (IsNegated(clause) && Parse(clause, now, expectingTime) is not null)
            {
                dropped = true;
                continue;
            }

            kept.Add(clause);
        }

        return dropped ? Parse(string.Join(". ", kept), now, expectingTime) : Parse(text, now, expectingTime);
    }

    /// <summary>
    /// True when the caller moves to the day after the one being discussed: "the next day", "the following day",
    /// "the day after" (not "the day after tomorrow"), "a day later". The caller's context gives the day it follows.
    /// </summary>
    public static bool MentionsFollowingDay(string text)
    {
        var t = $" {TextNormalizer.Normalize(text)} ";
        return t.Contains(" next day ", StringComparison.Ordinal)
            || t.Contains(" following day ", StringComparison.Ordinal)
            || t.Contains(" a day later ", StringComparison.Ordinal)
            || (t.Contains(" day after ", StringComparison.Ordinal) && !t.Contains(" day after tomorrow ", StringComparison.Ordinal));
    }

    private static List<string> SplitClauses(string text)
    {
        var clauses = new List<string>(4);
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var boundary = i == text.Length
                || text[i] is ',' or ';' or '!' or '?' or '\n' or '(' or ')'
                || (text[i] == '.' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])) && !AfterShortWord(text, i));
            if (!boundary)
            {
                continue;
            }

            AddSplitByJoiners(clauses, text[start..i]);
            start = i + 1;
        }

        return clauses;
    }

    /// <summary>"Dr." and "Mrs." do not end a clause.</summary>
    private static bool AfterShortWord(string text, int dot)
    {
        var k = dot;
        while (k > 0 && char.IsLetter(text[k - 1]))
        {
            k--;
        }

        return text[k..dot].ToLowerInvariant() is "dr" or "mr" or "mrs" or "ms" or "st";
    }

    private static void AddSplitByJoiners(List<string> clauses, string part)
    {
        var rest = $" {part} ";
        foreach (var joiner in ClauseJoiners)
        {
            rest = rest.Replace(joiner, "\u0001", StringComparison.OrdinalIgnoreCase);
        }

        foreach (var piece in rest.Split('\u0001'))
        {
            if (!string.IsNullOrWhiteSpace(piece))
            {
                clauses.Add(piece.Trim());
            }
        }
    }

    private static bool IsNegated(string clause)
    {
        var words = TextNormalizer.Normalize(clause).Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            if (words[i] is "not" or "cannot" or "never" or "unable")
            {
                return !(i + 1 < words.Length && BoundWords.Contains(words[i + 1]));
            }
        }

        return false;
    }
}
