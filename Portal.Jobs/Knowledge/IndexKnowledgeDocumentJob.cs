using Hangfire;
using Portal.Data.Entities;
using Portal.Rag.Ingestion;

namespace Portal.Jobs.Knowledge;

/// <summary>Extracts, chunks, embeds and indexes one uploaded file or website document (see <see cref="KnowledgeIndexer"/>). Safe to run twice.</summary>
public sealed class IndexKnowledgeDocumentJob(KnowledgeIndexer indexer)
{
    /// <summary>Indexes <paramref name="id"/> of <paramref name="tenantId"/>; returns the final status, null when the document was deleted meanwhile.</summary>
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Delete)] // only unexpected errors (database, provider) are rethrown; a bad file is marked failed and not retried
    public Task<KnowledgeStatus?> RunAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) => indexer.RunAsync(tenantId, id, cancellationToken);
}
