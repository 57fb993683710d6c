using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Domain.Knowledge;
using Portal.Rag.Embeddings;
using Portal.Rag.Lexical;

namespace Portal.Rag.Retrieval;

/// <summary>
/// Hybrid retrieval over a tenant's <see cref="Portal.Data.Entities.KnowledgeChunk"/> rows, scoped to the tenant and
/// agent, in one SQL statement whose arms are each bounded by <see cref="KnowledgeOptions.CandidatesPerRetriever"/>:
/// PostgreSQL full-text search (<c>websearch_to_tsquery</c> and an OR-of-terms query with the receptionist synonyms and
/// the tenant's spelling of misspelt words, <see cref="LexicalQuery"/>, ranked by <c>ts_rank_cd</c> over the rows that
/// the selective terms match, <see cref="LexicalQuery.FilterQuery"/>), pg_trgm similarity of the whole question to FAQ
/// questions (<c>%</c> on the short question column, trigram GIN index), and, when an
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> is registered, cosine similarity over the tenant's vectors
/// (<see cref="TenantVectorCache"/>). Misspelt words are corrected in memory against the tenant's vocabulary
/// (<see cref="TenantLexiconCache"/>) rather than trigram-matched against every chunk text. The rankings are fused with
/// <see cref="ReciprocalRankFusion"/>. Each fused hit gets a 0..1 confidence: the larger of the lexical coverage of
/// the question (the BM25 coverage of <see cref="Bm25Index"/> over the candidates, with stems, synonyms and typo
/// correction) and the cosine similarity when dense; hits below <see cref="KnowledgeOptions.MinimumScore"/> are dropped.
/// </summary>
public sealed class PostgresKnowledgeBase(
    NpgsqlDataSource dataSource,
    TenantVectorCache vectors,
    TenantLexiconCache lexicons,
    KnowledgeGapStore gaps,
    IOptions<KnowledgeOptions> options,
    ILogger<PostgresKnowledgeBase> logger,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
    IChatClient? chat = null,
    SentenceEmbedder? sentences = null,
    SentenceRelevance? relevance = null,
    Portal.Domain.Notifications.PlatformNotifier? notifier = null) : IKnowledgeBase
{
    private readonly KnowledgeOptions _options = options.Value;
    private readonly SentenceRelevance _relevance = relevance ?? new SentenceRelevance(options, null, embeddings, sentences);

    /// <summary>Lowest cosine at which a dense hit is said without lexical support: the model's own calibration, else <see cref="KnowledgeOptions.MinimumCosine"/>.</summary>
    private readonly double _minimumCosine = embeddings?.GetService<EmbeddingCalibration>() is { } calibration
        ? (calibration.UnrelatedCosine is null ? calibration.MinimumCosine : calibration.RetrievalMinimumCosine ?? calibration.MinimumCosine)
        : options.Value.MinimumCosine;

    /// <summary>Cosine below which the model calls a chunk unrelated, vetoing a lexical-only hit on it (<see cref="EmbeddingCalibration.UnrelatedCosine"/>); null = no veto.</summary>
    private readonly double? _unrelatedCosine = embeddings?.GetService<EmbeddingCalibration>()?.UnrelatedCosine;

    /// <summary>Lowest pg_trgm word similarity (0..1) at which a question word matches a word of a chunk in a small knowledge base.</summary>
    private const string WordSimilarityThreshold = "0.45";

    /// <summary>True when dense retrieval is on (an embedding generator is registered).</summary>
    public bool DenseEnabled => embeddings is not null;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<KnowledgeHit>> SearchAsync(Guid tenantId, string query, int limit, CancellationToken cancellationToken) =>
        SearchAsync(new KnowledgeQuery(tenantId, query, null, limit), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<KnowledgeHit>> SearchAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        var (candidates, lexical, corpus) = await CandidatesAsync(query, cancellationToken);
        return Rank(query, lexical, corpus, candidates);
    }

    /// <inheritdoc />
    public async ValueTask<KnowledgeAnswer> AnswerAsync(KnowledgeQuery query, CancellationToken cancellationToken)
    {
        var hits = await SearchAsync(query, cancellationToken);
        if (hits.Count == 0 || chat is null)
        {
            return KnowledgeAnswer.Quote(hits);
        }

        var response = await chat.GetResponseAsync(GroundedPrompt.Build(query.Text, hits), new ChatOptions { Temperature = 0 }, cancellationToken);
        var text = response.Text.Trim();
        return GroundedPrompt.IsNoAnswer(text) ? new KnowledgeAnswer(null, hits, true) : new KnowledgeAnswer(text, hits, true);
    }

    /// <inheritdoc />
    /// <remarks>Lexical coverage with the tenant's word statistics, and the cosine of the same embedding model as dense retrieval (<see cref="SentenceRelevance"/>).</remarks>
    public async ValueTask<IReadOnlyList<double>> RelevanceAsync(Guid tenantId, string question, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        var lexicon = await lexicons.GetAsync(tenantId, cancellationToken);
        return await _relevance.ScoreAsync(question, texts, lexicon.Corpus, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A question that opens a new gap is announced to whoever Settings → Notifications names (by default
    /// nobody); a failed notification is logged and never fails the turn.</remarks>
    public async ValueTask RecordGapAsync(Guid tenantId, string question, Guid? conversationId, CancellationToken cancellationToken)
    {
        var recorded = await gaps.RecordGapAsync(tenantId, question, conversationId, cancellationToken);
        if (recorded is not { Opened: true } || notifier is null)
        {
            return;
        }

        try
        {
            await notifier.KnowledgeGapAsync(tenantId, question, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or NpgsqlException or InvalidOperationException)
        {
            logger.LogError(ex, "Knowledge gap {GapId} of tenant {TenantId}: its notification failed", recorded.Value.Id, tenantId);
        }
    }

    /// <inheritdoc />
    public void Invalidate(Guid tenantId)
    {
        vectors.Invalidate(tenantId);
        lexicons.Invalidate(tenantId);
    }

    /// <summary>A candidate chunk with its rank in each retriever (1-based, 0 = not found by it).</summary>
    internal sealed record Candidate(Guid ChunkId, Guid DocumentId, string Title, string Text, string? Question, string? Heading, bool IsFaq)
    {
        public int FtsRank { get; set; }

        public int TrigramRank { get; set; }

        public int DenseRank { get; set; }

        public double Cosine { get; set; } = double.NaN;
    }

    private async Task<(Dictionary<Guid, Candidate> Candidates, LexicalQuery Lexical, CorpusStatistics? Corpus)> CandidatesAsync(KnowledgeQuery query, CancellationToken ct)
    {
        if (query.Text.Trim().Length == 0)
        {
            return ([], LexicalQuery.From(query.Text), null);
        }

        var lexicon = await lexicons.GetAsync(query.TenantId, ct);
        var lexical = LexicalQuery.From(query.Text, lexicon);
        var k = _options.CandidatesPerRetriever;
        IReadOnlyList<(Guid ChunkId, float Cosine)> dense = [];
        (float[] Vector, VectorMatrix Matrix)? space = null;
        if (embeddings is not null)
        {
            (dense, space) = await DenseAsync(query, k, ct);
        }

        // One statement (plus, in a large knowledge base, one lookup of the lexemes of terms never seen before); every arm
        // names the tenant explicitly (raw SQL has no EF query filter, and the voice channel has no signed-in user) and is
        // bounded by LIMIT $5:
        //  f: full-text. The filter is the selective OR terms in the whole chunk or in its question and heading
        //     (LexicalQuery.FilterQuery; GIN on (tenant_id, search_vector) and (tenant_id, title_vector));
        //     ts_rank_cd ranks with the caller's AND query and every term, on about FullTextCandidateBudget rows at most.
        //  t: whole-question trigram similarity against the short FAQ question column (% with the GIN trigram index), and
        //     in a small knowledge base word similarity of each content word (below).
        //  d: the dense hits found in memory, fetched by primary key.
        var sql = new StringBuilder("""
            SELECT x.arm, x.score, c.id, c.document_id, c.text, c.question, c.heading, d.title
            FROM (
              (SELECT 'f' AS arm, c.id, ts_rank_cd(c.search_vector, q.ws) * 2 + ts_rank_cd(c.search_vector, q.orq) AS score
               FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id,
                    (SELECT websearch_to_tsquery('english', $2) AS ws, to_tsquery('english', $3) AS orq, to_tsquery('english', $6) AS filter, to_tsquery('english', $7) AS titles) q
               WHERE c.tenant_id = $1 AND d.status IN ('Ready', 'Processing') AND ($4::uuid IS NULL OR d.agent_persona_id IS NULL OR d.agent_persona_id = $4)
                 AND (c.search_vector @@ q.filter OR c.title_vector @@ q.titles)
               ORDER BY score DESC LIMIT $5)
            """);
        // A knowledge base no larger than the budget is ranked whole; a larger one through its selective terms.
        // Ranking uses only the terms some chunk of the tenant contains (synonyms the business never uses cost time, not hits).
        var budget = _options.FullTextCandidateBudget;
        string orQuery = lexical.OrQuery, filter = lexical.OrQuery, titles = "";
        if (lexicon.ChunkCount > budget)
        {
            var lexemesOf = await lexicons.LexemesAsync(lexical.Terms, ct);
            (filter, titles) = lexical.FilterQuery(lexemesOf, lexicon.ChunkFrequency, lexicon.TitleFrequency, budget);
            orQuery = lexical.PresentOrQuery(lexemesOf, lexicon.ChunkFrequency);
        }

        var parameters = new List<object?> { query.TenantId, lexical.Raw, orQuery, (object?)query.AgentPersonaId ?? DBNull.Value, k, filter, titles };

        // Trigram arm: the whole question against FAQ questions (%, threshold 0.3). In a knowledge base no larger than the
        // budget, also each content word against the words of the text and question (word_similarity ≥ 0.45, the threshold
        // that lets one-letter misspellings of short words match, "cleening" 0.5 against "cleaning";
        // https://www.postgresql.org/docs/15/pgtrgm.html): cheap on a few hundred rows, seconds on thousands of long texts,
        // where the corrections of LexicalQuery take its place.
        var conditions = new List<string> { "c.question % $2" };
        var scores = new List<string>();
        if (lexicon.ChunkCount <= budget)
        {
            foreach (var word in lexical.Words)
            {
                parameters.Add(word);
                var p = "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
                conditions.Add($"word_similarity({p}, c.text) >= {WordSimilarityThreshold} OR word_similarity({p}, c.question) >= {WordSimilarityThreshold}");
                scores.Add($"greatest(word_similarity({p}, c.text), coalesce(word_similarity({p}, c.question), 0))");
            }
        }

        var wordScore = scores.Count == 0 ? "0" : $"({string.Join(" + ", scores)}) / {scores.Count}";
        sql.Append(CultureInfo.InvariantCulture, $"""

              UNION ALL
              (SELECT 't', c.id, greatest(coalesce(similarity(c.question, $2), 0), {wordScore}) AS score
               FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
               WHERE c.tenant_id = $1 AND d.status IN ('Ready', 'Processing') AND ($4::uuid IS NULL OR d.agent_persona_id IS NULL OR d.agent_persona_id = $4)
                 AND ({string.Join(" OR ", conditions)})
               ORDER BY score DESC LIMIT $5)
            """);
        if (dense.Count > 0)
        {
            parameters.Add(dense.Select(d => d.ChunkId).ToArray());
            sql.Append(CultureInfo.InvariantCulture, $"""

              UNION ALL
              (SELECT 'd', c.id, 0 FROM knowledge_chunks c WHERE c.tenant_id = $1 AND c.id = ANY(${parameters.Count}))
            """);
        }

        sql.Append("""

            ) x JOIN knowledge_chunks c ON c.id = x.id JOIN knowledge_documents d ON d.id = c.document_id
            """);

        await using var command = dataSource.CreateCommand(sql.ToString());
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p ?? DBNull.Value });
        }

        command.Parameters[3].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid;
        var rows = new List<(char Arm, double Score, Candidate Candidate)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var question = reader.IsDBNull(5) ? null : reader.GetString(5);
                var heading = reader.IsDBNull(6) ? null : reader.GetString(6);
                var docTitle = reader.GetString(7);
                var title = question ?? (heading is null || heading == docTitle ? docTitle : $"{docTitle} › {heading}");
                var candidate = new Candidate(reader.GetGuid(2), reader.GetGuid(3), title, QuoteText(reader.GetString(4), question), question, heading, question is not null);
                rows.Add((reader.GetString(0)[0], reader.GetDouble(1), candidate));
            }
        }

        var result = new Dictionary<Guid, Candidate>();
        foreach (var arm in new[] { 'f', 't' })
        {
            var rank = 0;
            foreach (var row in rows.Where(r => r.Arm == arm).OrderByDescending(r => r.Score))
            {
                var c = result.TryGetValue(row.Candidate.ChunkId, out var existing) ? existing : result[row.Candidate.ChunkId] = row.Candidate;
                if (arm == 'f')
                {
                    c.FtsRank = ++rank;
                }
                else
                {
                    c.TrigramRank = ++rank;
                }
            }
        }

        var byId = rows.Where(r => r.Arm == 'd').GroupBy(r => r.Candidate.ChunkId).ToDictionary(g => g.Key, g => g.First().Candidate);
        for (var i = 0; i < dense.Count; i++)
        {
            if (!byId.TryGetValue(dense[i].ChunkId, out var found))
            {
                continue; // deleted since the matrix was loaded
            }

            var c = result.TryGetValue(found.ChunkId, out var existing) ? existing : result[found.ChunkId] = found;
            c.DenseRank = i + 1;
            c.Cosine = dense[i].Cosine;
        }

        if (space is { } s && _unrelatedCosine is not null)
        {
            // The lexical candidates the dense arm did not rank get their cosine too, for the unrelated-chunk veto.
            var cosines = s.Matrix.CosinesOf(s.Vector, result.Values.Where(c => double.IsNaN(c.Cosine)).Select(c => c.ChunkId).ToHashSet());
            foreach (var (id, cosine) in cosines)
            {
                result[id].Cosine = cosine;
            }
        }

        return (result, lexical, lexicon.Corpus);
    }

    private async Task<(IReadOnlyList<(Guid ChunkId, float Cosine)> Hits, (float[] Vector, VectorMatrix Matrix)? Space)> DenseAsync(KnowledgeQuery query, int k, CancellationToken ct)
    {
        var model = EmbeddingModelName(embeddings!);
        var matrix = await vectors.GetAsync(query.TenantId, model, ct);
        if (matrix.Count == 0)
        {
            return ([], null);
        }

        try
        {
            // Through the cached short-text embedder when it wraps the same generator (a repeated question costs nothing).
            var vector = sentences is { IsAvailable: true } && sentences.ModelId == model
                ? (float[])(await sentences.EmbedAsync(query.Text, ct)).Clone()
                : (await embeddings!.GenerateAsync([query.Text], cancellationToken: ct))[0].Vector.ToArray();
            if (vector.Length != matrix.Dimensions)
            {
                logger.LogWarning("Query embedding has {Actual} dimensions, stored vectors {Expected}; dense retrieval skipped", vector.Length, matrix.Dimensions);
                return ([], null);
            }

            VectorMatrix.Normalize(vector);
            return (matrix.TopK(vector, query.AgentPersonaId, k), (vector, matrix));
        }
        catch (HttpRequestException ex)
        {
            // The provider is down: answer from the lexical index rather than not at all.
            logger.LogWarning(ex, "Embedding provider failed; lexical retrieval only");
            return ([], null);
        }
    }

    /// <summary>The model name vectors are stored under: the generator's default model id, else its type name.</summary>
    public static string EmbeddingModelName(IEmbeddingGenerator<string, Embedding<float>> generator) =>
        generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? generator.GetType().Name;

    private IReadOnlyList<KnowledgeHit> Rank(KnowledgeQuery query, LexicalQuery lexical, CorpusStatistics? corpus, Dictionary<Guid, Candidate> candidates)
    {
        if (candidates.Count == 0)
        {
            return [];
        }

        var list = candidates.Values.ToList();
        var rankings = new List<IReadOnlyList<Guid>>
        {
            list.Where(c => c.FtsRank > 0).OrderBy(c => c.FtsRank).Select(c => c.ChunkId).ToList(),
            list.Where(c => c.TrigramRank > 0).OrderBy(c => c.TrigramRank).Select(c => c.ChunkId).ToList(),
            list.Where(c => c.DenseRank > 0).OrderBy(c => c.DenseRank).Select(c => c.ChunkId).ToList(),
        };
        var fused = ReciprocalRankFusion.Fuse(rankings, _options.RrfK);

        // Confidence: how much of the question the chunk covers (stems, synonyms, typo correction against the candidates' words),
        // each word weighted by its IDF in the tenant's whole knowledge base (the candidates all share the query's words).
        var index = new Bm25Index([.. list.Select(c => new Passage(c.ChunkId, c.Title, c.Text, c.IsFaq))], corpus);
        var coverage = index.Search(CandidateSpelling.Correct(lexical.Corrected, list), list.Count).ToDictionary(r => r.Passage.ItemId, r => r.Coverage);
        var hits = new List<KnowledgeHit>();
        foreach (var (id, rrf) in fused)
        {
            var c = candidates[id];
            var lexicalScore = coverage.GetValueOrDefault(id);
            var denseScore = c.DenseRank == 0 || c.Cosine < _minimumCosine ? 0 : c.Cosine;
            var score = Math.Clamp(Math.Max(lexicalScore, denseScore), 0, 1);
            // Shared words the model calls unrelated in meaning are a coincidence, not an answer.
            var unrelated = denseScore == 0 && c.Cosine < _unrelatedCosine;
            if (score < _options.MinimumScore || unrelated)
            {
                continue;
            }

            var ranks = string.Create(CultureInfo.InvariantCulture, $"rrf {rrf:0.0000}; full-text {Rank(c.FtsRank)}, trigram {Rank(c.TrigramRank)}, dense {(c.DenseRank > 0 ? $"{c.DenseRank} (cos {c.Cosine:0.00})" : "–")}; coverage {lexicalScore:0.00}");
            hits.Add(new KnowledgeHit(c.DocumentId, c.Title, c.Text, score, c.IsFaq, c.ChunkId, ranks));
        }

        // The fused order decides, except that a confident hit goes before one that only just cleared the minimum.
        return [.. hits.OrderByDescending(h => h.Score >= 2 * _options.MinimumScore).Take(Math.Clamp(query.Limit, 1, 50))];

        static string Rank(int r) => r > 0 ? r.ToString(CultureInfo.InvariantCulture) : "–";
    }

    /// <summary>The quotable part of a chunk: for a question/answer chunk whose text repeats the question (the chunker puts heading and question first), the answer after it.</summary>
    internal static string QuoteText(string text, string? question)
    {
        if (question is null)
        {
            return text;
        }

        var at = text.IndexOf(question, StringComparison.Ordinal);
        var answer = at < 0 ? text : text[(at + question.Length)..].TrimStart(' ', '\n', '\r', '?', ':');
        return answer.Length == 0 ? text : answer;
    }
}
