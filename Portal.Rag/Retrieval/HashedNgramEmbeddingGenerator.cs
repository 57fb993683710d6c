using Microsoft.Extensions.AI;

namespace Portal.Rag.Retrieval;

/// <summary>
/// A deterministic local <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> for tests and the retrieval eval only:
/// character 3- to 5-grams of the lower-cased words (with word boundaries) hashed (FNV-1a, 32-bit) into
/// <see cref="Dimensions"/> buckets with a ±1 sign from a second hash bit, then L2-normalized. It carries no meaning
/// beyond shared spelling; it exists to exercise the dense code path without a provider.
/// </summary>
public sealed class HashedNgramEmbeddingGenerator(int dimensions = 256) : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Model id reported in metadata and stored with the vectors.</summary>
    public const string ModelId = "local-hashed-ngrams";

    private readonly EmbeddingGeneratorMetadata _metadata = new("local", null, ModelId, dimensions);

    /// <summary>Vector length.</summary>
    public int Dimensions { get; } = dimensions > 0 ? dimensions : throw new ArgumentOutOfRangeException(nameof(dimensions));

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            result.Add(new Embedding<float>(Embed(value)) { ModelId = ModelId });
        }

        return Task.FromResult(result);
    }

    /// <summary>The vector of <paramref name="text"/>.</summary>
    public float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var w = "<" + new string([.. word.Where(char.IsLetterOrDigit)]) + ">";
            if (w.Length <= 2)
            {
                continue;
            }

            for (var n = 3; n <= 5; n++)
            {
                for (var i = 0; i + n <= w.Length; i++)
                {
                    var h = Fnv(w.AsSpan(i, n));
                    vector[(int)(h % (uint)Dimensions)] += (h & 0x8000_0000) == 0 ? 1 : -1;
                }
            }
        }

        VectorMatrix.Normalize(vector);
        return vector;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static uint Fnv(ReadOnlySpan<char> s)
    {
        var h = 2166136261u;
        foreach (var c in s)
        {
            h = (h ^ c) * 16777619u;
        }

        return h;
    }
}
