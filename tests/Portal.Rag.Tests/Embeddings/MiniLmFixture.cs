using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Rag.Embeddings;

namespace Portal.Rag.Tests.Embeddings;

/// <summary>One loaded model for the test class (loading it takes a few hundred milliseconds and about 200 MB).</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEmbeddingGenerator Generator { get; } = new(Options.Create(new LocalEmbeddingOptions()), NullLogger<MiniLmEmbeddingGenerator>.Instance);

    public void Dispose() => Generator.Dispose();
}
