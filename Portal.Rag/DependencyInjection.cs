using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Portal.Domain.Knowledge;
using Portal.Rag.Chunking;
using Portal.Rag.Crawling;
using Portal.Rag.Embeddings;
using Portal.Rag.Extraction;
using Portal.Rag.Ingestion;
using Portal.Rag.Retrieval;

namespace Portal.Rag;

/// <summary>Registers Portal.Rag.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Adds the knowledge base (PostgreSQL full-text + trigram + dense retrieval) with its embedding provider: an
    /// OpenAI-compatible API when <c>Knowledge:Embeddings:Endpoint</c> is configured
    /// (https://platform.openai.com/docs/api-reference/embeddings), otherwise the bundled local model
    /// (<see cref="MiniLmEmbeddingGenerator"/>) unless <c>Knowledge:LocalEmbeddings:Enabled</c> is false.
    /// </summary>
    public static IHostApplicationBuilder AddPortalRag(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPortalRag();
        var embeddings = builder.Configuration.GetSection($"{KnowledgeOptions.SectionName}:Embeddings").Get<EmbeddingProviderOptions>();
        if (embeddings?.Endpoint is { } endpoint)
        {
            builder.Services.AddEmbeddingGenerator(_ => new OpenAI.Embeddings.EmbeddingClient(
                    embeddings.Model,
                    new ApiKeyCredential(string.IsNullOrEmpty(embeddings.ApiKey) ? "unused" : embeddings.ApiKey),
                    new OpenAI.OpenAIClientOptions { Endpoint = endpoint })
                .AsIEmbeddingGenerator());
        }
        else if (builder.Configuration.GetValue($"{LocalEmbeddingOptions.SectionName}:{nameof(LocalEmbeddingOptions.Enabled)}", true))
        {
            builder.Services.AddLocalEmbeddings();
        }

        return builder;
    }

    /// <summary>
    /// Makes the bundled all-MiniLM-L6-v2 model (<see cref="MiniLmEmbeddingGenerator"/>, one singleton, loaded on first use)
    /// the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, unless another generator is already registered.
    /// </summary>
    public static IServiceCollection AddLocalEmbeddings(this IServiceCollection services)
    {
        services.TryAddSingleton<MiniLmEmbeddingGenerator>();
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<MiniLmEmbeddingGenerator>());
        return services;
    }

    /// <summary>
    /// Adds the knowledge base to a service collection: retrieval, gaps, the owner's operations and the indexer, reading
    /// uploads with <see cref="DocumentExtractors"/> (PDF, DOCX, XLSX, CSV, text, HTML), chunking with the token-bounded
    /// <see cref="Chunker"/> (unless another <see cref="ITextChunker"/> is registered first) and importing websites with
    /// <see cref="WebsiteCrawler"/> bounded by <c>Knowledge:Crawl</c> (<see cref="CrawlOptions"/>).
    /// </summary>
    public static IServiceCollection AddPortalRag(this IServiceCollection services)
    {
        services.AddOptions<KnowledgeOptions>()
            .Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(KnowledgeOptions.SectionName).Bind(o))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<LocalEmbeddingOptions>()
            .Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(LocalEmbeddingOptions.SectionName).Bind(o))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<SentenceEmbedder>();
        services.AddSingleton<TenantVectorCache>();
        services.AddSingleton<TenantLexiconCache>();
        services.AddSingleton<KnowledgeGapStore>();
        services.AddSingleton<SentenceRelevance>();
        services.AddScoped<IKnowledgeBase, PostgresKnowledgeBase>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDocumentExtractor, DocumentExtractors>());
        services.TryAddSingleton<ITextChunker>(_ => new Chunker());
        services.AddOptions<CrawlOptions>()
            .Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(CrawlingWebsiteImporter.SectionName).Bind(o));
        services.TryAddSingleton(_ => new PublicAddressGuard());
        services.AddHttpClient<WebsiteCrawler>((sp, client) =>
            {
                // Longer than one page's timeout: the crawler cancels slow pages itself and keeps crawling.
                client.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<CrawlOptions>>().Value.RequestTimeout + TimeSpan.FromSeconds(5);
            })
            // Against SSRF: connects only to checked public addresses, follows no redirects (the crawler does, hop by hop).
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<PublicAddressGuard>().CreateHandler());
        services.TryAddScoped<IWebsiteCrawler, CrawlingWebsiteImporter>();
        services.AddScoped<KnowledgeService>();
        services.AddScoped<KnowledgeIndexer>();
        return services;
    }
}
