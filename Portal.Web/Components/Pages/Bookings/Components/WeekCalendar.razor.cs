using System.Globalization;
using Microsoft.AspNetCore.Components;
using Portal.Data.Entities;

namespace Portal.Web.Components.Pages.Bookings.Components;

/// <summary>A booking placed on the week calendar, in local time.</summary>
/// <param name="Id">Booking id.</param>
/// <param name="Start">Local start.</param>
/// <param name="End">Local end.</param>
/// <param name="ServiceName">Service.</param>
/// <param name="CustomerName">Customer.</param>
public sealed record CalendarBooking(Guid Id, DateTime Start, DateTime End, string ServiceName, string CustomerName);

/// <summary>
/// Renders one week (Monday first) as an hour grid using the <c>.week-*</c> classes of app.css.
/// Hours span the earliest opening to the latest closing of the business (stretched to fit any
/// booking outside them); hours outside every opening interval, and closed dates, are hatched.
/// </summary>
public partial class WeekCalendar
{
    private const double RowHeightPx = 48;
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    /// <summary>Monday of the week shown (local date).</summary>
    [Parameter] public DateOnly WeekStart { get; set; }

    /// <summary>Today's local date, highlighted.</summary>
    [Parameter] public DateOnly Today { get; set; }

    /// <summary>Weekly opening intervals.</summary>
    [Parameter] public IReadOnlyList<BusinessHours> Hours { get; set; } = [];

    /// <summary>Closed dates with their reasons.</summary>
    [Parameter] public IReadOnlyDictionary<DateOnly, string?> ClosedDates { get; set; } = new Dictionary<DateOnly, string?>();

    /// <summary>Bookings of the week (confirmed), local times.</summary>
    [Parameter] public IReadOnlyList<CalendarBooking> Bookings { get; set; } = [];

    private int FirstHour { get; set; } = 8;

    private int LastHour { get; set; } = 18;

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        var first = Hours.Count > 0 ? Hours.Min(h => h.Opens.Hour) : 8;
        var last = Hours.Count > 0 ? Hours.Max(h => h.Closes.Minute > 0 ? h.Closes.Hour + 1 : h.Closes.Hour) : 18;
        foreach (var b in Bookings)
        {
            first = Math.Min(first, b.Start.Hour);
            var endHour = b.End.Date > b.Start.Date ? 24 : (b.End.Minute > 0 ? b.End.Hour + 1 : b.End.Hour);
            last = Math.Max(last, endHour);
        }

        FirstHour = Math.Clamp(first, 0, 23);
        LastHour = Math.Clamp(Math.Max(last, FirstHour + 1), 1, 24);
    }

    private static string FormatHour(int hour) => new DateTime(2000, 1, 1, hour, 0, 0, DateTimeKind.Unspecified).ToString("h tt", En);

    /// <summary>Closed parts of [hour:00, hour+1:00) on <paramref name="day"/>, as minute ranges within the hour.</summary>
    private List<(int From, int To)> ClosedSegments(DateOnly day, int hour)
    {
        if (ClosedDates.ContainsKey(day))
        {
            return [(0, 60)];
        }

        var start = hour * 60;
        var open = Hours.Where(h => h.DayOfWeek == day.DayOfWeek)
            .Select(h => (From: Math.Max(h.Opens.Hour * 60 + h.Opens.Minute, start) - start, To: Math.Min(MinutesOf(h.Closes), start + 60) - start))
            .Where(s => s.To > s.From)
            .OrderBy(s => s.From)
            .ToList();
        var closed = new List<(int, int)>();
        var cursor = 0;
        foreach (var (from, to) in open)
        {
            if (from > cursor)
            {
                closed.Add((cursor, from));
            }

            cursor = Math.Max(cursor, to);
        }

        if (cursor < 60)
        {
            closed.Add((cursor, 60));
        }

        return closed;
    }

    private static int MinutesOf(TimeOnly t) => t.Hour * 60 + t.Minute;

    private IEnumerable<CalendarBooking> BookingsStartingIn(DateOnly day, int hour) =>
        Bookings.Where(b => DateOnly.FromDateTime(b.Start) == day && Math.Max(b.Start.Hour, FirstHour) == hour).OrderBy(b => b.Start);

    private string BlockStyle(CalendarBooking b, int hour)
    {
        var rowStart = b.Start.Date.AddHours(hour);
        var offsetMinutes = Math.Max(0, (b.Start - rowStart).TotalMinutes);
        var rowEnd = b.Start.Date.AddHours(LastHour);
        var end = b.End < rowEnd ? b.End : rowEnd;
        var minutes = Math.Max(15, (end - (rowStart.AddMinutes(offsetMinutes))).TotalMinutes);
        var top = offsetMinutes / 60 * RowHeightPx;
        var height = minutes / 60 * RowHeightPx - 2;
        return string.Create(CultureInfo.InvariantCulture, $"top:{top:0.#}px;height:{height:0.#}px");
    }
}
