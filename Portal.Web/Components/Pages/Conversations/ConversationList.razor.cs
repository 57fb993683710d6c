using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Domain.Brain.Insights;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Web.Components.Shared;
using Portal.Web.Tenancy;

namespace Portal.Web.Components.Pages.Conversations;

/// <summary>All conversations of the business, filtered and paged in the database.</summary>
public partial class ConversationList
{
    private const int PageSize = 25;

    private sealed record Row(Guid Id, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, Channel Channel, ConversationOutcome Outcome, string? CustomerName, string? CustomerPhone, int TurnCount, bool IsTest)
    {
        /// <summary>Lead score of the analysis, or null before it.</summary>
        public int? LeadScore { get; init; }

        /// <summary>Sentiment of the analysis, or null before it.</summary>
        public double? Sentiment { get; init; }

        /// <summary>Follow-up flag of the analysis, or null before it.</summary>
        public bool? FollowUp { get; init; }
    }

    private bool _loading = true;
    private string? _error;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private List<Row> _rows = [];
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

    [Inject] private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

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
        _error = null;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _zone = await Zones.ZoneAsync();

            var query = db.Conversations.AsNoTracking();
            if (_channel is { } channel)
            {
                query = query.Where(c => c.Channel == channel);
            }

            if (_outcome is { } outcome)
            {
                query = query.Where(c => c.Outcome == outcome);
            }

            if (_range?.Start is { } from)
            {
                var fromUtc = TenantTime.StartOfDayUtc(DateOnly.FromDateTime(from), _zone);
                query = query.Where(c => c.StartedAt >= fromUtc);
            }

            if (_range?.End is { } to)
            {
                var toUtc = TenantTime.StartOfDayUtc(DateOnly.FromDateTime(to).AddDays(1), _zone);
                query = query.Where(c => c.StartedAt < toUtc);
            }

            if (!string.IsNullOrWhiteSpace(_search))
            {
                var text = _search.Trim();
                var pattern = $"%{EscapeLike(text)}%";
                var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
                var phonePattern = digits.Length >= 3 ? $"%{digits}%" : null;
                query = query.Where(c => EF.Functions.ILike(c.CustomerName ?? "", pattern)
                    || EF.Functions.ILike(c.CustomerPhone ?? "", pattern)
                    || (phonePattern != null && EF.Functions.Like(c.CustomerPhone ?? "", phonePattern)));
            }

            query = InsightQueries.Apply(query, db, Insight);
            _total = await query.CountAsync();
            _page = Math.Clamp(_page, 1, PageCount);
            _rows = await query.OrderByDescending(c => c.StartedAt)
                .Skip((_page - 1) * PageSize).Take(PageSize)
                .Select(c => new Row(c.Id, c.StartedAt, c.EndedAt, c.Channel, c.Outcome, c.CustomerName, c.CustomerPhone, c.TurnCount, c.IsTest)
                {
                    LeadScore = db.ConversationInsights.Where(i => i.ConversationId == c.Id).Select(i => (int?)i.LeadScore).FirstOrDefault(),
                    Sentiment = db.ConversationInsights.Where(i => i.ConversationId == c.Id).Select(i => (double?)i.Sentiment).FirstOrDefault(),
                    FollowUp = db.ConversationInsights.Where(i => i.ConversationId == c.Id).Select(i => (bool?)i.FollowUpNeeded).FirstOrDefault(),
                })
                .ToListAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _error = "Conversations could not be loaded. Please try again.";
            _rows = [];
        }
        finally
        {
            _loading = false;
        }
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
