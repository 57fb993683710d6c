using Hangfire;
using Portal.Rag.Ingestion;

namespace Portal.Jobs.Knowledge;

/// <summary>Embeds a tenant's chunks that have no vector of the configured model (after FAQ changes). Safe to run twice.</summary>
public sealed class EmbedMissingChunksJob(KnowledgeIndexer indexer)
{
    /// <summary>Embeds what is missing; returns how many chunks were embedded.</summary>
    [AutomaticRetry(Attempts = 3)] // the embedding provider may be briefly unavailable; the work is idempotent
    public Task<int> RunAsync(Guid tenantId, CancellationToken cancellationToken) => indexer.EmbedMissingAsync(tenantId, cancellationToken);
}
