using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Portal.Data;
using Portal.Domain.Brain.Ask;
using Portal.Domain.Knowledge;

namespace Portal.Web.Mcp;

/// <summary>A conversation found by <c>search_conversations</c>.</summary>
public sealed record McpConversationHit(Guid Id, string Channel, DateTimeOffset StartedAt, string Outcome, string? CustomerName, string? CustomerPhone, int TurnCount, string? Summary, int? LeadScore);

/// <summary>A turn of <c>get_conversation</c>.</summary>
public sealed record McpTurn(int Sequence, string Speaker, string Text);

/// <summary>The answer of <c>get_conversation</c>.</summary>
public sealed record McpConversation(McpConversationHit Conversation, IReadOnlyList<McpTurn> Turns);

/// <summary>A knowledge hit of <c>search_knowledge</c>.</summary>
public sealed record McpKnowledgeHit(string Title, string Text, double Score, bool IsFaq);

/// <summary>An unanswered caller question of <c>list_knowledge_gaps</c>.</summary>
public sealed record McpKnowledgeGap(string Question, int TimesAsked, DateTimeOffset LastAskedAt);

/// <summary>The answer of <c>ask_data</c>.</summary>
public sealed record McpAskAnswer(bool Answered, string Sentence, string Explanation, IReadOnlyList<AnswerRow> Rows);

/// <summary>
/// Read-only MCP tools over the token's business: conversations, knowledge, knowledge gaps and "ask your data".
/// Every tool runs through <see cref="McpTenantScope"/>; no argument can name another business.
/// </summary>
[McpServerToolType]
public static class PortalMcpTools
{
    /// <summary>Most rows a list tool returns.</summary>
    public const int MaxRows = 50;

