using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Scheduling;

/// <summary>Which bookings the bookings list shows.</summary>
public enum BookingFilter
{
    /// <summary>Confirmed, starting from now.</summary>
    Upcoming,

    /// <summary>Confirmed, already started.</summary>
    Past,

    /// <summary>Cancelled.</summary>
    Cancelled,
}

/// <summary>A booking as the calendar and the list show it.</summary>
/// <param name="Id">Booking id.</param>
/// <param name="StartUtc">Start (UTC).</param>
/// <param name="EndUtc">End (UTC).</param>
/// <param name="ServiceName">The service's name.</param>
/// <param name="CustomerName">Who booked.</param>
/// <param name="CustomerPhone">Their phone (E.164).</param>
/// <param name="Status">Confirmed or cancelled.</param>
/// <param name="PriceCents">Price in cents, or null when not quoted.</param>
public sealed record BookingRow(Guid Id, DateTimeOffset StartUtc, DateTimeOffset EndUtc, string ServiceName, string CustomerName, string CustomerPhone, BookingStatus Status, long? PriceCents);

/// <summary>One week of the calendar: opening hours, closed days of the week and its confirmed bookings.</summary>
/// <param name="Hours">Every weekly opening interval.</param>
/// <param name="Closed">The week's closed dates and their reasons.</param>
/// <param name="Bookings">Confirmed bookings starting in the week, by start.</param>
public sealed record BookingWeek(IReadOnlyList<BusinessHours> Hours, IReadOnlyDictionary<DateOnly, string?> Closed, IReadOnlyList<BookingRow> Bookings);

/// <summary>
/// The bookings page's reads for the current business (the tenant query filter scopes them): a calendar week and a
/// filtered list; for the API and the assistant tools, a keyset-paged range and one booking. Writes (cancel, reschedule, book) go through <see cref="BookingCommands"/>, the same rules the agent uses.
/// </summary>
public sealed class BookingCalendar(IDbContextFactory<PortalDbContext> contextFactory)
{
    /// <summary>Most rows <see cref="ListAsync"/> returns.</summary>
    public const int ListLimit = 200;

    /// <summary>The seven days from local <paramref name="weekStart"/>.</summary>
    /// <param name="weekStart">The week's first local date.</param>
    /// <param name="from">Local midnight starting <paramref name="weekStart"/>, as a UTC instant.</param>
    /// <param name="to">Local midnight ending the week, as a UTC instant.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    public async Task<BookingWeek> WeekAsync(DateOnly weekStart, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var weekEnd = weekStart.AddDays(6);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var hours = await db.BusinessHours.AsNoTracking().ToListAsync(cancellationToken);
        var closed = await db.ClosedDates.AsNoTracking().Where(c => c.Date >= weekStart && c.Date <= weekEnd).ToDictionaryAsync(c => c.Date, c => c.Reason, cancellationToken);
        var bookings = await Rows(db.Bookings.AsNoTracking()
            .Where(b => b.Status == BookingStatus.Confirmed && b.StartUtc >= from && b.StartUtc < to)
            .OrderBy(b => b.StartUtc)).ToListAsync(cancellationToken);
        return new BookingWeek(hours, closed, bookings);
    }

    /// <summary>Up to <see cref="ListLimit"/> bookings of <paramref name="filter"/>, upcoming soonest first, the others latest first.</summary>
    /// <param name="filter">Which bookings.</param>
    /// <param name="now">What "upcoming" and "past" are relative to.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<BookingRow>> ListAsync(BookingFilter filter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Bookings.AsNoTracking();
        query = filter switch
        {
            BookingFilter.Upcoming => query.Where(b => b.Status == BookingStatus.Confirmed && b.StartUtc >= now).OrderBy(b => b.StartUtc),
            BookingFilter.Past => query.Where(b => b.Status == BookingStatus.Confirmed && b.StartUtc < now).OrderByDescending(b => b.StartUtc),
            _ => query.Where(b => b.Status == BookingStatus.Cancelled).OrderByDescending(b => b.StartUtc),
        };
        return await Rows(query.Take(ListLimit)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> bookings (service included) overlapping [<paramref name="fromUtc"/>,
    /// <paramref name="toUtc"/>) (a null end does not bound), of <paramref name="status"/> (null: any), soonest first
    /// (ties by id), starting strictly after the row <paramref name="after"/> (the last row of the previous page; null:
    /// from the start).
    /// </summary>
    public async Task<IReadOnlyList<Booking>> ListAfterAsync(DateTimeOffset? fromUtc, DateTimeOffset? toUtc, BookingStatus? status, int limit, (DateTimeOffset At, Guid Id)? after, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Bookings.AsNoTracking().Include(b => b.Service).AsQueryable();
        if (fromUtc is { } f)
        {
            query = query.Where(b => b.EndUtc > f);
        }

        if (toUtc is { } t)
        {
            query = query.Where(b => b.StartUtc < t);
        }

        if (status is { } s)
        {
            query = query.Where(b => b.Status == s);
        }

        if (after is var (at, lastId))
        {
            query = query.Where(b => b.StartUtc > at || (b.StartUtc == at && b.Id.CompareTo(lastId) > 0));
        }

        return await query.OrderBy(b => b.StartUtc).ThenBy(b => b.Id).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>The booking with its service, or null when it is not the current business's.</summary>
    public async Task<Booking?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Bookings.AsNoTracking().Include(b => b.Service).FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
    }

    private static IQueryable<BookingRow> Rows(IQueryable<Booking> bookings) =>
        bookings.Select(b => new BookingRow(b.Id, b.StartUtc, b.EndUtc, b.Service!.Name, b.CustomerName, b.CustomerPhone, b.Status, b.PriceCents));
}
