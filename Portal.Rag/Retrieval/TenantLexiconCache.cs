using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;
using Portal.Domain.Instances;
using Portal.Rag.Lexical;

namespace Portal.Rag.Retrieval;

/// <summary>
/// Per-tenant word statistics of the knowledge chunks, loaded once per change like <see cref="TenantVectorCache"/>
/// (kept until <see cref="Invalidate"/>, which runs after every knowledge change, or for at most <see cref="MaxAge"/> so
/// another server's changes are picked up): every word of 4+ letters with the number of chunks containing it (for typo
/// correction against the tenant's own vocabulary, instead of trigram-matching every chunk text per query), and the number
/// of chunks containing each full-text lexeme anywhere and in the question or heading (<c>ts_stat</c> over
/// <c>search_vector</c> and <c>title_vector</c>, https://www.postgresql.org/docs/15/textsearch-features.html#TEXTSEARCH-STATISTICS),
/// to keep the full-text candidate filter selective. Stale statistics only make a correction or an estimate less exact;
/// what is returned is always read from the live rows. Memory: about 100 bytes per distinct word or lexeme.
/// </summary>
public sealed class TenantLexiconCache
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly CacheInvalidationBus? _bus;

    /// <summary>Creates the cache; with a <paramref name="bus"/>, changes made on any instance drop this one's entries too.</summary>
    /// <param name="dataSource">The app's pool.</param>
    /// <param name="time">Clock for <see cref="MaxAge"/>.</param>
    /// <param name="bus">Cross-instance invalidation (<see cref="CacheTopics.KnowledgeLexicon"/>), or null for one process.</param>
    public TenantLexiconCache(NpgsqlDataSource dataSource, TimeProvider time, CacheInvalidationBus? bus = null)
    {
        _dataSource = dataSource;
        _time = time;
        _bus = bus;
        bus?.Subscribe(CacheTopics.KnowledgeLexicon, id => Drop(id));
    }

    /// <summary>Longest time statistics are kept without an <see cref="Invalidate"/>.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>Most query terms whose lexemes are remembered (the map is cleared when full).</summary>
    public const int MaxRememberedTerms = 100_000;

    private readonly ConcurrentDictionary<Guid, Lazy<Task<TenantLexicon>>> _tenants = new();
    private readonly ConcurrentDictionary<string, string[]> _lexemes = new(StringComparer.Ordinal);

    /// <summary>The statistics of <paramref name="tenantId"/> (chunks of ready or re-indexing documents, every agent), loaded on first use.</summary>
    public async Task<TenantLexicon> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var lazy = _tenants.GetOrAdd(tenantId, id => new Lazy<Task<TenantLexicon>>(() => LoadAsync(id)));
        var lexicon = await lazy.Value.WaitAsync(cancellationToken);
        if (_time.GetUtcNow() - lexicon.LoadedAt > MaxAge)
        {
            _tenants.TryRemove(new KeyValuePair<Guid, Lazy<Task<TenantLexicon>>>(tenantId, lazy));
        }

        return lexicon;
    }

    /// <summary>Drops the cached statistics of a tenant (its chunks changed), here and on every other instance.</summary>
    public void Invalidate(Guid tenantId)
    {
        Drop(tenantId);
        _bus?.Publish(CacheTopics.KnowledgeLexicon, tenantId);
    }

    private void Drop(Guid? tenantId)
    {
        if (tenantId is { } id)
        {
            _tenants.TryRemove(id, out _);
        }
        else
        {
            _tenants.Clear();
        }
    }

    /// <summary>
    /// The lexemes PostgreSQL's <c>english</c> configuration makes of each term (empty for a stop word), as <c>to_tsquery</c>
    /// would; terms not seen before are resolved in one query and remembered (the mapping never changes).
    /// </summary>
    public async Task<Func<string, string[]>> LexemesAsync(IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        var missing = terms.Where(t => !_lexemes.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            if (_lexemes.Count + missing.Length > MaxRememberedTerms)
            {
                _lexemes.Clear();
            }

            await using var command = _dataSource.CreateCommand("SELECT t, tsvector_to_array(to_tsvector('english', t)) FROM unnest($1::text[]) t");
            command.Parameters.AddWithValue(missing);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                _lexemes[reader.GetString(0)] = reader.GetFieldValue<string[]>(1);
            }
        }

        return t => _lexemes.TryGetValue(t, out var l) ? l : [];
    }

    private async Task<TenantLexicon> LoadAsync(Guid tenantId)
    {
        var loadedAt = _time.GetUtcNow();
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        var stems = new Dictionary<string, int>(StringComparer.Ordinal);
        var chunks = 0;

        // Loaded for one named tenant (raw SQL has no query filter; the voice channel has no signed-in user).
        const string texts = """
            SELECT coalesce(c.question, '') || ' ' || coalesce(c.heading, '') || ' ' || c.text
            FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
            WHERE c.tenant_id = $1 AND d.status IN ('Ready', 'Processing')
            """;
        await using (var command = _dataSource.CreateCommand(texts))
        {
            command.Parameters.AddWithValue(tenantId);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            while (await reader.ReadAsync(CancellationToken.None))
            {
                chunks++;
                seen.Clear();
                var text = reader.GetString(0);
                foreach (var word in TenantLexicon.Words(text))
                {
                    if (seen.Add(word))
                    {
                        words[word] = words.GetValueOrDefault(word) + 1;
                    }
                }

                seen.Clear();
                foreach (var stem in Tokenizer.Terms(text))
                {
                    if (seen.Add(stem))
                    {
                        stems[stem] = stems.GetValueOrDefault(stem) + 1;
                    }
                }
            }
        }

        return new TenantLexicon(chunks, words, stems, await StatsAsync(tenantId, "search_vector"), await StatsAsync(tenantId, "title_vector"), loadedAt);
    }

    private async Task<Dictionary<string, int>> StatsAsync(Guid tenantId, string column)
    {
        // ts_stat takes the query as text; the tenant id is a formatted Guid (hex and dashes only) and the column a constant.
        var inner = string.Create(CultureInfo.InvariantCulture,
            $"SELECT c.{column} FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id WHERE c.tenant_id = '{tenantId:D}' AND d.status IN ('Ready', 'Processing')");
        await using var command = _dataSource.CreateCommand("SELECT word, ndoc FROM ts_stat($1)");
        command.Parameters.AddWithValue(inner);
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            result[reader.GetString(0)] = reader.GetInt32(1);
        }

        return result;
    }
}

