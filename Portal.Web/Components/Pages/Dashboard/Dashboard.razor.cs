using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Dashboard;
using Portal.Web.Components.Shared;
using Portal.Web.Tenancy;

namespace Portal.Web.Components.Pages.Dashboard;

/// <summary>The business's home page: today's activity, KPIs, upcoming bookings, its phone number, and calls whose voice failed.</summary>
public partial class Dashboard
{
    private sealed record Kpi(string Id, string Label, string Value, string Caption, string Icon);

    private bool _loading = true;
    private string? _error;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private DateOnly _today;
    private int _todayCount;
    private string? _number;
    private IReadOnlyList<DashboardConversation> _latest = [];
    private IReadOnlyList<DashboardBooking> _upcoming = [];
    private List<Kpi> _kpis = [];
    private List<ChartSeries<double>> _series = [];
    private string[] _labels = [];
    private BarChartOptions _chartOptions = new();
    private SpeechFailureSummary? _speechFailures;

    [Inject] private DashboardService Figures { get; set; } = default!;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private TenantClock Zones { get; set; } = default!;

    [Inject] private TimeProvider Clock { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private SpeechFailureReport SpeechFailures { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        _error = await Errors.TryAsync(async () =>
        {
            _zone = await Zones.ZoneAsync();
            var now = Clock.GetUtcNow();
            _today = TenantTime.Today(now, _zone);
            var tomorrowStart = TenantTime.StartOfDayUtc(_today.AddDays(1), _zone);
            var window = new DashboardWindow(now, TenantTime.StartOfDayUtc(_today, _zone), tomorrowStart,
                TenantTime.StartOfDayUtc(_today.AddDays(8), _zone), TenantTime.StartOfDayUtc(_today.AddDays(-13), _zone));
            var figures = await Figures.LoadAsync(window, CancellationToken.None);
            (_todayCount, _latest, _upcoming, _number) = (figures.TodayCount, figures.Latest, figures.Upcoming, figures.AssignedNumber);
            var bookingsToday = _upcoming.Count(b => b.StartUtc < tomorrowStart);
            _speechFailures = await SpeechFailures.RecentAsync(CancellationToken.None);
            BuildChart(figures.ChartStarts);

            _kpis =
            [
                new("conversations-today", "Conversations today", _todayCount.ToString(CultureInfo.InvariantCulture), "since midnight", Icons.Material.Filled.Forum),
                new("bookings-today", "Bookings today", bookingsToday.ToString(CultureInfo.InvariantCulture), "confirmed appointments", Icons.Material.Filled.Event),
                new("booking-rate", "Booking rate", BookingRateValue(figures.BookingRate), BookingRateCaption(figures.BookingRate), Icons.Material.Filled.TrendingUp),
                new("latency", "Agent latency", figures.AverageLatencyMs is { } ms ? $"{ms:0} ms" : "—", "average per reply, last 7 days", Icons.Material.Filled.Speed),
            ];
        }, "The dashboard could not be loaded. Please try again.");
        _loading = false;
    }

    private static string BookingRateValue(BookingRate rate) => rate.Rate is { } r ? $"{100 * r:0}%" : "—";

    /// <summary>"3 of 12 conversations, last 7 days · 4 tests not counted (1 booked)": the owner's tests never move the rate.</summary>
    private static string BookingRateCaption(BookingRate rate)
    {
        var real = $"{rate.Booked} of {rate.Conversations} conversations, last 7 days";
        return rate.TestConversations == 0
            ? real
            : $"{real} · {rate.TestConversations} test{(rate.TestConversations == 1 ? "" : "s")} not counted ({rate.TestBooked} booked)";
    }

    private void BuildChart(IReadOnlyList<DateTimeOffset> starts)
    {
        var days = Enumerable.Range(0, 14).Select(i => _today.AddDays(i - 13)).ToArray();
        var counts = starts.GroupBy(s => DateOnly.FromDateTime(TenantTime.ToLocal(s, _zone))).ToDictionary(g => g.Key, g => g.Count());
        _labels = days.Select(d => d.ToString("MMM d", CultureInfo.GetCultureInfo("en-US"))).ToArray();
        var values = days.Select(d => (double)counts.GetValueOrDefault(d)).ToArray();
        var max = values.Length == 0 ? 0 : values.Max();
        _chartOptions = new BarChartOptions { ShowLegend = false, YAxisTicks = max <= 10 ? 1 : (int)Math.Ceiling(max / 5), YAxisSuggestedMax = Math.Max(4, max), YAxisFormat = "0" };
        _series = [new ChartSeries<double> { Name = "Conversations", Data = new ChartData<double>(values) }];
    }
}
