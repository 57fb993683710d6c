using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Rag.Embeddings;
using Portal.Rag.Lexical;

namespace Portal.Rag.Retrieval;

/// <summary>
/// How well short texts (the sentences of retrieved chunks, FAQ questions) match a question, in 0..1, with the same
/// models as retrieval so the sentence an answer quotes is chosen the way its chunk was found: the lexical coverage of
/// <see cref="Bm25Index"/> (stems, receptionist synonyms, typo correction, IDF from the tenant's whole knowledge base when
/// given) and, when an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> is registered, the cosine similarity of the
/// embedding vectors. As in <see cref="PostgresKnowledgeBase"/>, a text's score is the larger of the two, the cosine
/// counting only from the model's calibrated minimum (<see cref="EmbeddingCalibration"/>, else
/// <see cref="KnowledgeOptions.MinimumCosine"/>). Vectors come from the process-wide <see cref="SentenceEmbedder"/>, so
/// the sentences of a tenant's documents are embedded once and shared with retrieval's query embedding.
/// </summary>
public sealed class SentenceRelevance(
    IOptions<KnowledgeOptions> options,
    ILogger<SentenceRelevance>? logger = null,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
    SentenceEmbedder? embedder = null)
{
    private readonly SentenceEmbedder _embedder = embedder ?? new SentenceEmbedder(Options.Create(new LocalEmbeddingOptions()), embeddings);
    private readonly double _minimumCosine = embeddings?.GetService<EmbeddingCalibration>()?.MinimumCosine ?? options.Value.MinimumCosine;
    private readonly ILogger _logger = logger ?? NullLogger<SentenceRelevance>.Instance;

    /// <summary>True when scores include the embedding vectors.</summary>
    public bool DenseEnabled => _embedder.IsAvailable;

    /// <summary>
    /// Scores each of <paramref name="texts"/> against <paramref name="question"/> (0..1, in the order given).
    /// <paramref name="corpus"/> supplies IDFs from the tenant's whole knowledge base; without it the texts' own counts are used.
    /// An unreachable embedding provider leaves the lexical scores.
    /// </summary>
    public async ValueTask<IReadOnlyList<double>> ScoreAsync(string question, IReadOnlyList<string> texts, CorpusStatistics? corpus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var scores = Lexical(question, texts, corpus);
        if (!_embedder.IsAvailable || texts.Count == 0 || string.IsNullOrWhiteSpace(question))
        {
            return scores;
        }

        try
        {
            var vectors = await _embedder.EmbedAsync([question, .. texts], cancellationToken);
            for (var i = 0; i < texts.Count; i++)
            {
                if (vectors[0].Length != vectors[i + 1].Length)
                {
                    continue;
                }

                var cosine = TensorPrimitives.Dot(vectors[0], vectors[i + 1]);
                if (cosine >= _minimumCosine)
                {
                    scores[i] = Math.Clamp(Math.Max(scores[i], cosine), 0, 1);
                }
            }
        }
        catch (HttpRequestException ex)
        {
            // The provider is down: rank with the lexical scores rather than not at all.
            _logger.LogWarning(ex, "Embedding provider failed; sentences ranked lexically");
        }

        return scores;
    }

    /// <summary>The BM25 coverage (0..1) of <paramref name="question"/> by each text (<see cref="Bm25Index.Search"/>).</summary>
    public static double[] Lexical(string question, IReadOnlyList<string> texts, CorpusStatistics? corpus)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var scores = new double[texts.Count];
        if (texts.Count == 0 || string.IsNullOrWhiteSpace(question))
        {
            return scores;
        }

        var passages = texts.Select((t, i) => new Passage(IdOf(i), "", t, IsFaq: false)).ToList();
        foreach (var (passage, _, coverage) in new Bm25Index(passages, corpus).Search(question, texts.Count))
        {
            scores[IndexOf(passage.ItemId)] = coverage;
        }

        return scores;
    }

    private static Guid IdOf(int index)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, index);
        return new Guid(bytes);
    }

    private static int IndexOf(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        return BitConverter.ToInt32(bytes);
    }
}