/// <summary>Word and lexeme statistics of one tenant's chunks (see <see cref="TenantLexiconCache"/>).</summary>
public sealed class TenantLexicon
{
    private readonly Dictionary<string, int> _words;
    private readonly Dictionary<string, int> _lexemes;
    private readonly Dictionary<string, int> _titleLexemes;
    private readonly Dictionary<int, string[]> _byLength;
    private readonly Dictionary<string, string[]> _byFolded;
    private readonly Dictionary<string, int> _stems;
    private readonly Dictionary<string, string[]> _bySound;

    /// <summary>
    /// Builds the statistics: <paramref name="words"/> maps words to the number of chunks containing them, <paramref name="stems"/>
    /// <see cref="Tokenizer"/> terms to the number of chunks containing them, <paramref name="lexemes"/>
    /// full-text lexemes to the number of chunks containing them anywhere, <paramref name="titleLexemes"/> in the question or heading.
    /// </summary>
    public TenantLexicon(int chunkCount, Dictionary<string, int> words, Dictionary<string, int> stems, Dictionary<string, int> lexemes, Dictionary<string, int> titleLexemes, DateTimeOffset loadedAt)
    {
        _stems = stems;
        Corpus = new CorpusStatistics(chunkCount, s => _stems.GetValueOrDefault(s));
        ChunkCount = chunkCount;
        _words = words;
        _lexemes = lexemes;
        _titleLexemes = titleLexemes;
        LoadedAt = loadedAt;
        _byLength = words.Keys.GroupBy(w => w.Length).ToDictionary(g => g.Key, g => g.ToArray());
        _byFolded = words.Keys.Where(w => !w.All(char.IsAscii)).GroupBy(SoundKey.Fold, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _bySound = words.Keys.GroupBy(SoundKey.Of, StringComparer.Ordinal).Where(g => g.Key.Length >= 3).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Chunk count and the number of chunks containing each <see cref="Tokenizer"/> term, for the IDF of the coverage score.</summary>
    public CorpusStatistics Corpus { get; }

    /// <summary>True when some chunk contains <paramref name="word"/> (lower case, 4+ letters).</summary>
    public bool Contains(string word) => _words.ContainsKey(word);

    /// <summary>The tenant's accented spellings of an unaccented word ("cafe" → "café"), so the caller's or the recognizer's plain spelling finds them; empty when none.</summary>
    public IReadOnlyList<string> AccentedForms(string word) => _byFolded.GetValueOrDefault(word) ?? [];

    /// <summary>
    /// The tenant's most frequent word that sounds like <paramref name="word"/> (same <see cref="SoundKey"/>, same first letter, length
    /// within 3), for a speech-to-text error that edit distance misses ("break" → "brake"); null when the word is known, shorter
    /// than 4 letters, its skeleton shorter than 3 letters ("year" and "your" are both "yr"), or nothing sounds like it.
    /// </summary>
    public string? SoundsLike(string word)
    {
        if (word.Length < 4 || _words.ContainsKey(word))
        {
            return null;
        }

        var key = SoundKey.Of(word);
        return key.Length < 3 || !_bySound.TryGetValue(key, out var alike)
            ? null
            : alike.Where(w => w[0] == word[0] && Math.Abs(w.Length - word.Length) <= 3 && w != word)
                .OrderByDescending(w => _words[w]).ThenBy(w => w, StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>Chunks counted.</summary>
    public int ChunkCount { get; }

    /// <summary>When the statistics were read (UTC).</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Distinct words of 4+ letters.</summary>
    public int WordCount => _words.Count;

    /// <summary>Chunks containing a full-text lexeme anywhere (0 when none).</summary>
    public int ChunkFrequency(string lexeme) => _lexemes.GetValueOrDefault(lexeme);

    /// <summary>Chunks whose question or heading contains a full-text lexeme (0 when none).</summary>
    public int TitleFrequency(string lexeme) => _titleLexemes.GetValueOrDefault(lexeme);

    /// <summary>
    /// The tenant's word nearest to <paramref name="word"/> (lower-case letters) by <see cref="TypoMatcher"/> (optimal string
    /// alignment distance 1, 2 from nine letters; ties to the word in more chunks), or null when the word is known or none is close.
    /// </summary>
    public string? Correct(string word) => Correct(word, word.Length >= 9 ? 2 : 1);

    /// <summary>
    /// The tenant's word nearest to <paramref name="word"/> within <paramref name="limit"/> edits (optimal string alignment; ties to the
    /// word in more chunks), or null when the word is known, shorter than <see cref="TypoMatcher.MinLength"/>, or none is close.
    /// </summary>
    public string? Correct(string word, int limit)
    {
        if (word.Length < TypoMatcher.MinLength || _words.ContainsKey(word))
        {
            return null;
        }

        var candidates = Enumerable.Range(word.Length - limit, (2 * limit) + 1).SelectMany(n => _byLength.GetValueOrDefault(n) ?? []);
        return TypoMatcher.Nearest(word, candidates, w => _words.GetValueOrDefault(w), limit);
    }

    /// <summary>Lower-case letter runs of 4+ letters in <paramref name="text"/> (apostrophes dropped; accented letters kept, "café").</summary>
    internal static IEnumerable<string> Words(string text)
    {
        var start = -1;
        var lower = text.ToLowerInvariant().Replace("'", "", StringComparison.Ordinal).Replace("\u2019", "", StringComparison.Ordinal);
        for (var i = 0; i <= lower.Length; i++)
        {
            var letter = i < lower.Length && char.IsLetter(lower[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                if (i - start >= 4)
                {
                    yield return lower[start..i];
                }

                start = -1;
            }
        }
    }
}
