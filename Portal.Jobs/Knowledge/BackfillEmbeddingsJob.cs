using Hangfire;
using Portal.Rag.Ingestion;

namespace Portal.Jobs.Knowledge;

/// <summary>
/// Gives vectors to stored chunks that have none of the configured model: every chunk indexed before an embedding provider
/// existed (keyless installs before the local model, ADR-012) and every chunk of another model after the model changed.
/// Queues one <see cref="EmbedMissingChunksJob"/> per such tenant (at most <see cref="TenantsPerRun"/> a run; the next run
/// takes the rest). Runs at startup and hourly. Safe to run twice: a tenant with nothing missing embeds nothing.
/// </summary>
public sealed class BackfillEmbeddingsJob(KnowledgeIndexer indexer, IKnowledgeJobQueue queue)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "knowledge:backfill-embeddings";

    /// <summary>Most tenants queued by one run.</summary>
    public const int TenantsPerRun = 200;

    /// <summary>Queues the tenants with chunks missing vectors; returns how many.</summary>
    [AutomaticRetry(Attempts = 3)] // a transient database error is the only expected failure
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var tenants = await indexer.TenantsMissingEmbeddingsAsync(TenantsPerRun, cancellationToken);
        foreach (var tenantId in tenants)
        {
            queue.EnqueueEmbedMissing(tenantId);
        }

        return tenants.Count;
    }
}
