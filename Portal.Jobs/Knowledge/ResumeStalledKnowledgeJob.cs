using Hangfire;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Rag.Ingestion;

namespace Portal.Jobs.Knowledge;

/// <summary>
/// Re-queues knowledge documents left queued (the enqueue was lost, or rows came from a data migration) for
/// more than <see cref="QueuedGrace"/>, or processing for more than <see cref="ProcessingGrace"/> (the server
/// stopped mid-job). Safe to run twice: indexing the same document twice gives the same chunks.
/// </summary>
public sealed class ResumeStalledKnowledgeJob(IDbContextFactory<PortalDbContext> contextFactory, IKnowledgeJobQueue queue, TimeProvider clock)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "knowledge:resume-stalled";

    /// <summary>How long a document may stay queued before it is queued again.</summary>
    public static readonly TimeSpan QueuedGrace = TimeSpan.FromMinutes(2);

    /// <summary>How long a document may stay processing before it is queued again.</summary>
    public static readonly TimeSpan ProcessingGrace = TimeSpan.FromMinutes(30);

    /// <summary>Queues the stalled documents; returns how many.</summary>
    [AutomaticRetry(Attempts = 3)] // a transient database error is the only expected failure
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var queuedBefore = now - QueuedGrace;
        var processingBefore = now - ProcessingGrace;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Across tenants: a platform maintenance job.
        var stalled = await db.KnowledgeDocuments.IgnoreQueryFilters()
            .Where(d => d.Kind != KnowledgeKind.Faq
                && ((d.Status == KnowledgeStatus.Queued && d.UpdatedAt < queuedBefore) || (d.Status == KnowledgeStatus.Processing && d.UpdatedAt < processingBefore)))
            .Select(d => new { d.TenantId, d.Id })
            .Take(500)
            .ToListAsync(cancellationToken);
        foreach (var d in stalled)
        {
            queue.EnqueueIndex(d.TenantId, d.Id);
        }

        if (stalled.Count > 0)
        {
            var ids = stalled.Select(d => d.Id).ToList();
            await db.KnowledgeDocuments.IgnoreQueryFilters().Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(s => s.SetProperty(d => d.UpdatedAt, now), cancellationToken);
        }

        return stalled.Count;
    }
}
