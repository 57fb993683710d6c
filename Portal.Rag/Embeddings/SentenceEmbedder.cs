using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Portal.Rag.Retrieval;

namespace Portal.Rag.Embeddings;

/// <summary>
/// A cheap way to embed a batch of short texts (a caller's question, the sentences of candidate answers, the owner's FAQ
/// questions) with whichever <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> is configured (the local MiniLM model
/// by default, an API model when one is configured): one call to the generator for the texts not seen before, unit-length
/// vectors, and the vectors of texts up to <see cref="MaxCachedCharacters"/> characters kept in memory (the same answer
/// sentences and FAQ questions come back on every call about them; <see cref="LocalEmbeddingOptions.SentenceCacheEntries"/>
/// of them, the cache is emptied when full). Vectors of different models are never mixed: the cache key includes the
/// model. Thread-safe singleton, always registered; <see cref="IsAvailable"/> is false when no generator is (retrieval
/// is then lexical only, and callers do without vectors).
/// </summary>
public sealed class SentenceEmbedder(IOptions<LocalEmbeddingOptions> options, IEmbeddingGenerator<string, Embedding<float>>? generator = null)
{
    /// <summary>Texts longer than this (characters) are embedded but not cached.</summary>
    public const int MaxCachedCharacters = 500;

    private readonly ConcurrentDictionary<string, float[]> _cache = new(StringComparer.Ordinal);
    private readonly int _capacity = options.Value.SentenceCacheEntries;

    /// <summary>True when an embedding generator is configured.</summary>
    public bool IsAvailable => generator is not null;

    /// <summary>The model the vectors come from (stored with chunk vectors; compare only vectors of one model); null when none.</summary>
    public string? ModelId { get; } = generator is null ? null : PostgresKnowledgeBase.EmbeddingModelName(generator);

    /// <summary>Vectors held in the cache.</summary>
    public int CachedCount => _cache.Count;

    /// <summary>
    /// One unit-length vector per text, in order (the generator's dimensions: 384 for MiniLM). Throws
    /// <see cref="InvalidOperationException"/> when <see cref="IsAvailable"/> is false, and what the generator throws
    /// (<see cref="HttpRequestException"/> from an API provider that is down, <see cref="OperationCanceledException"/>).
    /// </summary>
    public async ValueTask<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (generator is null)
        {
            throw new InvalidOperationException("No embedding generator is configured.");
        }

        var result = new float[texts.Count][];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (_cache.TryGetValue(Key(texts[i]), out var cached))
            {
                result[i] = cached;
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count == 0)
        {
            return result;
        }

        // Each distinct text once.
        var distinct = missing.Select(i => texts[i]).Distinct(StringComparer.Ordinal).ToList();
        var generated = await generator.GenerateAsync(distinct, cancellationToken: cancellationToken);
        var byText = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var j = 0; j < distinct.Count; j++)
        {
            var vector = generated[j].Vector.ToArray();
            VectorMatrix.Normalize(vector);
            byText[distinct[j]] = vector;
            if (distinct[j].Length <= MaxCachedCharacters && _capacity > 0)
            {
                if (_cache.Count >= _capacity)
                {
                    // REVIEW: all-or-nothing eviction; an LRU pays only if the working set often exceeds the capacity.
                    _cache.Clear();
                }

                _cache[Key(distinct[j])] = vector;
            }
        }

        foreach (var i in missing)
        {
            result[i] = byText[texts[i]];
        }

        return result;
    }

    /// <summary>The vector of one text (see <see cref="EmbedAsync(IReadOnlyList{string}, CancellationToken)"/>).</summary>
    public async ValueTask<float[]> EmbedAsync(string text, CancellationToken cancellationToken) =>
        (await EmbedAsync([text], cancellationToken))[0];

    /// <summary>Cosine similarity of two unit-length vectors of the same length (their dot product).</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    private string Key(string text) => ModelId + "\n" + text;
}
