using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Portal.Rag.Embeddings;
using Portal.Rag.Retrieval;

namespace Portal.Rag.Tests.Embeddings;

public sealed class SentenceEmbedderTests
{
    /// <summary>Counts the texts the generator is asked for.</summary>
    private sealed class CountingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly HashedNgramEmbeddingGenerator _inner = new(64);

        public List<string> Asked { get; } = [];

        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            lock (Asked)
            {
                Asked.AddRange(list);
            }

            return await _inner.GenerateAsync(list, options, cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => _inner.GetService(serviceType, serviceKey);

        public void Dispose() => _inner.Dispose();
    }

    [Fact]
    public async Task Embed_AsksTheGeneratorOnceForEachNewText_AndServesRepeatsFromTheCache()
    {
        using var generator = new CountingGenerator();
        var embedder = new SentenceEmbedder(Options.Create(new LocalEmbeddingOptions()), generator);

        var first = await embedder.EmbedAsync(["We open at 9.", "Parking is free.", "We open at 9."], CancellationToken.None);
        var second = await embedder.EmbedAsync(["Parking is free.", "Cards only."], CancellationToken.None);

        Assert.Equal(["We open at 9.", "Parking is free.", "Cards only."], generator.Asked);
        Assert.Same(first[0], first[2]);
        Assert.Same(first[1], second[0]);
        Assert.Equal(3, embedder.CachedCount);
        Assert.Equal(HashedNgramEmbeddingGenerator.ModelId, embedder.ModelId);
    }

    [Fact]
    public async Task Embed_DoesNotCacheLongTexts_AndEmptiesAFullCache()
    {
        using var generator = new CountingGenerator();
        var embedder = new SentenceEmbedder(Options.Create(new LocalEmbeddingOptions { SentenceCacheEntries = 2 }), generator);
        var longText = new string('a', SentenceEmbedder.MaxCachedCharacters + 1);

        await embedder.EmbedAsync([longText], CancellationToken.None);
        await embedder.EmbedAsync([longText], CancellationToken.None);
        await embedder.EmbedAsync(["one", "two"], CancellationToken.None);
        await embedder.EmbedAsync(["three"], CancellationToken.None);

        Assert.Equal(2, generator.Asked.Count(t => t == longText));
        Assert.Equal(1, embedder.CachedCount); // full at two: emptied, then "three" added
    }

    [Fact]
    public async Task WithoutAGenerator_IsNotAvailable_AndEmbeddingThrows()
    {
        var embedder = new SentenceEmbedder(Options.Create(new LocalEmbeddingOptions()));

        Assert.False(embedder.IsAvailable);
        Assert.Null(embedder.ModelId);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await embedder.EmbedAsync(["hi"], CancellationToken.None));
    }
}
