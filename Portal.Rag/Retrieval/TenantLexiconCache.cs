using System.Collections.Concurrent;
using Npgsql;
using Portal.Rag.Lexical;

namespace Portal.Rag.Retrieval;

/// <summary>
/// Per-tenant word statistics of the knowledge chunks, loaded once per change like <see cref="TenantVectorCache"/>
/// (kept until <see cref="Invalidate"/>, which runs after every knowledge change, or for at most
/// <see cref="MaxAge"/> so another server's changes are picked up): every word of 4+ letters with the number of chunks
/// containing it (for typo correction against the tenant's own vocabulary, instead of trigram-matching every chunk text
/// per query) and the chunk frequency of every <see cref="Tokenizer"/> stem (to keep the full-text candidate filter to
/// selective terms). Stale statistics only make a correction or an estimate less exact; what is returned is always read
/// from the live rows. Memory: about 50 bytes per distinct word (10,000 chunks ≈ 5,000 words ≈ 250 KB).
/// </summary>
public sealed class TenantLexiconCache(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Longest time statistics are kept without an <see cref="Invalidate"/>.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<Guid, Lazy<Task<TenantLexicon>>> _tenants = new();

    /// <summary>The statistics of <paramref name="tenantId"/> (chunks of ready or re-indexing documents, every agent), loaded on first use.</summary>
    public async Task<TenantLexicon> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var lazy = _tenants.GetOrAdd(tenantId, id => new Lazy<Task<TenantLexicon>>(() => LoadAsync(id)));
        var lexicon = await lazy.Value.WaitAsync(cancellationToken);
        if (time.GetUtcNow() - lexicon.LoadedAt > MaxAge)
        {
            _tenants.TryRemove(new KeyValuePair<Guid, Lazy<Task<TenantLexicon>>>(tenantId, lazy));
        }

        return lexicon;
    }

    /// <summary>Drops the cached statistics of a tenant (its chunks changed).</summary>
    public void Invalidate(Guid tenantId) => _tenants.TryRemove(tenantId, out _);

    private async Task<TenantLexicon> LoadAsync(Guid tenantId)
    {
        // Loaded for one named tenant (raw SQL has no query filter; the voice channel has no signed-in user).
        const string sql = """
            SELECT coalesce(c.question, '') || ' ' || coalesce(c.heading, ''), c.text
            FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
            WHERE c.tenant_id = $1 AND d.status IN ('Ready', 'Processing')
            """;
        var loadedAt = time.GetUtcNow();
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(tenantId);
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        var stems = new Dictionary<string, int>(StringComparer.Ordinal);
        var titleStems = new Dictionary<string, int>(StringComparer.Ordinal);
        var chunks = 0;
        var seenWords = new HashSet<string>(StringComparer.Ordinal);
        var seenStems = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            var title = reader.GetString(0);
            var text = title + " " + reader.GetString(1);
            chunks++;
            seenWords.Clear();
            seenStems.Clear();
            foreach (var stem in Tokenizer.Terms(title))
            {
                if (seenStems.Add(stem))
                {
                    titleStems[stem] = titleStems.GetValueOrDefault(stem) + 1;
                }
            }

            seenStems.Clear();
            foreach (var word in TenantLexicon.Words(text))
            {
                if (seenWords.Add(word))
                {
                    words[word] = words.GetValueOrDefault(word) + 1;
                }
            }

            foreach (var stem in Tokenizer.Terms(text))
            {
                if (seenStems.Add(stem))
                {
                    stems[stem] = stems.GetValueOrDefault(stem) + 1;
                }
            }
        }

        return new TenantLexicon(chunks, words, stems, titleStems, loadedAt);
    }
}

/// <summary>Word statistics of one tenant's chunks (see <see cref="TenantLexiconCache"/>).</summary>
public sealed class TenantLexicon
{
    private readonly Dictionary<string, int> _words;
    private readonly Dictionary<string, int> _stems;
    private readonly Dictionary<string, int> _titleStems;
    private readonly Dictionary<int, string[]> _byLength;

    /// <summary>
    /// Builds the statistics; <paramref name="words"/> and <paramref name="stems"/> map to the number of chunks containing
    /// them anywhere, <paramref name="titleStems"/> to the number whose question or heading (tsvector weight A) contains them.
    /// </summary>
    public TenantLexicon(int chunkCount, Dictionary<string, int> words, Dictionary<string, int> stems, Dictionary<string, int> titleStems, DateTimeOffset loadedAt)
    {
        ChunkCount = chunkCount;
        _words = words;
        _stems = stems;
        _titleStems = titleStems;
        LoadedAt = loadedAt;
        _byLength = words.Keys.GroupBy(w => w.Length).ToDictionary(g => g.Key, g => g.ToArray());
    }

    /// <summary>Chunks counted.</summary>
    public int ChunkCount { get; }

    /// <summary>When the statistics were read (UTC).</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Distinct words of 4+ letters.</summary>
    public int WordCount => _words.Count;

    /// <summary>True when a chunk contains <paramref name="word"/> (lower case).</summary>
    public bool Contains(string word) => _words.ContainsKey(word);

    /// <summary>Chunks containing a term: the <see cref="Tokenizer"/> stem's count, else the word's, else 0.</summary>
    public int ChunkFrequency(string term) =>
        _stems.TryGetValue(term, out var n) ? n : _stems.TryGetValue(Tokenizer.Stem(term), out n) ? n : _words.GetValueOrDefault(term);

    /// <summary>Chunks whose question or heading contains a term (its <see cref="Tokenizer"/> stem), else 0.</summary>
    public int TitleFrequency(string term) =>
        _titleStems.TryGetValue(term, out var n) ? n : _titleStems.GetValueOrDefault(Tokenizer.Stem(term));

    /// <summary>
    /// The tenant's word nearest to <paramref name="word"/> (lower-case letters) by <see cref="TypoMatcher"/> (optimal string
    /// alignment distance 1, 2 from nine letters; ties to the word in more chunks), or null when the word is known or none is close.
    /// </summary>
    public string? Correct(string word)
    {
        if (word.Length < TypoMatcher.MinLength || _words.ContainsKey(word))
        {
            return null;
        }

        var limit = word.Length >= 9 ? 2 : 1;
        var candidates = Enumerable.Range(word.Length - limit, (2 * limit) + 1).SelectMany(n => _byLength.GetValueOrDefault(n) ?? []);
        return TypoMatcher.Nearest(word, candidates, w => _words.GetValueOrDefault(w));
    }

    /// <summary>Lower-case letter runs of 4+ letters in <paramref name="text"/> (apostrophes dropped).</summary>
    internal static IEnumerable<string> Words(string text)
    {
        var start = -1;
        var lower = text.ToLowerInvariant().Replace("'", "", StringComparison.Ordinal).Replace("\u2019", "", StringComparison.Ordinal);
        for (var i = 0; i <= lower.Length; i++)
        {
            var letter = i < lower.Length && char.IsAsciiLetter(lower[i]);
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
