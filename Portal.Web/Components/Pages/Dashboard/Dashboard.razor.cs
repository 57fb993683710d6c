using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Domain.Conversations;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Domain.Tenancy;
using Portal.Web.Components.Shared;
using Portal.Web.Tenancy;

namespace Portal.Web.Components.Pages.Dashboard;

/// <summary>The business's home page: today's activity, KPIs, upcoming bookings, its phone number, and calls whose voice failed.</summary>
public partial class Dashboard
{
    private sealed record ConversationRow(Guid Id, DateTimeOffset StartedAt, Channel Channel, ConversationOutcome Outcome, string? CustomerName, string? CustomerPhone, bool IsTest);

    private sealed record BookingRow(Guid Id, DateTimeOffset StartUtc, string ServiceName, string CustomerName, string CustomerPhone, long? PriceCents);

    private sealed record Kpi(string Id, string Label, string Value, string Caption, string Icon);

    private bool _loading = true;
    private string? _error;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private DateOnly _today;
    private int _todayCount;
    private string? _number;
    private List<ConversationRow> _latest = [];
    private List<BookingRow> _upcoming = [];
    private List<Kpi> _kpis = [];
    private List<ChartSeries<double>> _series = [];
    private string[] _labels = [];
    private BarChartOptions _chartOptions = new();
    private SpeechFailureSummary? _speechFailures;

    [Inject] private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject] private TenantClock Zones { get; set; } = default!;

    [Inject] private ITenantContext TenantContext { get; set; } = default!;

    [Inject] private TimeProvider Clock { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private SpeechFailureReport SpeechFailures { get; set; } = default!;

    [Inject] private ConversationMetrics Metrics { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        _error = null;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _zone = await Zones.ZoneAsync();
            var now = Clock.GetUtcNow();
            _today = TenantTime.Today(now, _zone);
            var todayStart = TenantTime.StartOfDayUtc(_today, _zone);
            var tomorrowStart = TenantTime.StartOfDayUtc(_today.AddDays(1), _zone);
            var weekEnd = TenantTime.StartOfDayUtc(_today.AddDays(8), _zone);
            var sevenDaysAgo = now.AddDays(-7);
            var chartStart = TenantTime.StartOfDayUtc(_today.AddDays(-13), _zone);

            var today = db.Conversations.AsNoTracking().Where(c => c.StartedAt >= todayStart && c.StartedAt < tomorrowStart);
            _todayCount = await today.CountAsync();
            _latest = await today.OrderByDescending(c => c.StartedAt).Take(10)
                .Select(c => new ConversationRow(c.Id, c.StartedAt, c.Channel, c.Outcome, c.CustomerName, c.CustomerPhone, c.IsTest))
                .ToListAsync();

            _upcoming = await db.Bookings.AsNoTracking()
                .Where(b => b.Status == BookingStatus.Confirmed && b.StartUtc >= todayStart && b.StartUtc < weekEnd)
                .OrderBy(b => b.StartUtc).Take(50)
                .Select(b => new BookingRow(b.Id, b.StartUtc, b.Service!.Name, b.CustomerName, b.CustomerPhone, b.PriceCents))
                .ToListAsync();
            var bookingsToday = _upcoming.Count(b => b.StartUtc < tomorrowStart);

            var bookingRate = await Metrics.BookingRateAsync(sevenDaysAgo, CancellationToken.None);
            var latency = await db.Turns.AsNoTracking()
                .Where(t => t.Speaker == Speaker.Agent && t.LatencyMs != null && t.StartedAt >= sevenDaysAgo)
                .AverageAsync(t => (double?)t.LatencyMs);

            // PhoneNumber is a global entity (it opts out of the tenant query filter because pool
            // numbers belong to no tenant), so this one query filters by the current tenant explicitly.
            var tenantId = TenantContext.TenantId;
            _number = await db.PhoneNumbers.AsNoTracking()
                .Where(p => p.TenantId == tenantId && p.Status == PhoneNumberStatus.Assigned)
                .Select(p => p.E164).FirstOrDefaultAsync();

            _speechFailures = await SpeechFailures.RecentAsync(CancellationToken.None);

            var starts = await db.Conversations.AsNoTracking().Where(c => c.StartedAt >= chartStart).Select(c => c.StartedAt).ToListAsync();
            BuildChart(starts);

            _kpis =
            [
                new("conversations-today", "Conversations today", _todayCount.ToString(CultureInfo.InvariantCulture), "since midnight", Icons.Material.Filled.Forum),
                new("bookings-today", "Bookings today", bookingsToday.ToString(CultureInfo.InvariantCulture), "confirmed appointments", Icons.Material.Filled.Event),
                new("booking-rate", "Booking rate", BookingRateValue(bookingRate), BookingRateCaption(bookingRate), Icons.Material.Filled.TrendingUp),
                new("latency", "Agent latency", latency is { } ms ? $"{ms:0} ms" : "—", "average per reply, last 7 days", Icons.Material.Filled.Speed),
            ];
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _error = "The dashboard could not be loaded. Please try again.";
        }
        finally
        {
            _loading = false;
        }
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

    private void BuildChart(List<DateTimeOffset> starts)
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
