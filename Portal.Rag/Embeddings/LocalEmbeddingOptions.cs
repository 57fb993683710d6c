using System.ComponentModel.DataAnnotations;

namespace Portal.Rag.Embeddings;

/// <summary>
/// The bundled sentence-embedding model used when no embedding API is configured (configuration section
/// <c>Knowledge:LocalEmbeddings</c>; docs/decisions/ADR-012-local-embedding-model.md). Every value has a working default.
/// </summary>
public sealed class LocalEmbeddingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Knowledge:LocalEmbeddings";

    /// <summary>False: no local model, so without an embedding API retrieval is lexical only (full text + trigram).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Most inferences run at once, each on one CPU thread. Default: half the cores, at least one, so embedding never
    /// takes every core from the web app. A request for a few short sentences (a caller's question) has one more slot of
    /// its own, so it does not queue behind a document being embedded.
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Texts per inference call for long texts (chunks): small, so the bulk lane lets go of the CPU often.</summary>
    [Range(1, 256)]
    public int BatchSize { get; set; } = 8;

    /// <summary>
    /// Characters of a text given to the model; the rest is cut at a word boundary. all-MiniLM-L6-v2 was trained on at
    /// most 256 word pieces (about 1,000 to 1,200 characters of English) and sentence-transformers truncates there
    /// (https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2), so more text only costs time.
    /// </summary>
    [Range(64, 10_000)]
    public int MaxCharacters { get; set; } = 1200;

    /// <summary>
    /// Lowest cosine similarity (−1..1) at which a MiniLM cosine counts as a confident match by itself in sentence relevance
    /// (answer composition); retrieval says dense-only hits from <see cref="RetrievalMinimumCosine"/> instead, because it
    /// also vetoes unrelated lexical hits (<see cref="UnrelatedCosine"/>). The model's cosines
    /// for a right answer and for the nearest wrong one overlap (retrieval eval: right answers to paraphrases 0.20 to 0.59,
    /// best match of out-of-scope questions up to 0.64), so the default keeps the out-of-scope rejection of lexical
    /// retrieval (0.826): 0.45 answers 10 of 46 out-of-scope questions, 0.55 answers 8 (docs/benchmarks.md).
    /// </summary>
    public double MinimumCosine { get; set; } = 0.55;

    /// <summary>
    /// Lowest cosine (−1..1) at which retrieval says a MiniLM dense hit that no lexical arm supports, once lexical hits the
    /// model calls unrelated (<see cref="UnrelatedCosine"/>) are dropped: the veto stops 2 of the 8 out-of-scope questions
    /// the eval answered at 0.55, so the dense gate can sit lower than <see cref="MinimumCosine"/> (which sentence relevance
    /// keeps) at the same out-of-scope rejection (retrieval eval 2026-12-06: 0.46 with the veto answers 8 of 46, as 0.55
    /// without it did, and says paraphrase answers for 0.294 of the semantic questions instead of 0.176; docs/benchmarks.md,
    /// "Answerability").
    /// </summary>
    [Range(-1.0, 1.0)]
    public double RetrievalMinimumCosine { get; set; } = 0.46;

    /// <summary>
    /// Highest cosine (−1..1) at which MiniLM calls a chunk unrelated to the question: a hit found only through shared words
    /// whose chunk scores below it is a word or synonym coincidence ("do you have a drive through" against the parking FAQ,
    /// 0.13) and is not said. Of the 26 lexical hits of the retrieval eval below 0.15, 25 were wrong and 1 right; fitted on
    /// either half of the eval alone it came out at 0.15 both times (docs/benchmarks.md, "Answerability").
    /// </summary>
    [Range(-1.0, 1.0)]
    public double UnrelatedCosine { get; set; } = 0.15;

    /// <summary>Short texts (answer sentences, questions, FAQ questions) whose vectors are kept in memory by <see cref="SentenceEmbedder"/>.</summary>
    [Range(0, 1_000_000)]
    public int SentenceCacheEntries { get; set; } = 20_000;
}
