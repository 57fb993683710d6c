using Portal.Domain.Conversations.Understanding;

namespace Portal.Rag.Lexical;

/// <summary>
/// Maps a query term that is not in the vocabulary (a typo or a speech-to-text error: "insurence",
/// "parkin", "frist") to the nearest known term within optimal-string-alignment distance 1
/// (Damerau's adjacent transposition counted as one edit; Damerau 1964) for words of five or more
/// letters, and distance 2 for words of nine or more. Shorter words are too ambiguous to correct.
/// </summary>
public static class TypoMatcher
{
    /// <summary>Shortest query term that is corrected.</summary>
    public const int MinLength = 5;

    /// <summary>
    /// The nearest of <paramref name="vocabulary"/> to <paramref name="term"/>; ties go to the term
    /// that <paramref name="preference"/> ranks higher (e.g. the more frequent one). Null when none is close enough.
    /// </summary>
    public static string? Nearest(string term, IEnumerable<string> vocabulary, Func<string, double> preference) =>
        Nearest(term, vocabulary, preference, term.Length >= 9 ? 2 : 1);

    /// <summary>
    /// The nearest of <paramref name="vocabulary"/> to <paramref name="term"/> within <paramref name="limit"/> edits; ties go to the
    /// term that <paramref name="preference"/> ranks higher. Null when none is close enough or the term is shorter than <see cref="MinLength"/>.
    /// </summary>
    public static string? Nearest(string term, IEnumerable<string> vocabulary, Func<string, double> preference, int limit)
    {
        if (term.Length < MinLength || char.IsDigit(term[0]))
        {
            return null;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        var bestPreference = double.MinValue;
        foreach (var candidate in vocabulary)
        {
            if (candidate.Length < MinLength - 1 || Math.Abs(candidate.Length - term.Length) > limit || candidate == term)
            {
                continue;
            }

            var d = Distance(term, candidate, limit);
            if (d > limit)
            {
                continue;
            }

            var p = preference(candidate);
            if (d < bestDistance || (d == bestDistance && p > bestPreference))
            {
                (best, bestDistance, bestPreference) = (candidate, d, p);
            }
        }

        return best;
    }

    /// <summary>Optimal string alignment distance, or <paramref name="limit"/> + 1 once it exceeds <paramref name="limit"/> (<see cref="TextDistance.Osa"/>).</summary>
    public static int Distance(string a, string b, int limit) => TextDistance.Osa(a, b, limit);
}
