using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.Brain.Insights;
using Portal.Domain.Conversations;
using Portal.Web.Components.Shared;
using Portal.Web.Tenancy;

namespace Portal.Web.Components.Pages.Conversations;

/// <summary>All conversations of the business, filtered and paged in the database.</summary>
public partial class ConversationList
{
    private const int PageSize = 25;

    private bool _loading = true;
    private string? _error;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private IReadOnlyList<ConversationRow> _rows = [];
    private int _total;
    private int _page = 1;
    private Channel? _channel;
    private ConversationOutcome? _outcome;
    private DateRange? _range;
    private string? _search;
    private string? _intent;
    private string? _sentiment;
    private int? _minLead;
    private bool _followUp;

    private InsightFilter Insight => new(_followUp, _minLead, _intent, _sentiment);

    [Inject] private ConversationHistory History { get; set; } = default!;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private TenantClock Zones { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private int PageCount => Math.Max(1, (_total + PageSize - 1) / PageSize);

    private bool HasFilters => _channel is not null || _outcome is not null || _range?.Start is not null || _range?.End is not null || !string.IsNullOrWhiteSpace(_search) || Insight.Any;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private Task OnChannelChanged(Channel? value) { _channel = value; return ResetAndLoadAsync(); }

    private Task OnOutcomeChanged(ConversationOutcome? value) { _outcome = value; return ResetAndLoadAsync(); }

    private Task OnRangeChanged(DateRange? value) { _range = value; return ResetAndLoadAsync(); }

    private Task OnSearchChanged(string? value) { _search = value; return ResetAndLoadAsync(); }

    private Task OnIntentChanged(string? value) { _intent = value; return ResetAndLoadAsync(); }

    private Task OnSentimentChanged(string? value) { _sentiment = value; return ResetAndLoadAsync(); }

    private Task OnMinLeadChanged(int? value) { _minLead = value; return ResetAndLoadAsync(); }

    private Task OnFollowUpChanged(bool value) { _followUp = value; return ResetAndLoadAsync(); }

    private Task OnPageChanged(int page) { _page = page; return LoadAsync(); }

    private Task ResetAndLoadAsync()
    {
        _page = 1;
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        _error = await Errors.TryAsync(async () =>
        {
            _zone = await Zones.ZoneAsync();
            DateTimeOffset? fromUtc = _range?.Start is { } from ? TenantTime.StartOfDayUtc(DateOnly.FromDateTime(from), _zone) : null;
            DateTimeOffset? toUtc = _range?.End is { } to ? TenantTime.StartOfDayUtc(DateOnly.FromDateTime(to).AddDays(1), _zone) : null;
            var result = await History.ListAsync(new ConversationQuery(_channel, _outcome, fromUtc, toUtc, _search, Insight), _page, PageSize, CancellationToken.None);
            (_rows, _total, _page) = (result.Rows, result.Total, result.Page);
        }, "Conversations could not be loaded. Please try again.");
        if (_error is not null)
        {
            _rows = [];
        }

        _loading = false;
    }
}
