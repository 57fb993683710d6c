using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Conversations;

/// <summary>
/// The booking rate of a period, real conversations apart from the owner's tests (<see cref="Conversation.IsTest"/>):
/// a test that books does not make the agent look better, and one that does not book does not make it look worse.
/// </summary>
/// <param name="Conversations">Real conversations started in the period (every channel, open ones included).</param>
/// <param name="Booked">Real conversations whose outcome is <see cref="ConversationOutcome.Booked"/>.</param>
/// <param name="TestConversations">Test conversations started in the period (console chats, browser test calls).</param>
/// <param name="TestBooked">Test conversations that booked.</param>
public sealed record BookingRate(int Conversations, int Booked, int TestConversations, int TestBooked)
{
    /// <summary>Booked ÷ conversations of the real ones, in 0..1; null when there were none.</summary>
    public double? Rate => Conversations == 0 ? null : (double)Booked / Conversations;
}

/// <summary>Figures about the current tenant's conversations for the owner's dashboard (read through the tenant filter).</summary>
public sealed class ConversationMetrics(IDbContextFactory<PortalDbContext> contextFactory)
{
    /// <summary>
    /// The booking rate of conversations started at or after <paramref name="since"/> (UTC), tests counted apart. One
    /// query, grouped in the database. Throws <see cref="InvalidOperationException"/> or a database exception when the
    /// database cannot be read.
    /// </summary>
    public async Task<BookingRate> BookingRateAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var groups = await db.Conversations.AsNoTracking()
            .Where(c => c.StartedAt >= since)
            .GroupBy(c => c.IsTest)
            .Select(g => new { IsTest = g.Key, Count = g.Count(), Booked = g.Count(c => c.Outcome == ConversationOutcome.Booked) })
            .ToListAsync(cancellationToken);
        var real = groups.FirstOrDefault(g => !g.IsTest);
        var test = groups.FirstOrDefault(g => g.IsTest);
        return new BookingRate(real?.Count ?? 0, real?.Booked ?? 0, test?.Count ?? 0, test?.Booked ?? 0);
    }
}
