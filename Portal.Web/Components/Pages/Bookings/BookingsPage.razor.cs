using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.Scheduling;
using Portal.Web.Components.Pages.Bookings.Components;
using Portal.Web.Components.Shared;
using Portal.Web.Tenancy;

namespace Portal.Web.Components.Pages.Bookings;

/// <summary>
/// The bookings page: a week calendar and a filterable list with cancellation. Reads come from
/// <see cref="BookingCalendar"/>; cancelling goes through <see cref="BookingCommands"/>, the same path the agent and the
/// API cancel by (webhook and notification included).
/// </summary>
public partial class BookingsPage
{
    private int _tab;
    private bool _weekLoading = true;
    private bool _listLoading = true;
    private bool _busy;
    private string? _error;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private DateTimeOffset _now;
    private DateOnly _today;
    private DateOnly _weekStart;
    private IReadOnlyList<BusinessHours> _hours = [];
    private IReadOnlyDictionary<DateOnly, string?> _closed = new Dictionary<DateOnly, string?>();
    private List<CalendarBooking> _week = [];
    private IReadOnlyList<BookingRow> _list = [];
    private BookingFilter _filter = BookingFilter.Upcoming;

    /// <summary>Optional <c>?date=yyyy-MM-dd</c>: opens the week containing that local date.</summary>
    [SupplyParameterFromQuery(Name = "date")] public string? Date { get; set; }

    [Inject] private BookingCalendar Calendar { get; set; } = default!;

    [Inject] private BookingCommands Commands { get; set; } = default!;

    [Inject] private PageErrors Errors { get; set; } = default!;

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
        _error = await Errors.TryAsync(async () =>
        {
            _zone = await Zones.ZoneAsync();
            _now = Clock.GetUtcNow();
            _today = TenantTime.Today(_now, _zone);
            var focus = DateOnly.TryParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : _today;
            _weekStart = MondayOf(focus);
        }, "Bookings could not be loaded. Please try again.");
        if (_error is not null)
        {
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
        var from = TenantTime.StartOfDayUtc(_weekStart, _zone);
        var to = TenantTime.StartOfDayUtc(_weekStart.AddDays(7), _zone);
        BookingWeek? week = null;
        var failure = await Errors.TryAsync(async () => week = await Calendar.WeekAsync(_weekStart, from, to, CancellationToken.None), "The week could not be loaded. Please try again.");
        _error ??= failure;
        _hours = week?.Hours ?? _hours;
        _closed = week?.Closed ?? _closed;
        _week = week?.Bookings.Select(b => new CalendarBooking(b.Id, TenantTime.ToLocal(b.StartUtc, _zone), TenantTime.ToLocal(b.EndUtc, _zone), b.ServiceName, b.CustomerName)).ToList() ?? [];
        _weekLoading = false;
    }

    private async Task LoadListAsync()
    {
        _listLoading = true;
        IReadOnlyList<BookingRow> rows = [];
        var failure = await Errors.TryAsync(async () => rows = await Calendar.ListAsync(_filter, _now, CancellationToken.None), "The booking list could not be loaded. Please try again.");
        _error ??= failure;
        _list = rows;
        _listLoading = false;
    }

    private async Task CancelAsync(BookingRow row)
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
        BookingCommandResult? result = null;
        var failure = await Errors.TryAsync(async () => result = await Commands.CancelAsync(row.Id, CancellationToken.None), "The booking could not be cancelled. Please try again.");
        _busy = false;
        var (message, severity) = failure is not null ? (failure, Severity.Error) : result!.Status switch
        {
            BookingCommandStatus.Done => ($"Cancelled {row.CustomerName}'s booking on {when}.", Severity.Success),
            BookingCommandStatus.NotActive => ("That booking was already cancelled.", Severity.Info),
            _ => ("That booking no longer exists.", Severity.Warning),
        };
        Snackbar.Add(message, severity);
        await ReloadAsync();
    }
}
