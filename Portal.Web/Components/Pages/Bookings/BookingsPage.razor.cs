using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Web.Components.Pages.Bookings.Components;
using Portal.Web.Components.Shared;
using Portal.Web.Tenancy;

namespace Portal.Web.Components.Pages.Bookings;

/// <summary>Which bookings the list tab shows.</summary>
public enum BookingFilter
{
    /// <summary>Confirmed, starting from now.</summary>
    Upcoming,
    /// <summary>Confirmed, already started.</summary>
    Past,
    /// <summary>Cancelled.</summary>
    Cancelled,
}

/// <summary>The bookings page: a week calendar and a filterable list with cancellation.</summary>
public partial class BookingsPage
{
    private const int ListLimit = 200;

    private sealed record Row(Guid Id, DateTimeOffset StartUtc, string ServiceName, string CustomerName, string CustomerPhone, BookingStatus Status, long? PriceCents);

    private int _tab;
    private bool _weekLoading = true;
    private bool _listLoading = true;
    private bool _busy;
    private string? _error;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private DateTimeOffset _now;
    private DateOnly _today;
    private DateOnly _weekStart;
    private List<BusinessHours> _hours = [];
    private Dictionary<DateOnly, string?> _closed = [];
    private List<CalendarBooking> _week = [];
    private List<Row> _list = [];
    private BookingFilter _filter = BookingFilter.Upcoming;

    /// <summary>Optional <c>?date=yyyy-MM-dd</c>: opens the week containing that local date.</summary>
    [SupplyParameterFromQuery(Name = "date")] public string? Date { get; set; }

    [Inject] private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject] private TenantClock Zones { get; set; } = default!;

    [Inject] private TimeProvider Clock { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private string WeekLabel
    {
        get
        {
            var end = _weekStart.AddDays(6);
            var en = CultureInfo.GetCultureInfo("en-US");
            return _weekStart.Month == end.Month
                ? $"{_weekStart.ToString("MMM d", en)} – {end.Day}, {end.Year}"
                : $"{_weekStart.ToString("MMM d", en)} – {end.ToString("MMM d, yyyy", en)}";
        }
    }

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _zone = await Zones.ZoneAsync();
            _now = Clock.GetUtcNow();
            _today = TenantTime.Today(_now, _zone);
            var focus = DateOnly.TryParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : _today;
            _weekStart = MondayOf(focus);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _error = "Bookings could not be loaded. Please try again.";
            _weekLoading = _listLoading = false;
            return;
        }

        await ReloadAsync();
    }

    private static DateOnly MondayOf(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    private async Task ReloadAsync()
    {
        _error = null;
        _now = Clock.GetUtcNow();
        _today = TenantTime.Today(_now, _zone);
        await LoadWeekAsync();
        await LoadListAsync();
    }

    private async Task MoveWeekAsync(int days)
    {
        _weekStart = days == 0 ? MondayOf(_today) : _weekStart.AddDays(days);
        await LoadWeekAsync();
    }

    private async Task OnFilterChanged(BookingFilter filter)
    {
        _filter = filter;
        await LoadListAsync();
    }

    private async Task LoadWeekAsync()
    {
        _weekLoading = true;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            var from = TenantTime.StartOfDayUtc(_weekStart, _zone);
            var to = TenantTime.StartOfDayUtc(_weekStart.AddDays(7), _zone);
            _hours = await db.BusinessHours.AsNoTracking().ToListAsync();
            var weekEnd = _weekStart.AddDays(6);
            _closed = await db.ClosedDates.AsNoTracking().Where(c => c.Date >= _weekStart && c.Date <= weekEnd).ToDictionaryAsync(c => c.Date, c => c.Reason);
            var rows = await db.Bookings.AsNoTracking()
                .Where(b => b.Status == BookingStatus.Confirmed && b.StartUtc >= from && b.StartUtc < to)
                .OrderBy(b => b.StartUtc)
                .Select(b => new { b.Id, b.StartUtc, b.EndUtc, Service = b.Service!.Name, b.CustomerName })
                .ToListAsync();
            _week = rows.Select(b => new CalendarBooking(b.Id, TenantTime.ToLocal(b.StartUtc, _zone), TenantTime.ToLocal(b.EndUtc, _zone), b.Service, b.CustomerName)).ToList();
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _error = "The week could not be loaded. Please try again.";
            _week = [];
        }
        finally
        {
            _weekLoading = false;
        }
    }

    private async Task LoadListAsync()
    {
        _listLoading = true;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            var now = _now;
            var query = db.Bookings.AsNoTracking();
            query = _filter switch
            {
                BookingFilter.Upcoming => query.Where(b => b.Status == BookingStatus.Confirmed && b.StartUtc >= now).OrderBy(b => b.StartUtc),
                BookingFilter.Past => query.Where(b => b.Status == BookingStatus.Confirmed && b.StartUtc < now).OrderByDescending(b => b.StartUtc),
                _ => query.Where(b => b.Status == BookingStatus.Cancelled).OrderByDescending(b => b.StartUtc),
            };
            _list = await query.Take(ListLimit)
                .Select(b => new Row(b.Id, b.StartUtc, b.Service!.Name, b.CustomerName, b.CustomerPhone, b.Status, b.PriceCents))
                .ToListAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _error = "The booking list could not be loaded. Please try again.";
            _list = [];
        }
        finally
        {
            _listLoading = false;
        }
    }

    private async Task CancelAsync(Row row)
    {
        var when = TenantTime.DateAndTime(TenantTime.ToLocal(row.StartUtc, _zone));
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Cancel booking?",
            $"Cancel {row.CustomerName}'s {row.ServiceName} on {when}? The slot becomes free for other callers.",
            yesText: "Cancel booking", cancelText: "Keep it");
        if (confirmed != true)
        {
            return;
        }

        _busy = true;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            var booking = await db.Bookings.FirstOrDefaultAsync(b => b.Id == row.Id);
            if (booking is null)
            {
                Snackbar.Add("That booking no longer exists.", Severity.Warning);
            }
            else if (booking.Status == BookingStatus.Cancelled)
            {
                Snackbar.Add("That booking was already cancelled.", Severity.Info);
            }
            else
            {
                booking.Status = BookingStatus.Cancelled;
                await db.SaveChangesAsync();
                Snackbar.Add($"Cancelled {row.CustomerName}'s booking on {when}.", Severity.Success);
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            Snackbar.Add("The booking could not be cancelled. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }

        await ReloadAsync();
    }
}
