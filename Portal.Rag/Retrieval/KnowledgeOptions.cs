using System.ComponentModel.DataAnnotations;
using Portal.Data.Entities;
using Portal.Rag.Extraction;

namespace Portal.Rag.Retrieval;

/// <summary>Knowledge base settings (configuration section <c>Knowledge</c>); every value has a working default.</summary>
public sealed class KnowledgeOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Knowledge";

    /// <summary>
    /// Confidence (0..1) below which a hit is dropped and the answer is "I don't know". 0.35 balances the retrieval eval
    /// (docs/benchmarks.md): lexical hit@5 0.955 and out-of-scope rejection 0.783 at 0.30, 0.921 and 0.826 at 0.35, 0.899 and
    /// 0.870 at 0.40.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinimumScore { get; set; } = 0.35;

    /// <summary>Candidates taken from each retriever (full-text, trigram, dense) before fusion.</summary>
    [Range(1, 200)]
    public int CandidatesPerRetriever { get; set; } = 20;

    /// <summary>
    /// Most chunks (estimated from the tenant's word statistics, <see cref="TenantLexiconCache"/>) the full-text candidate
    /// filter may select before its most common terms are left out of the filter (they still count in the ranking), so
    /// <c>ts_rank_cd</c> runs on a bounded set however large the knowledge base.
    /// </summary>
    [Range(50, 100_000)]
    public int FullTextCandidateBudget { get; set; } = 500;

    /// <summary>
    /// Reciprocal rank fusion constant k: score = Σ 1 / (k + rank). 60 as in Cormack, Clarke and Büttcher,
    /// "Reciprocal Rank Fusion outperforms Condorcet and individual Rank Learning Methods", SIGIR 2009.
    /// </summary>
    [Range(1, 1000)]
    public int RrfK { get; set; } = 60;

    /// <summary>
    /// Lowest cosine similarity (−1..1) at which a dense hit counts as a confident match by itself, for an embedding model
    /// that brings no calibration of its own (an API model); the local model has
    /// <see cref="Embeddings.LocalEmbeddingOptions.MinimumCosine"/>.
    /// </summary>
    [Range(-1.0, 1.0)]
    public double MinimumCosine { get; set; } = 0.5;

    /// <summary>Largest uploaded file, bytes (enforced while reading the upload).</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Most PDF pages read per file.</summary>
    [Range(1, 100_000)]
    public int MaxPages { get; set; } = 500;

    /// <summary>Most spreadsheet rows read per file.</summary>
    [Range(1, 1_000_000)]
    public int MaxRows { get; set; } = 5000;

    /// <summary>Chunks embedded per request to the embedding provider.</summary>
    [Range(1, 2048)]
    public int EmbeddingBatchSize { get; set; } = 64;

    /// <summary>
    /// Optional OpenAI-compatible embedding provider; absent = the bundled local model
    /// (<see cref="Embeddings.LocalEmbeddingOptions"/>, <c>Knowledge:LocalEmbeddings</c>).
    /// </summary>
    public EmbeddingProviderOptions? Embeddings { get; set; }

    /// <summary>Most bytes a DOCX or XLSX may inflate to when opened, all parts together (expansion-bomb bound).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUncompressedBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Most parts (ZIP entries) a DOCX or XLSX may hold.</summary>
    [Range(1, 1_000_000)]
    public int MaxArchiveEntries { get; set; } = 1000;

    /// <summary>Most characters of text one file, or one whole website import, may yield.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTextChars { get; set; } = 2_000_000;

    /// <summary>Most chunks one document may be split into; a larger document is refused, nothing indexed.</summary>
    [Range(1, 10_000_000)]
    public int MaxChunksPerDocument { get; set; } = 5_000;

    /// <summary>
    /// Most chunks a business may hold over all its documents, by price plan (<see cref="Plan"/>); a document that would
    /// take the business over its plan's allowance is refused. Configuration <c>Knowledge:MaxChunksPerTenant:Growth</c>.
    /// </summary>
    public Dictionary<Plan, int> MaxChunksPerTenant { get; set; } = new()
    {
        [Plan.PayAsYouGo] = 20_000,
        [Plan.Growth] = 50_000,
        [Plan.Enterprise] = 200_000,
        [Plan.WhiteLabel] = 200_000,
    };

    /// <summary>The chunk allowance of <paramref name="plan"/> (the pay-as-you-go one when the plan is not configured).</summary>
    public int ChunkAllowance(Plan plan) =>
        MaxChunksPerTenant.TryGetValue(plan, out var max) ? max : MaxChunksPerTenant.GetValueOrDefault(Plan.PayAsYouGo, 20_000);

    /// <summary>The extraction limits these settings describe.</summary>
    public ExtractionLimits Limits => new(MaxFileBytes, MaxPages, MaxRows, MaxUncompressedBytes, MaxArchiveEntries, MaxTextChars);
}

/// <summary>An OpenAI-compatible <c>/v1/embeddings</c> endpoint (https://platform.openai.com/docs/api-reference/embeddings).</summary>
public sealed class EmbeddingProviderOptions
{
    /// <summary>Base address including <c>/v1</c>, e.g. <c>https://api.openai.com/v1</c>.</summary>
    [Required]
    public Uri? Endpoint { get; set; }

    /// <summary>Bearer key (from the environment or a secret store; never logged).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Model name, e.g. <c>text-embedding-3-small</c>.</summary>
    [Required]
    public string Model { get; set; } = "text-embedding-3-small";
}
