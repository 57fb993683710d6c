using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Domain.Conversations;

/// <summary>Calls of the current business whose agent voice failed in a recent window (owner's dashboard).</summary>
/// <param name="Calls">Calls with at least one speech-synthesis failure.</param>
/// <param name="Failures">Failures counted over those calls.</param>
/// <param name="LastConversationId">The latest such call, or null when there is none.</param>
/// <param name="LastAt">When that call started (UTC), or null.</param>
/// <param name="LastReason">Its last failure, for people, or null.</param>
public sealed record SpeechFailureSummary(int Calls, int Failures, Guid? LastConversationId, DateTimeOffset? LastAt, string? LastReason);

/// <summary>
/// Reads the speech-synthesis failures that calls counted (<see cref="CallConversationService.RecordSpeechFailureAsync"/>) for
/// the current tenant only (the tenant query filter applies): the dashboard tells the owner their voice failed, so they can
/// choose another on the Agent page.
/// </summary>
public sealed class SpeechFailureReport(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider)
{
    /// <summary>The window the dashboard reports, in days.</summary>
    public const int Days = 7;

    /// <summary>Calls started in the last <see cref="Days"/> days whose speech synthesis failed at least once.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The summary (zeros when there were none).</returns>
    public async Task<SpeechFailureSummary> RecentAsync(CancellationToken cancellationToken)
    {
        var since = timeProvider.GetUtcNow().AddDays(-Days);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var failed = db.Conversations.AsNoTracking().Where(c => c.StartedAt >= since && c.SpeechFailures > 0);
        var totals = await failed.GroupBy(_ => 1)
            .Select(g => new { Calls = g.Count(), Failures = g.Sum(c => c.SpeechFailures) })
            .FirstOrDefaultAsync(cancellationToken);
        if (totals is null)
        {
            return new SpeechFailureSummary(0, 0, null, null, null);
        }

        var last = await failed.OrderByDescending(c => c.StartedAt)
            .Select(c => new { c.Id, c.StartedAt, c.SpeechFailureReason })
            .FirstAsync(cancellationToken);
        return new SpeechFailureSummary(totals.Calls, totals.Failures, last.Id, last.StartedAt, last.SpeechFailureReason);
    }
}
