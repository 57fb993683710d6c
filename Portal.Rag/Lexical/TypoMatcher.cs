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
    public static string? Nearest(string term, IEnumerable<string> vocabulary, Func<string, double> preference)
    {
        if (term.Length < MinLength || char.IsDigit(term[0]))
        {
            return null;
        }

        var limit = term.Length >= 9 ? 2 : 1;
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

    /// <summary>Optimal string alignment distance, or <paramref name="limit"/> + 1 once it exceeds <paramref name="limit"/>.</summary>
    public static int Distance(string a, string b, int limit)
    {
        var rows = new int[3][];
        for (var r = 0; r < 3; r++)
        {
            rows[r] = new int[b.Length + 1];
        }

        for (var j = 0; j <= b.Length; j++)
        {
            rows[1][j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var (prev2, prev, cur) = (rows[(i + 2) % 3], rows[i % 3], rows[(i + 1) % 3]);
            cur[0] = i;
            var rowMin = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    v = Math.Min(v, prev2[j - 2] + 1);
                }

                cur[j] = v;
                rowMin = Math.Min(rowMin, v);
            }

            if (rowMin > limit)
            {
                return limit + 1;
            }
        }

        return Math.Min(rows[(a.Length + 1) % 3][b.Length], limit + 1);
    }
}
