using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Domain.Conversations;
using Portal.Domain.Data;
using Portal.Domain.Entities;

namespace Portal.Jobs.Calls;

/// <summary>
/// Closes voice calls that broke off without an end (the process crashed, the stream vanished, the end was never
/// written): open voice conversations with no activity for <see cref="IdleMinutes"/> minutes are ended as
/// <see cref="ConversationOutcome.Failed"/>, their turns left intact, and <see cref="ConversationService"/>'s
/// per-conversation turn gates are forgotten. Safe to run twice: only open conversations are touched.
/// </summary>
public sealed class CloseOrphanedCallsJob(
    IDbContextFactory<PortalDbContext> contextFactory,
    TimeProvider timeProvider,
    IConfiguration configuration,
    ILogger<CloseOrphanedCallsJob> logger)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "calls:close-orphaned";

    /// <summary>Configuration key of the idle time, in minutes (default 30, above the 15-minute default call limit).</summary>
    public const string IdleMinutesKey = "Calls:OrphanedAfterMinutes";

    /// <summary>Minutes without activity (no turn, status callback or other update) after which an open call is orphaned.</summary>
    public int IdleMinutes => Math.Max(1, configuration.GetValue(IdleMinutesKey, 30));

    /// <summary>Closes orphaned calls; returns how many.</summary>
    [AutomaticRetry(Attempts = 3)] // a transient database error is the only expected failure; the update is idempotent
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var cutoff = now - TimeSpan.FromMinutes(IdleMinutes);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Cross-tenant sweep: the job runs outside any tenant and must see every business's calls.
        var stale = db.Conversations.IgnoreQueryFilters()
            .Where(c => c.Channel == Channel.Voice && c.EndedAt == null && c.UpdatedAt < cutoff);
        var ids = await stale.Select(c => c.Id).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return 0;
        }

        int closed = await db.Conversations.IgnoreQueryFilters()
            .Where(c => ids.Contains(c.Id) && c.EndedAt == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(c => c.EndedAt, now)
                    .SetProperty(c => c.Outcome, ConversationOutcome.Failed)
                    .SetProperty(c => c.UpdatedAt, now),
                cancellationToken);
        foreach (var id in ids)
        {
            ConversationService.ForgetConversation(id);
        }

        logger.LogInformation("Closed {Count} orphaned calls as failed", closed);
        return closed;
    }
}
