using Hangfire;
using Portal.Rag.Ingestion;

namespace Portal.Jobs.Knowledge;

/// <summary>Puts knowledge work on Hangfire (ids only, never entities).</summary>
public sealed class HangfireKnowledgeJobQueue(IBackgroundJobClient jobs) : IKnowledgeJobQueue
{
    /// <inheritdoc />
    public void EnqueueIndex(Guid tenantId, Guid documentId) =>
        jobs.Enqueue<IndexKnowledgeDocumentJob>(j => j.RunAsync(tenantId, documentId, CancellationToken.None));

    /// <inheritdoc />
    public void EnqueueEmbedMissing(Guid tenantId) =>
        jobs.Enqueue<EmbedMissingChunksJob>(j => j.RunAsync(tenantId, CancellationToken.None));
}
