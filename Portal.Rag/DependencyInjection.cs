using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Domain.Knowledge;
using Portal.Rag.Lexical;

namespace Portal.Rag;

/// <summary>Registers Portal.Rag.</summary>
public static class DependencyInjection
{
    /// <summary>Adds the knowledge base (keyless: in-memory BM25 per tenant).</summary>
    public static IHostApplicationBuilder AddPortalRag(this IHostApplicationBuilder builder)
    {
        builder.Services.AddPortalRag();
        return builder;
    }

    /// <summary>Adds the knowledge base to a service collection.</summary>
    public static IServiceCollection AddPortalRag(this IServiceCollection services)
    {
        services.AddSingleton<IKnowledgeBase, InMemoryKnowledgeBase>();
        services.AddScoped<Ingestion.TextDocumentIngestor>();
        return services;
    }
}
