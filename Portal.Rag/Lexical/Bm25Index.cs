namespace Portal.Rag.Lexical;

/// <summary>A retrievable unit: an FAQ pair or a document passage.</summary>
/// <param name="ItemId">Source knowledge item.</param>
/// <param name="Title">FAQ question or document title/heading.</param>
/// <param name="Text">Answer or passage text (what gets quoted).</param>
/// <param name="IsFaq">FAQ or passage.</param>
public sealed record Passage(Guid ItemId, string Title, string Text, bool IsFaq);

/// <summary>
/// Okapi BM25 over passages (k1 = 1.2, b = 0.75; Robertson and Zaragoza, "The Probabilistic
/// Relevance Framework: BM25 and Beyond", 2009). Titles (FAQ questions) count twice. Alongside
/// the BM25 rank it reports query coverage (the share of the query's IDF mass the passage
/// contains), which is comparable across queries and so serves as the 0..1 confidence.
/// </summary>
public sealed class Bm25Index
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private readonly Passage[] _passages;
    private readonly Dictionary<string, int>[] _termFrequencies;
    private readonly int[] _lengths;
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    /// <summary>Indexes <paramref name="passages"/>.</summary>
    public Bm25Index(IReadOnlyList<Passage> passages)
    {
        _passages = [.. passages];
        _termFrequencies = new Dictionary<string, int>[_passages.Length];
        _lengths = new int[_passages.Length];
        for (var i = 0; i < _passages.Length; i++)
        {
            var tf = new Dictionary<string, int>(StringComparer.Ordinal);
            var terms = Tokenizer.Terms(_passages[i].Title);
            terms.AddRange(terms.ToArray());
            terms.AddRange(Tokenizer.Terms(_passages[i].Text));
            foreach (var t in terms)
            {
                tf[t] = tf.GetValueOrDefault(t) + 1;
            }

            foreach (var t in tf.Keys)
            {
                _documentFrequency[t] = _documentFrequency.GetValueOrDefault(t) + 1;
            }

            _termFrequencies[i] = tf;
            _lengths[i] = terms.Count;
        }

        _averageLength = _lengths.Length == 0 ? 1 : Math.Max(1, _lengths.Average());
    }

    /// <summary>Number of passages.</summary>
    public int Count => _passages.Length;

    /// <summary>Top passages for <paramref name="query"/>: (passage, BM25 score, coverage 0..1), best first.</summary>
    public IReadOnlyList<(Passage Passage, double Bm25, double Coverage)> Search(string query, int limit)
    {
        var terms = Tokenizer.Terms(query).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0 || _passages.Length == 0)
        {
            return [];
        }

        var n = _passages.Length;
        var idf = terms.ToDictionary(t => t, t =>
        {
            var df = _documentFrequency.GetValueOrDefault(t);
            return Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
        });
        var unseenIdf = Math.Log(1 + ((n + 0.5) / 0.5));
        var totalIdf = terms.Sum(t => _documentFrequency.ContainsKey(t) ? idf[t] : unseenIdf);

        var results = new List<(Passage, double, double)>();
        for (var i = 0; i < n; i++)
        {
            double score = 0, covered = 0;
            var tf = _termFrequencies[i];
            foreach (var t in terms)
            {
                if (!tf.TryGetValue(t, out var f))
                {
                    continue;
                }

                var w = idf[t];
                covered += w;
                score += w * (f * (K1 + 1)) / (f + (K1 * (1 - B + (B * _lengths[i] / _averageLength))));
            }

            if (score > 0)
            {
                results.Add((_passages[i], score, totalIdf <= 0 ? 0 : covered / totalIdf));
            }
        }

        return results.OrderByDescending(r => r.Item2).Take(limit).ToList();
    }
}
