namespace Portal.Rag.Lexical;

/// <summary>A retrievable unit: an FAQ pair or a document passage.</summary>
/// <param name="ItemId">Source knowledge item.</param>
/// <param name="Title">FAQ question or document title/heading.</param>
/// <param name="Text">Answer or passage text (what gets quoted).</param>
/// <param name="IsFaq">FAQ or passage.</param>
public sealed record Passage(Guid ItemId, string Title, string Text, bool IsFaq);

/// <summary>
/// Statistics of the whole collection the indexed passages were drawn from, for the IDF of query terms when a
/// <see cref="Bm25Index"/> holds only retrieved candidates (whose own statistics are skewed towards the query's words).
/// </summary>
/// <param name="DocumentCount">Passages in the collection.</param>
/// <param name="DocumentFrequency">Passages of the collection containing a <see cref="Tokenizer"/> term (0 when none).</param>
public sealed record CorpusStatistics(int DocumentCount, Func<string, int> DocumentFrequency);

/// <summary>
/// Okapi BM25 over passages (k1 = 1.2, b = 0.75; Robertson and Zaragoza, "The Probabilistic
/// Relevance Framework: BM25 and Beyond", Foundations and Trends in IR 3(4), 2009). Titles (FAQ
/// questions, headings) count twice. Query terms become concepts before scoring: adjacent terms
/// that form a known compound are joined ("met life" → "metlife"), each term is expanded with its
/// <see cref="ReceptionistLexicon"/> synonyms, and a term the index has never seen is corrected to
/// the nearest known one by <see cref="TypoMatcher"/>. Generic words weigh a quarter of their IDF.
/// Alongside the BM25 score it reports a calibrated 0..1 confidence (see <see cref="Search"/>).
/// </summary>
public sealed class Bm25Index
{
    /// <summary>BM25 term-frequency saturation (Robertson and Zaragoza 2009, section 3.4).</summary>
    public const double K1 = 1.2;

    /// <summary>BM25 length normalisation (Robertson and Zaragoza 2009, section 3.4).</summary>
    public const double B = 0.75;

    /// <summary>Match quality of a synonym relative to the word itself.</summary>
    public const double SynonymQuality = 0.9;

    /// <summary>Match quality of a typo-corrected term relative to the word itself.</summary>
    public const double TypoQuality = 0.8;

    /// <summary>Weight factor of a term the question's wording implies (<see cref="Tokenizer.QueryTerms"/>: "where" → address) relative to a word the caller said.</summary>
    public const double IntentWeight = 0.5;

    /// <summary>Confidence factor when only generic words matched: keeps such hits below any sensible threshold.</summary>
    public const double GenericOnlyFactor = 0.25;

    private readonly Passage[] _passages;
    private readonly Dictionary<string, int>[] _termFrequencies;
    private readonly int[] _lengths;
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    private readonly CorpusStatistics? _corpus;

