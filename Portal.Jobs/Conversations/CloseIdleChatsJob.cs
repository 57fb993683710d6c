using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;

namespace Portal.Jobs.Conversations;

/// <summary>
/// Ends chats nobody is typing in any more: an open chat (web chat or the owner's console, every channel but voice, whose
/// calls <see cref="Calls.CloseOrphanedCallsJob"/> closes) with no activity for <see cref="IdleMinutes"/> minutes is ended
/// with its outcome: one the conversation already settled (booked, message taken, answered…) is kept, and one still
/// <see cref="ConversationOutcome.InProgress"/> becomes <see cref="ConversationOutcome.Abandoned"/> (the visitor left
/// before anything was settled). Without it an idle chat stays "in progress" for ever and skews the owner's figures.
/// Safe to run twice and beside a turn being written: one conditional UPDATE touches only chats still open and still
/// idle at that moment.
/// </summary>
public sealed class CloseIdleChatsJob(
    IDbContextFactory<PortalDbContext> contextFactory,
    TimeProvider timeProvider,
    IConfiguration configuration,
    ILogger<CloseIdleChatsJob> logger)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "chats:close-idle";

    /// <summary>Configuration key of the idle time, in minutes (default 30).</summary>
    public const string IdleMinutesKey = "Chats:IdleMinutes";

    /// <summary>Minutes without activity (no turn or other update) after which an open chat is ended.</summary>
    public int IdleMinutes => Math.Max(1, configuration.GetValue(IdleMinutesKey, 30));

    /// <summary>Ends idle chats; returns how many.</summary>
    [AutomaticRetry(Attempts = 3)] // a transient database error is the only expected failure; the update is idempotent
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var cutoff = now - TimeSpan.FromMinutes(IdleMinutes);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Cross-tenant sweep: the job runs outside any tenant and must see every business's chats.
        var idle = db.Conversations.IgnoreQueryFilters()
            .Where(c => c.Channel != Channel.Voice && c.EndedAt == null && c.UpdatedAt < cutoff);
        var ids = await idle.Select(c => c.Id).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return 0;
        }

        // The idle condition is checked again in the UPDATE: a message that arrived since the SELECT keeps its chat open.
        int closed = await idle.Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(
            s => s.SetProperty(c => c.EndedAt, now)
                .SetProperty(c => c.Outcome, c => c.Outcome == ConversationOutcome.InProgress ? ConversationOutcome.Abandoned : c.Outcome)
                .SetProperty(c => c.UpdatedAt, now),
            cancellationToken);
        logger.LogInformation("Ended {Count} chats idle for {Minutes} minutes", closed, IdleMinutes);
        return closed;
    }
}
