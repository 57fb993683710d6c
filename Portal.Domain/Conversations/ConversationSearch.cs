using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Conversations;

/// <summary>A conversation found by a search, with its analysis summary and lead score when there is one.</summary>
/// <param name="Id">Conversation id.</param>
/// <param name="Channel">Channel.</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="Outcome">Outcome.</param>
/// <param name="CustomerName">Customer's name, when known.</param>
/// <param name="CustomerPhone">Customer's phone, when known.</param>
/// <param name="TurnCount">Turns so far.</param>
/// <param name="Summary">The analysis summary, or null before it.</param>
/// <param name="LeadScore">Lead score 0–100 of the analysis, or null before it.</param>
public sealed record ConversationHit(Guid Id, Channel Channel, DateTimeOffset StartedAt, ConversationOutcome Outcome, string? CustomerName, string? CustomerPhone, int TurnCount, string? Summary, int? LeadScore);

/// <summary>A conversation with its summary and its turns in order.</summary>
/// <param name="Conversation">The conversation and its analysis.</param>
/// <param name="Turns">Its turns by sequence.</param>
public sealed record SummarizedConversation(ConversationHit Conversation, IReadOnlyList<Turn> Turns);

/// <summary>
/// Full-text-ish search over the current business's real conversations (test-console ones excluded): the words said,
/// the customer's name or phone and the analysis summary, for the assistant tools (MCP). The tenant query filter scopes
/// every query, so another business's conversation reads as unknown (null).
/// </summary>
public sealed class ConversationSearch(IDbContextFactory<PortalDbContext> contextFactory)
{
    /// <summary>
    /// Up to <paramref name="limit"/> conversations (newest first) whose customer name or phone, any turn's text or
    /// summary contains <paramref name="text"/> (case-insensitive); null or blank lists the latest.
    /// </summary>
    public async Task<IReadOnlyList<ConversationHit>> SearchAsync(string? text, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var conversations = db.Conversations.AsNoTracking().Where(c => !c.IsTest);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = "%" + ConversationHistory.EscapeLike(text.Trim()) + "%";
            conversations = conversations.Where(c =>
                EF.Functions.ILike(c.CustomerName ?? "", pattern) || EF.Functions.ILike(c.CustomerPhone ?? "", pattern) ||
                c.Turns.Any(t => EF.Functions.ILike(t.Text, pattern)) ||
                db.ConversationInsights.Any(i => i.ConversationId == c.Id && EF.Functions.ILike(i.Summary, pattern)));
        }

        var rows = await conversations.OrderByDescending(c => c.StartedAt).Take(limit)
            .Select(c => new
            {
                c.Id, c.Channel, c.StartedAt, c.Outcome, c.CustomerName, c.CustomerPhone, c.TurnCount,
                Insight = db.ConversationInsights.Where(i => i.ConversationId == c.Id).Select(i => new { i.Summary, i.LeadScore }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ConversationHit(r.Id, r.Channel, r.StartedAt, r.Outcome, r.CustomerName, r.CustomerPhone, r.TurnCount, r.Insight?.Summary, r.Insight?.LeadScore)).ToList();
    }

    /// <summary>One conversation (test ones included) with its summary and turns, or null when it is not the current business's.</summary>
    public async Task<SummarizedConversation?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var c = await db.Conversations.AsNoTracking().Include(x => x.Turns).FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (c is null)
        {
            return null;
        }

        var insight = await db.ConversationInsights.AsNoTracking().Where(i => i.ConversationId == c.Id)
            .Select(i => new { i.Summary, i.LeadScore }).FirstOrDefaultAsync(cancellationToken);
        var hit = new ConversationHit(c.Id, c.Channel, c.StartedAt, c.Outcome, c.CustomerName, c.CustomerPhone, c.TurnCount, insight?.Summary, insight?.LeadScore);
        return new SummarizedConversation(hit, c.Turns.OrderBy(t => t.Sequence).ToList());
    }
}
