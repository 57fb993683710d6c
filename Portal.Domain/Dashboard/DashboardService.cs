using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Conversations;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Dashboard;

/// <summary>The instants (UTC) the dashboard counts between; the page derives them from the business's local day.</summary>
/// <param name="Now">The current instant.</param>
/// <param name="TodayStart">Local midnight starting today.</param>
/// <param name="TomorrowStart">Local midnight starting tomorrow.</param>
/// <param name="UpcomingEnd">End of the upcoming-bookings window (local midnight a week after tomorrow).</param>
/// <param name="ChartStart">First instant of the activity chart (local midnight 13 days ago).</param>
public sealed record DashboardWindow(DateTimeOffset Now, DateTimeOffset TodayStart, DateTimeOffset TomorrowStart, DateTimeOffset UpcomingEnd, DateTimeOffset ChartStart);

/// <summary>A conversation on the dashboard.</summary>
/// <param name="Id">Conversation id.</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="Channel">Channel.</param>
/// <param name="Outcome">Outcome so far.</param>
/// <param name="CustomerName">Customer's name, when known.</param>
/// <param name="CustomerPhone">Customer's phone, when known.</param>
/// <param name="IsTest">Started by the owner from the console.</param>
public sealed record DashboardConversation(Guid Id, DateTimeOffset StartedAt, Channel Channel, ConversationOutcome Outcome, string? CustomerName, string? CustomerPhone, bool IsTest);

/// <summary>An upcoming booking on the dashboard.</summary>
/// <param name="Id">Booking id.</param>
/// <param name="StartUtc">Start (UTC).</param>
/// <param name="ServiceName">The service.</param>
/// <param name="CustomerName">Who booked.</param>
/// <param name="CustomerPhone">Their phone.</param>
/// <param name="PriceCents">Price in cents, or null when not quoted.</param>
public sealed record DashboardBooking(Guid Id, DateTimeOffset StartUtc, string ServiceName, string CustomerName, string CustomerPhone, long? PriceCents);

/// <summary>Everything the dashboard shows, read at once.</summary>
/// <param name="TodayCount">Conversations started today.</param>
/// <param name="Latest">Today's latest ten conversations.</param>
/// <param name="Upcoming">Confirmed bookings from today to <see cref="DashboardWindow.UpcomingEnd"/> (at most 50), soonest first.</param>
/// <param name="BookingRate">Booking rate over the last seven days.</param>
/// <param name="AverageLatencyMs">Average agent reply latency over the last seven days in milliseconds, or null without replies.</param>
/// <param name="AssignedNumber">The business's phone number (E.164), or null before one is assigned.</param>
/// <param name="ChartStarts">Start instants of the conversations since <see cref="DashboardWindow.ChartStart"/>.</param>
public sealed record DashboardFigures(int TodayCount, IReadOnlyList<DashboardConversation> Latest, IReadOnlyList<DashboardBooking> Upcoming, BookingRate BookingRate, double? AverageLatencyMs, string? AssignedNumber, IReadOnlyList<DateTimeOffset> ChartStarts);

/// <summary>The business home page's reads for the current business (the tenant query filter scopes them; the phone number, a global entity, is filtered by the current tenant explicitly).</summary>
public sealed class DashboardService(IDbContextFactory<PortalDbContext> contextFactory, ITenantContext tenantContext, ConversationMetrics metrics)
{
    /// <summary>The dashboard's figures for <paramref name="window"/>.</summary>
    public async Task<DashboardFigures> LoadAsync(DashboardWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var today = db.Conversations.AsNoTracking().Where(c => c.StartedAt >= window.TodayStart && c.StartedAt < window.TomorrowStart);
        var todayCount = await today.CountAsync(cancellationToken);
        var latest = await today.OrderByDescending(c => c.StartedAt).Take(10)
            .Select(c => new DashboardConversation(c.Id, c.StartedAt, c.Channel, c.Outcome, c.CustomerName, c.CustomerPhone, c.IsTest))
            .ToListAsync(cancellationToken);
        var upcoming = await db.Bookings.AsNoTracking()
            .Where(b => b.Status == BookingStatus.Confirmed && b.StartUtc >= window.TodayStart && b.StartUtc < window.UpcomingEnd)
            .OrderBy(b => b.StartUtc).Take(50)
            .Select(b => new DashboardBooking(b.Id, b.StartUtc, b.Service!.Name, b.CustomerName, b.CustomerPhone, b.PriceCents))
            .ToListAsync(cancellationToken);
        var sevenDaysAgo = window.Now.AddDays(-7);
        var bookingRate = await metrics.BookingRateAsync(sevenDaysAgo, cancellationToken);
        var latency = await db.Turns.AsNoTracking()
            .Where(t => t.Speaker == Speaker.Agent && t.LatencyMs != null && t.StartedAt >= sevenDaysAgo)
            .AverageAsync(t => (double?)t.LatencyMs, cancellationToken);

        // PhoneNumber is a global entity (pool numbers belong to no tenant), so this query filters by the current tenant.
        var tenantId = tenantContext.TenantId;
        var number = await db.PhoneNumbers.AsNoTracking()
            .Where(p => p.TenantId == tenantId && p.Status == PhoneNumberStatus.Assigned)
            .Select(p => p.E164).FirstOrDefaultAsync(cancellationToken);
        var starts = await db.Conversations.AsNoTracking().Where(c => c.StartedAt >= window.ChartStart).Select(c => c.StartedAt).ToListAsync(cancellationToken);
        return new DashboardFigures(todayCount, latest, upcoming, bookingRate, latency, number, starts);
    }
}
