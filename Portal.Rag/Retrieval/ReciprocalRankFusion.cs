namespace Portal.Rag.Retrieval;

/// <summary>
/// Reciprocal rank fusion: each item scores Σ over the ranked lists it appears in of 1 / (k + rank), rank
/// 1-based (Cormack, Clarke and Büttcher, "Reciprocal Rank Fusion outperforms Condorcet and individual Rank
/// Learning Methods", SIGIR 2009, k = 60). Needs no score calibration between retrievers.
/// </summary>
public static class ReciprocalRankFusion
{
    /// <summary>The conventional k (Cormack et al. 2009).</summary>
    public const int DefaultK = 60;

    /// <summary>
    /// Fuses <paramref name="rankings"/> (each best first, duplicates within one list ignored after the first)
    /// into (item, fused score) best first; ties keep the order of first appearance. Throws
    /// <see cref="ArgumentOutOfRangeException"/> when <paramref name="k"/> is negative.
    /// </summary>
    public static IReadOnlyList<(T Item, double Score)> Fuse<T>(IEnumerable<IReadOnlyList<T>> rankings, int k = DefaultK)
        where T : notnull
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var scores = new Dictionary<T, double>();
        var order = new Dictionary<T, int>();
        foreach (var ranking in rankings)
        {
            var seen = new HashSet<T>();
            for (var i = 0; i < ranking.Count; i++)
            {
                if (!seen.Add(ranking[i]))
                {
                    continue;
                }

                scores[ranking[i]] = scores.GetValueOrDefault(ranking[i]) + (1.0 / (k + i + 1));
                order.TryAdd(ranking[i], order.Count);
            }
        }

        return [.. scores.OrderByDescending(p => p.Value).ThenBy(p => order[p.Key]).Select(p => (p.Key, p.Value))];
    }
}
