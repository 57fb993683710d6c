using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Data;
using Portal.Data.Entities;
using Portal.IntegrationTests.Infrastructure;
using Portal.Rag.Extraction;
using Portal.Rag.Ingestion;
using Portal.Rag.Retrieval;

namespace Portal.IntegrationTests.Knowledge;

/// <summary>
/// The app with the knowledge job queue replaced by a recorder (tests run the indexer themselves, so every status
/// is observable) and a spy extractor for ".spy" files that records the document's status while it reads and can be
/// told to fail. Website import may crawl 127.0.0.1. Lexical retrieval only (the local embedding model is switched off
/// unless <see cref="LocalEmbeddings"/>), no language model.
/// </summary>
public class KnowledgeAppFactory : PortalAppFactory
{
    /// <summary>True: the app's keyless default, the bundled MiniLM embedding model, is on.</summary>
    protected virtual bool LocalEmbeddings => false;

    public RecordingJobQueue Queue { get; } = new();

    public SpyExtractor Spy { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Website import crawls test sites on 127.0.0.1 (refused by default against SSRF); slow pages give up after 2 s.
        builder.UseSetting("Knowledge:Crawl:AllowLoopback", "true");
        builder.UseSetting("Knowledge:Crawl:RequestTimeout", "00:00:02");
        builder.UseSetting("Knowledge:LocalEmbeddings:Enabled", LocalEmbeddings ? "true" : "false");
        if (Environment.GetEnvironmentVariable("PORTAL_EVAL_DUMP") is not null)
        {
            builder.UseSetting("Knowledge:MinimumScore", "0");
            builder.UseSetting("Knowledge:LocalEmbeddings:MinimumCosine", "-1");
            builder.UseSetting("Knowledge:LocalEmbeddings:RetrievalMinimumCosine", "-1");
            builder.UseSetting("Knowledge:LocalEmbeddings:UnrelatedCosine", "-1");
        }
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IKnowledgeJobQueue>();
            services.AddSingleton<IKnowledgeJobQueue>(Queue);
            services.AddSingleton<IDocumentExtractor>(Spy);
            ConfigureKnowledge(services);
        });
    }

    protected virtual void ConfigureKnowledge(IServiceCollection services)
    {
    }

    /// <summary>Runs the indexer for <paramref name="documentId"/> as the job would (no tenant context).</summary>
    public async Task<KnowledgeStatus?> IndexAsync(Guid tenantId, Guid documentId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KnowledgeIndexer>().RunAsync(tenantId, documentId, CancellationToken.None);
    }

    /// <summary>Reads a document and its chunks, ignoring tenancy (test inspection).</summary>
    public async Task<(KnowledgeDocument? Document, List<KnowledgeChunk> Chunks, bool HasFile)> ReadAsync(Guid documentId)
    {
        await using var scope = Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var doc = await db.KnowledgeDocuments.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(d => d.Id == documentId);
        var chunks = await db.KnowledgeChunks.IgnoreQueryFilters().AsNoTracking().Where(c => c.DocumentId == documentId).OrderBy(c => c.Ordinal).ToListAsync();
        var file = await db.KnowledgeFiles.IgnoreQueryFilters().AnyAsync(f => f.DocumentId == documentId);
        return (doc, chunks, file);
    }
}

/// <summary>The same app with the local hashed n-gram embeddings (dense path) and a fake language model that records its prompts.</summary>
public sealed class DenseKnowledgeAppFactory : KnowledgeAppFactory
{
    public RecordingChatClient Chat { get; } = new();

    protected override void ConfigureKnowledge(IServiceCollection services)
    {
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashedNgramEmbeddingGenerator());
        services.AddSingleton<IChatClient>(Chat);
    }
}

/// <summary>The app as deployed without an embedding API: the bundled all-MiniLM-L6-v2 model gives the dense vectors.</summary>
public sealed class LocalEmbeddingKnowledgeAppFactory : KnowledgeAppFactory
{
    protected override bool LocalEmbeddings => true;
}

/// <summary>Records what would be put on Hangfire.</summary>
public sealed class RecordingJobQueue : IKnowledgeJobQueue
{
    public ConcurrentQueue<(Guid TenantId, Guid DocumentId)> Indexed { get; } = new();

    public ConcurrentQueue<Guid> Embeds { get; } = new();

    public void EnqueueIndex(Guid tenantId, Guid documentId) => Indexed.Enqueue((tenantId, documentId));

    public void EnqueueEmbedMissing(Guid tenantId) => Embeds.Enqueue(tenantId);
}

/// <summary>Reads ".spy" files as plain text, recording the document status seen in the database while reading; throws when <see cref="FailWith"/> is set.</summary>
public sealed class SpyExtractor : IDocumentExtractor
{
    public string? FailWith { get; set; }

    public Func<Task<KnowledgeStatus?>>? StatusProbe { get; set; }

    public ConcurrentQueue<KnowledgeStatus?> StatusesSeen { get; } = new();

    public bool Supports(string extension) => extension == ".spy";

    public async Task<ExtractedDocument> ExtractAsync(Stream content, string fileName, ExtractionLimits limits, CancellationToken cancellationToken)
    {
        if (StatusProbe is not null)
        {
            StatusesSeen.Enqueue(await StatusProbe());
        }

        if (FailWith is { } reason)
        {
            throw new DocumentExtractionException(reason);
        }

        using var reader = new StreamReader(content);
        var text = await reader.ReadToEndAsync(cancellationToken);
        return TextExtractor.Extract(text, fileName);
    }
}

/// <summary>A language model stand-in that records the messages it gets and replies with <see cref="Reply"/>.</summary>
public sealed class RecordingChatClient : IChatClient
{
    public string Reply { get; set; } = "A cleaning is $120 [1].";

    public ConcurrentQueue<IReadOnlyList<ChatMessage>> Prompts { get; } = new();

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Prompts.Enqueue([.. messages]);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Reply)));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The knowledge base does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
