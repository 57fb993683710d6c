using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Brain.Insights;

/// <summary>A conversation's insight as the pages show it.</summary>
/// <param name="Summary">Two or three sentences.</param>
/// <param name="Intents">Intent keys, most important first (<see cref="InsightIntents.Label"/> gives labels).</param>
/// <param name="Sentiment">-1..1.</param>
/// <param name="SentimentTurns">Sequences of the turns that drove the sentiment.</param>
/// <param name="LeadScore">0..100.</param>
/// <param name="LeadReasons">Why.</param>
/// <param name="FollowUpNeeded">True when someone should get back to the caller.</param>
/// <param name="FollowUpReason">Why, or null.</param>
/// <param name="Fields">The industry template's fields found, as (label, value).</param>
/// <param name="Engine">"offline" or "model".</param>
/// <param name="RedactedCount">Personal data items removed.</param>
/// <param name="AnalyzedAt">When (UTC).</param>
public sealed record InsightView(
    string Summary, IReadOnlyList<string> Intents, double Sentiment, IReadOnlyList<int> SentimentTurns, int LeadScore,
    IReadOnlyList<string> LeadReasons, bool FollowUpNeeded, string? FollowUpReason, IReadOnlyList<(string Label, string Value)> Fields,
    string Engine, int RedactedCount, DateTimeOffset AnalyzedAt);

/// <summary>Filters of the conversation list that read the insights; null members do not filter.</summary>
/// <param name="FollowUpOnly">Only conversations that need a follow-up.</param>
/// <param name="MinLeadScore">Only lead scores at or above.</param>
/// <param name="Intent">Only conversations with this intent key.</param>
/// <param name="Sentiment">"positive" (≥ 0.3), "negative" (≤ -0.3) or "neutral".</param>
public sealed record InsightFilter(bool FollowUpOnly = false, int? MinLeadScore = null, string? Intent = null, string? Sentiment = null)
{
    /// <summary>True when any member filters.</summary>
    public bool Any => FollowUpOnly || MinLeadScore is not null || Intent is not null || Sentiment is not null;
}

/// <summary>Reads insights of the current tenant (through the tenant query filter) for the conversation pages.</summary>
public sealed class InsightQueries(IDbContextFactory<PortalDbContext> contextFactory)
{
    /// <summary>The insight of <paramref name="conversationId"/>, or null when not analysed yet (or not this tenant's).</summary>
    public async Task<InsightView?> GetAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var i = await db.ConversationInsights.AsNoTracking().FirstOrDefaultAsync(x => x.ConversationId == conversationId, cancellationToken);
        if (i is null)
        {
            return null;
        }

        var industry = await db.Tenants.AsNoTracking().Select(t => t.Industry).FirstOrDefaultAsync(cancellationToken);
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(i.Fields) ?? [];
        var labelled = IndustryFields.For(industry).Where(f => values.ContainsKey(f.Key)).Select(f => (f.Label, values[f.Key]))
            .Concat(values.Where(v => IndustryFields.For(industry).All(f => f.Key != v.Key)).Select(v => (v.Key, v.Value)))
            .ToList();
        return new InsightView(i.Summary, i.Intents, i.Sentiment, i.SentimentTurns, i.LeadScore, i.LeadReasons, i.FollowUpNeeded,
            i.FollowUpReason, labelled, i.Engine, i.RedactedCount, i.AnalyzedAt);
    }

    /// <summary>Applies <paramref name="filter"/> to a conversation query of <paramref name="db"/> (a subquery per condition, in the database).</summary>
    public static IQueryable<Conversation> Apply(IQueryable<Conversation> query, PortalDbContext db, InsightFilter filter)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var insights = db.ConversationInsights;
        if (filter.FollowUpOnly)
        {
            query = query.Where(c => insights.Any(i => i.ConversationId == c.Id && i.FollowUpNeeded));
        }

        if (filter.MinLeadScore is { } min)
        {
            query = query.Where(c => insights.Any(i => i.ConversationId == c.Id && i.LeadScore >= min));
        }

        if (filter.Intent is { } intent)
        {
            query = query.Where(c => insights.Any(i => i.ConversationId == c.Id && i.Intents.Contains(intent)));
        }

        query = filter.Sentiment switch
        {
            "positive" => query.Where(c => insights.Any(i => i.ConversationId == c.Id && i.Sentiment >= ConversationAnalyzer.DriverThreshold)),
            "negative" => query.Where(c => insights.Any(i => i.ConversationId == c.Id && i.Sentiment <= -ConversationAnalyzer.DriverThreshold)),
            "neutral" => query.Where(c => insights.Any(i => i.ConversationId == c.Id && i.Sentiment > -ConversationAnalyzer.DriverThreshold && i.Sentiment < ConversationAnalyzer.DriverThreshold)),
            _ => query,
        };
        return query;
    }
}
