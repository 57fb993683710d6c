using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Brain.Pii;

namespace Portal.Rag.Retrieval;

/// <summary>
/// Stores questions the agent could not answer. A question is normalized (lower case, punctuation and filler
/// words removed) and counted on the open gap of the same tenant whose normalized text is the same or
/// trigram-similar (pg_trgm <c>similarity</c> ≥ <see cref="GroupingSimilarity"/>), else a new gap is opened.
/// The question is first run through <see cref="PiiRedactor"/> with the business's own categories
/// (<see cref="RedactionSettings"/>), as transcripts are, so neither the stored example, its normalized form nor the
/// webhook payload carries a caller's card, email, phone, address or date of birth.
/// </summary>
public sealed class KnowledgeGapStore(NpgsqlDataSource dataSource, TimeProvider clock, Microsoft.Extensions.DependencyInjection.IServiceScopeFactory scopes)
{
    /// <summary>Trigram similarity (0..1) at which two questions count as the same gap.</summary>
    public const double GroupingSimilarity = 0.55;

    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "um", "uh", "er", "hmm", "hi", "hello", "hey", "please", "so", "well", "oh", "okay", "ok", "yeah", "like", "just", "actually", "basically", "thanks", "thank", "a", "the",
    };

    /// <summary>Lower case, letters and digits only, filler words dropped, single spaces, at most <see cref="KnowledgeGap.QuestionMaxLength"/> characters.</summary>
    public static string Normalize(string question)
    {
        var sb = new StringBuilder(question.Length);
        foreach (var ch in question.ToLowerInvariant().Replace("'", "", StringComparison.Ordinal).Replace("\u2019", "", StringComparison.Ordinal))
        {
            sb.Append(char.IsLetterOrDigit(ch) ? ch : ' ');
        }

        var words = sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !Fillers.Contains(w));
        var normalized = string.Join(' ', words);
        return normalized.Length > KnowledgeGap.QuestionMaxLength ? normalized[..KnowledgeGap.QuestionMaxLength] : normalized;
    }

    /// <summary>Counts <paramref name="question"/> as a gap of <paramref name="tenantId"/>; ignores a question with no words. Returns the gap id, or null when ignored.</summary>
    public async Task<Guid?> RecordAsync(Guid tenantId, string question, Guid? conversationId, CancellationToken cancellationToken) =>
        (await RecordGapAsync(tenantId, question, conversationId, cancellationToken))?.Id;

    /// <summary>As <see cref="RecordAsync"/>, also saying whether the question opened a new gap (rather than counting
    /// on an open one), which is when the business is told.</summary>
    public async Task<(Guid Id, bool Opened)?> RecordGapAsync(Guid tenantId, string question, Guid? conversationId, CancellationToken cancellationToken)
    {
        question = await RedactAsync(tenantId, question ?? "", cancellationToken);
        var normalized = Normalize(question);
        if (normalized.Length < 3)
        {
            return null;
        }

        var example = question.Trim();
        example = example.Length > KnowledgeGap.QuestionMaxLength ? example[..KnowledgeGap.QuestionMaxLength] : example;
        var now = clock.GetUtcNow();
        // Named tenant: gaps are recorded from calls, where no owner is signed in.
        const string sql = """
            WITH match_gap AS (
              SELECT id FROM knowledge_gaps
              WHERE tenant_id = $1 AND NOT resolved AND (normalized_question = $2 OR (normalized_question % $2 AND similarity(normalized_question, $2) >= $6))
              ORDER BY normalized_question = $2 DESC, similarity(normalized_question, $2) DESC LIMIT 1),
            updated AS (
              UPDATE knowledge_gaps g SET count = g.count + 1, last_asked_at = $4, example_question = $3,
                     example_conversation_id = coalesce($5, g.example_conversation_id), updated_at = $4
              FROM match_gap WHERE g.id = match_gap.id RETURNING g.id),
            inserted AS (
              INSERT INTO knowledge_gaps (id, tenant_id, normalized_question, example_question, count, last_asked_at, example_conversation_id, resolved, created_at, updated_at)
              SELECT $7, $1, $2, $3, 1, $4, $5, false, $4, $4 WHERE NOT EXISTS (SELECT 1 FROM updated)
              ON CONFLICT (tenant_id, normalized_question) DO UPDATE SET count = knowledge_gaps.count + 1, last_asked_at = $4, example_question = $3, resolved = false, updated_at = $4
              RETURNING id, xmax = 0 AS opened)
            SELECT id, false AS opened FROM updated UNION ALL SELECT id, opened FROM inserted
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(normalized);
        command.Parameters.AddWithValue(example);
        command.Parameters.AddWithValue(now);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)conversationId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.AddWithValue(GroupingSimilarity);
        command.Parameters.AddWithValue(Guid.CreateVersion7());
        (Guid Id, bool Opened)? gap;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            gap = await reader.ReadAsync(cancellationToken) ? (reader.GetGuid(0), reader.GetBoolean(1)) : null;
        }

        if (gap is { } recorded)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Portal.Domain.Webhooks.IWebhookPublisher>().PublishAsync(tenantId, Portal.Domain.Webhooks.WebhookEventTypes.KnowledgeGap,
                new { gapId = recorded.Id, question = example, conversationId, askedAt = now, opened = recorded.Opened }, cancellationToken);
        }

        return gap;
    }

    /// <summary>
    /// <paramref name="question"/> with the personal data the business removes from transcripts replaced by placeholders
    /// (its <see cref="RedactionSettings"/>, or every category when none were saved); the business's own phone and
    /// address stay.
    /// </summary>
    public async Task<string> RedactAsync(Guid tenantId, string question, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
        // Named tenant: gaps are recorded from calls, where no owner is signed in (the request's tenant may be unset).
        var tenant = await db.Tenants.IgnoreQueryFilters().AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new { t.Phone, t.Address }).FirstOrDefaultAsync(cancellationToken);
        var categories = await db.RedactionSettings.IgnoreQueryFilters().AsNoTracking().Where(r => r.TenantId == tenantId)
            .Select(r => (PiiCategory?)r.Categories).FirstOrDefaultAsync(cancellationToken) ?? PiiCategory.All;
        var options = new RedactionOptions(categories, clock.GetUtcNow().Year,
            tenant?.Phone is { } phone ? [phone] : null, tenant?.Address);
        return PiiRedactor.Redact(question, options).Text;
    }
}
