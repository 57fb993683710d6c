using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Rag.Embeddings;

namespace Portal.Rag.Tests.Embeddings;

/// <summary>Which embedding provider <see cref="DependencyInjection.AddPortalRag(IHostApplicationBuilder)"/> registers for a configuration.</summary>
public sealed class EmbeddingRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPortalRag();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void Keyless_RegistersTheLocalMiniLmModel_AsOneSingleton()
    {
        using var services = Build([]);

        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.IsType<MiniLmEmbeddingGenerator>(generator);
        Assert.Same(generator, services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Same(generator, services.GetRequiredService<MiniLmEmbeddingGenerator>());
        Assert.False(((MiniLmEmbeddingGenerator)generator).IsLoaded); // resolving does not load the model
        Assert.Equal(MiniLmEmbeddingGenerator.ModelId, services.GetRequiredService<SentenceEmbedder>().ModelId);
        services.Dispose(); // disposes the one instance under both registrations: must not throw
    }

    [Fact]
    public void AnEmbeddingApi_KeepsTheApiProvider()
    {
        using var services = Build(new()
        {
            ["Knowledge:Embeddings:Endpoint"] = "http://127.0.0.1:9/v1",
            ["Knowledge:Embeddings:Model"] = "text-embedding-3-small",
        });

        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.IsNotType<MiniLmEmbeddingGenerator>(generator);
        Assert.Equal("text-embedding-3-small", generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
        Assert.Null(services.GetService<MiniLmEmbeddingGenerator>());
        Assert.Equal("text-embedding-3-small", services.GetRequiredService<SentenceEmbedder>().ModelId);
    }

    [Fact]
    public void LocalEmbeddingsSwitchedOff_LeavesRetrievalLexical()
    {
        using var services = Build(new() { ["Knowledge:LocalEmbeddings:Enabled"] = "false" });

        Assert.Null(services.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.False(services.GetRequiredService<SentenceEmbedder>().IsAvailable);
    }
}
