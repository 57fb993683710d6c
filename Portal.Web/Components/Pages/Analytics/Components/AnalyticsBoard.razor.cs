using System.Globalization;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Portal.Domain.Brain.Analytics;

namespace Portal.Web.Components.Pages.Analytics.Components;

/// <summary>
/// The figures and charts (Plotly.Blazor) of one <see cref="AnalyticsReport"/>; a skeleton while <see cref="Report"/> is
/// null and an empty state when the range holds no conversation. Each chart links to the CSV of its table.
/// </summary>
public sealed partial class AnalyticsBoard
{
    private static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-US");
    private static readonly string[] Weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    private readonly Config _config = new() { Responsive = true, DisplayLogo = false };
    private readonly Plotly.Blazor.Layout _dailyLayout = Layout(280, 40, Plotly.Blazor.LayoutLib.BarModeEnum.Stack);
    private readonly Plotly.Blazor.Layout _heatLayout = Layout(300, 50);
    private readonly Plotly.Blazor.Layout _funnelLayout = Layout(300, 150);
    private readonly Plotly.Blazor.Layout _sentimentLayout = Layout(260, 40);
    private readonly Plotly.Blazor.Layout _intentLayout = Layout(260, 150);
    private IList<ITrace> _daily = [], _heat = [], _funnel = [], _sentiment = [], _intents = [];
    private AnalyticsReport? _shown;

    /// <summary>The report to show; null while loading.</summary>
    [Parameter] public AnalyticsReport? Report { get; set; }

    /// <summary>URL of the CSV export with the report's query string; the table name is appended as <c>table=…</c>.</summary>
    [Parameter, EditorRequired] public string CsvBase { get; set; } = "";

    /// <summary>Where an unanswered question links to (the knowledge gaps), or null for no link.</summary>
    [Parameter] public string? GapsHref { get; set; }

    /// <summary>True to show each unanswered question's business (across businesses).</summary>
    [Parameter] public bool ShowBusiness { get; set; }

    /// <summary>Prefix of the charts' element ids (unique per page).</summary>
    [Parameter] public string IdPrefix { get; set; } = "analytics";

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if (Report is null || ReferenceEquals(Report, _shown))
        {
            return;
        }

        _shown = Report;
        var days = Report.PerDay.Select(d => (object)d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        _daily =
        [
            new Bar { Name = "Calls", X = days, Y = Report.PerDay.Select(d => (object)d.Calls).ToList() },
            new Bar { Name = "Chats", X = days, Y = Report.PerDay.Select(d => (object)d.Chats).ToList() },
            new Bar { Name = "Texts", X = days, Y = Report.PerDay.Select(d => (object)d.Texts).ToList() },
        ];
        var z = Enumerable.Range(1, 7).Select(w => (object)Enumerable.Range(0, 24)
            .Select(h => (object)(Report.Heatmap.FirstOrDefault(c => c.Weekday == w && c.Hour == h)?.Count ?? 0)).ToList()).ToList();
        _heat =
        [
            new HeatMap
            {
                Z = z, Y = Weekdays.Cast<object>().ToList(), X = Enumerable.Range(0, 24).Select(h => (object)$"{h:00}:00").ToList(),
                ColorScale = "Blues", ReverseScale = true, HoverTemplate = "%{y} %{x}: %{z} conversations<extra></extra>",
            },
        ];
        var f = Report.Funnel;
        _funnel =
        [
            new Funnel
            {
                Y = new List<object> { "Answered", "Asked about a service", "Offered a slot", "Booked" },
                X = new List<object> { f.Answered, f.AskedAboutService, f.OfferedSlot, f.Booked },
            },
        ];
        _sentiment =
        [
            new Scatter
            {
                Name = "Sentiment", Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
                X = Report.Sentiment.Select(p => (object)p.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(),
                Y = Report.Sentiment.Select(p => (object)p.Average).ToList(),
            },
        ];
        var intents = Report.TopIntents.Reverse().ToList();
        _intents =
        [
            new Bar
            {
                Orientation = Plotly.Blazor.Traces.BarLib.OrientationEnum.H,
                Y = intents.Select(i => (object)i.Label).ToList(), X = intents.Select(i => (object)i.Count).ToList(),
            },
        ];
    }

    private string Csv(string table) => $"{CsvBase}{(CsvBase.Contains('?', StringComparison.Ordinal) ? '&' : '?')}table={table}";

    private static Plotly.Blazor.Layout Layout(int height, int left, Plotly.Blazor.LayoutLib.BarModeEnum? barMode = null) => new()
    {
        Height = height,
        BarMode = barMode ?? Plotly.Blazor.LayoutLib.BarModeEnum.Group,
        Margin = new Plotly.Blazor.LayoutLib.Margin { L = left, R = 10, T = 10, B = 40 },
        ShowLegend = barMode is not null,
    };

    private static string Number(int value) => value.ToString("N0", Culture);

    private static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Money(long cents) => (cents / 100m).ToString("C", Culture);

    private static string Ms(double? ms) => ms is { } v ? $"{Math.Round(v).ToString("N0", Culture)} ms" : "—";

    private static string Duration(int? seconds) =>
        seconds is { } s ? TimeSpan.FromSeconds(s).ToString(s >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture) : "—";
}