    /// <summary>Conversations whose words, customer or summary contain <paramref name="query"/>, newest first.</summary>
    [McpServerTool(Name = "search_conversations", ReadOnly = true), Description("Searches the business's calls and chats (words said, customer name or phone, summary), newest first. An empty query lists the latest conversations.")]
    public static Task<IReadOnlyList<McpConversationHit>> SearchConversationsAsync(RequestContext<CallToolRequestParams> request,
        [Description("Words to look for; empty for the latest conversations.")] string? query = null,
        [Description("Most conversations to return (1-50, default 20).")] int limit = 20,
        CancellationToken cancellationToken = default) =>
        McpTenantScope.RunAsync(request, async (sp, _) =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
            var conversations = db.Conversations.AsNoTracking().Where(c => !c.IsTest);
            if (!string.IsNullOrWhiteSpace(query))
            {
                var pattern = "%" + query.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
                conversations = conversations.Where(c =>
                    EF.Functions.ILike(c.CustomerName ?? "", pattern) || EF.Functions.ILike(c.CustomerPhone ?? "", pattern) ||
                    c.Turns.Any(t => EF.Functions.ILike(t.Text, pattern)) ||
                    db.ConversationInsights.Any(i => i.ConversationId == c.Id && EF.Functions.ILike(i.Summary, pattern)));
            }

            var rows = await conversations.OrderByDescending(c => c.StartedAt).Take(Math.Clamp(limit, 1, MaxRows))
                .Select(c => new
                {
                    c.Id, c.Channel, c.StartedAt, c.Outcome, c.CustomerName, c.CustomerPhone, c.TurnCount,
                    Insight = db.ConversationInsights.Where(i => i.ConversationId == c.Id).Select(i => new { i.Summary, i.LeadScore }).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            return (IReadOnlyList<McpConversationHit>)rows.Select(r => new McpConversationHit(r.Id, r.Channel.ToString(), r.StartedAt, r.Outcome.ToString(),
                r.CustomerName, r.CustomerPhone, r.TurnCount, r.Insight?.Summary, r.Insight?.LeadScore)).ToList();
        });

    /// <summary>One conversation with its transcript.</summary>
    [McpServerTool(Name = "get_conversation", ReadOnly = true), Description("Reads one conversation of the business with its full transcript and summary.")]
    public static Task<McpConversation> GetConversationAsync(RequestContext<CallToolRequestParams> request,
        [Description("The conversation id (a UUID from search_conversations).")] string id,
        CancellationToken cancellationToken = default) =>
        McpTenantScope.RunAsync(request, async (sp, _) =>
        {
            if (!Guid.TryParse(id, out var conversationId))
            {
                throw new McpException("The id must be a conversation UUID from search_conversations.");
            }

            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
            var c = await db.Conversations.AsNoTracking().Include(x => x.Turns).FirstOrDefaultAsync(x => x.Id == conversationId, cancellationToken)
                ?? throw new McpException("There is no such conversation.");
            var insight = await db.ConversationInsights.AsNoTracking().Where(i => i.ConversationId == c.Id)
                .Select(i => new { i.Summary, i.LeadScore }).FirstOrDefaultAsync(cancellationToken);
            var hit = new McpConversationHit(c.Id, c.Channel.ToString(), c.StartedAt, c.Outcome.ToString(), c.CustomerName, c.CustomerPhone, c.TurnCount, insight?.Summary, insight?.LeadScore);
            return new McpConversation(hit, c.Turns.OrderBy(t => t.Sequence).Select(t => new McpTurn(t.Sequence, t.Speaker.ToString(), t.Text)).ToList());
        });

    /// <summary>Searches the business's FAQs and documents.</summary>
    [McpServerTool(Name = "search_knowledge", ReadOnly = true), Description("Searches the business's knowledge base (FAQs and documents the receptionist answers from), best first.")]
    public static Task<IReadOnlyList<McpKnowledgeHit>> SearchKnowledgeAsync(RequestContext<CallToolRequestParams> request,
        [Description("The question or words to look for.")] string query,
        [Description("Most hits (1-20, default 5).")] int limit = 5,
        CancellationToken cancellationToken = default) =>
        McpTenantScope.RunAsync(request, async (sp, grant) =>
        {
            if (string.IsNullOrWhiteSpace(query))
            {
                throw new McpException("Give a question or words to search for.");
            }

            var hits = await sp.GetRequiredService<IKnowledgeBase>().SearchAsync(grant.TenantId, query.Trim(), Math.Clamp(limit, 1, 20), cancellationToken);
            return (IReadOnlyList<McpKnowledgeHit>)hits.Select(h => new McpKnowledgeHit(h.Title, h.Text, Math.Round(h.Score, 3), h.IsFaq)).ToList();
        });

    /// <summary>Questions callers asked that the knowledge base could not answer.</summary>
    [McpServerTool(Name = "list_knowledge_gaps", ReadOnly = true), Description("Lists questions callers asked that the receptionist could not answer (most asked first), so the owner can add answers.")]
    public static Task<IReadOnlyList<McpKnowledgeGap>> ListKnowledgeGapsAsync(RequestContext<CallToolRequestParams> request,
        [Description("Most questions (1-50, default 20).")] int limit = 20,
        CancellationToken cancellationToken = default) =>
        McpTenantScope.RunAsync(request, async (sp, _) =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
            var gaps = await db.KnowledgeGaps.AsNoTracking().Where(g => !g.Resolved).OrderByDescending(g => g.Count).ThenByDescending(g => g.LastAskedAt)
                .Take(Math.Clamp(limit, 1, MaxRows)).Select(g => new McpKnowledgeGap(g.ExampleQuestion, g.Count, g.LastAskedAt)).ToListAsync(cancellationToken);
            return (IReadOnlyList<McpKnowledgeGap>)gaps;
        });

    /// <summary>Answers a question about the business's numbers through the semantic layer.</summary>
    [McpServerTool(Name = "ask_data", ReadOnly = true), Description("Answers a question about the business's numbers (calls, chats, bookings, revenue, leads, sentiment over time) in a sentence and a table. Example: 'How many bookings did we get last month by service?'")]
    public static Task<McpAskAnswer> AskDataAsync(RequestContext<CallToolRequestParams> request,
        [Description("The question in plain English.")] string question,
        CancellationToken cancellationToken = default) =>
        McpTenantScope.RunAsync(request, async (sp, _) =>
        {
            var answer = await sp.GetRequiredService<AskService>().AskAsync(question ?? "", cancellationToken);
            return new McpAskAnswer(answer.Answered, answer.Sentence, answer.Explanation, answer.Rows);
        });
}
