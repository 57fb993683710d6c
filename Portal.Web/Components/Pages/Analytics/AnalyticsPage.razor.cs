using Microsoft.AspNetCore.Components;
using Portal.Domain.Brain.Analytics;
using Portal.Web.Endpoints;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Analytics;

/// <summary>The owner's analytics (<see cref="AnalyticsService"/>) over a date range (default: the last 30 days) and channel.</summary>
public sealed partial class AnalyticsPage
{
    private AnalyticsQuery? _query;
    private AnalyticsReport? _report;
    private DateOnly _today;
    private string? _error;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private AnalyticsService Analytics { get; set; } = default!;

    private string CsvBase => _query is null ? "" : AnalyticsEndpoints.CsvUrl(AnalyticsEndpoints.OwnerCsvRoute, _query, null);

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _error = await Errors.TryAsync(async () => _today = await Analytics.TodayAsync(CancellationToken.None), "Analytics could not be loaded right now.");
        if (_error is not null)
        {
            return;
        }

        _query = new AnalyticsQuery(_today.AddDays(-29), _today);

        await LoadAsync();
    }

    private Task OnQueryChangedAsync(AnalyticsQuery query)
    {
        _query = query;
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (_query is null)
        {
            return;
        }

        _report = null;
        _error = null;
        try
        {
            _error = await Errors.TryAsync(async () => _report = await Analytics.GetAsync(_query, CancellationToken.None), "Analytics could not be loaded right now.");
        }
        catch (ArgumentException)
        {
            _error = _query.Validate();
        }
    }
}
