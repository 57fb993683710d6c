namespace Portal.Domain.Conversations;

/// <summary>
/// Words whose period does not end a sentence ("Dr. Lee", "Elm St. entrance", "e.g. a crown"): used where replies are cut
/// into sentences, for speech (the voice pipeline's sentence splitter) and for the reply-length cap of the model path.
/// </summary>
public static class Abbreviations
{
    private static readonly HashSet<string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        "dr", "mr", "mrs", "ms", "st", "jr", "sr", "prof", "mt", "ave", "blvd", "rd", "ste", "vs", "etc", "e.g", "i.e", "approx", "appt", "dept",
    };

    /// <summary>
    /// True when a period right after <paramref name="word"/> (the characters before it back to white space, without the
    /// period) is an abbreviation's and not a sentence end: a known abbreviation or a single capital letter (an initial).
    /// </summary>
    public static bool IsAbbreviation(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        word = word.TrimStart('(', '"', '\'');
        return Words.Contains(word) || (word.Length == 1 && char.IsUpper(word[0]));
    }
}