    /// <summary>
    /// Indexes <paramref name="passages"/>; with <paramref name="corpus"/>, term IDFs come from the whole collection rather
    /// than from these passages (the passages are candidates retrieved for the query).
    /// </summary>
    public Bm25Index(IReadOnlyList<Passage> passages, CorpusStatistics? corpus = null)
    {
        _corpus = corpus is { DocumentCount: > 0 } ? corpus : null;
        _passages = [.. passages];
        _termFrequencies = new Dictionary<string, int>[_passages.Length];
        _lengths = new int[_passages.Length];
        for (var i = 0; i < _passages.Length; i++)
        {
            var tf = new Dictionary<string, int>(StringComparer.Ordinal);
            // A title is an FAQ question or a heading: what it asks counts like the caller's question ("Where are you?" → address).
            var terms = Tokenizer.QueryTerms(_passages[i].Title);
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

    /// <summary>
    /// Top passages for <paramref name="query"/>, best BM25 first. <c>Coverage</c> is the calibrated
    /// confidence: the share of the query's weighted IDF mass the passage matches (synonyms and typo
    /// corrections count slightly less), times <see cref="GenericOnlyFactor"/> when no content word
    /// matched, and reduced when the only matched content word is common across passages while
    /// other content words stay unmatched.
    /// </summary>
    public IReadOnlyList<(Passage Passage, double Bm25, double Coverage)> Search(string query, int limit)
    {
        if (_passages.Length == 0)
        {
            return [];
        }

        var concepts = Concepts(query);
        if (concepts.Count == 0)
        {
            return [];
        }

        var n = _corpus?.DocumentCount ?? _passages.Length;
        var totalWeight = concepts.Sum(c => c.Weight);
        var results = new List<(Passage, double, double)>();
        for (var i = 0; i < _passages.Length; i++)
        {
            double score = 0, covered = 0;
            int specificMatched = 0, commonSpecific = 0;
            var tf = _termFrequencies[i];
            foreach (var c in concepts)
            {
                var (f, quality) = Match(c, tf);
                if (f == 0)
                {
                    continue;
                }

                covered += c.Weight * quality;
                score += c.Weight * quality * (f * (K1 + 1)) / (f + (K1 * (1 - B + (B * _lengths[i] / _averageLength))));
                if (!c.Generic)
                {
                    specificMatched++;
                    commonSpecific += c.DocumentFrequency * 5 > n ? 1 : 0;
                }
            }

            if (score <= 0)
            {
                continue;
            }

            var confidence = covered / totalWeight;
            var specificTotal = concepts.Count(c => !c.Generic);
            if (specificMatched == 0)
            {
                confidence *= GenericOnlyFactor;
            }
            else if (specificMatched == 1 && commonSpecific == 1 && specificTotal > 1)
            {
                confidence *= 0.7;
            }

            results.Add((_passages[i], score, Math.Clamp(confidence, 0, 1)));
        }

        return results.OrderByDescending(r => r.Item2).ThenByDescending(r => r.Item3).Take(limit).ToList();
    }

    private sealed record Concept(string[] Variants, double[] Qualities, bool Generic, int DocumentFrequency, double Weight);

    private static (int Frequency, double Quality) Match(Concept c, Dictionary<string, int> tf)
    {
        int f = 0;
        double quality = 0;
        for (var v = 0; v < c.Variants.Length; v++)
        {
            if (tf.TryGetValue(c.Variants[v], out var x))
            {
                f += x;
                quality = Math.Max(quality, c.Qualities[v]);
            }
        }

        return (f, quality);
    }

    private List<Concept> Concepts(string query)
    {
        var terms = Tokenizer.QueryTerms(query);
        for (var i = 0; i + 1 < terms.Count; i++)
        {
            var joined = Tokenizer.Stem(terms[i] + terms[i + 1]);
            if (_documentFrequency.ContainsKey(joined))
            {
                terms[i] = joined;
                terms.RemoveAt(i + 1);
            }
        }

        var n = _corpus?.DocumentCount ?? _passages.Length;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var concepts = new List<Concept>();
        foreach (var term in terms)
        {
            var variants = ReceptionistLexicon.Expand(term);
            var quality = 1.0;
            var generic = ReceptionistLexicon.IsGeneric(term);
            if (!variants.Any(_documentFrequency.ContainsKey)
                && TypoMatcher.Nearest(term, _documentFrequency.Keys.Concat(ReceptionistLexicon.KnownStems), t => _documentFrequency.GetValueOrDefault(t)) is { } corrected)
            {
                variants = ReceptionistLexicon.Expand(corrected);
                quality = TypoQuality;
                generic |= ReceptionistLexicon.IsGeneric(corrected);
            }

            var intent = Tokenizer.IsIntentTerm(term) && !Tokenizer.Terms(query).Contains(term);
            if (intent && !variants.Any(_documentFrequency.ContainsKey))
            {
                continue; // "where …" asks for an address only where some passage gives one
            }

            var group = ReceptionistLexicon.Group(variants[0]);
            if (!seen.Add(group >= 0 ? $"#{group}" : variants[0]))
            {
                continue;
            }

            var df = 0;
            foreach (var tf in _termFrequencies)
            {
                df += variants.Any(tf.ContainsKey) ? 1 : 0;
            }

            if (_corpus is not null)
            {
                // The collection's count of the commonest variant (a lower bound of the group's), never below what the candidates show.
                df = Math.Min(n, Math.Max(df, variants.Max(_corpus.DocumentFrequency)));
            }

            // An unseen word is treated as being as specific as the rarest indexed word.
            var idf = Math.Log(1 + ((n - Math.Max(df, 1) + 0.5) / (Math.Max(df, 1) + 0.5)));
            var qualities = variants.Select((_, k) => k == 0 ? quality : quality * SynonymQuality).ToArray();
            concepts.Add(new Concept([.. variants], qualities, generic, df, idf * (generic ? ReceptionistLexicon.GenericWeight : 1) * (intent ? IntentWeight : 1)));
        }

        return concepts;
    }
}
