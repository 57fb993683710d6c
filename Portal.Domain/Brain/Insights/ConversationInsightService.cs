using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Brain.Pii;
using Portal.Domain.Conversations;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Brain.Insights;

/// <summary>
/// Runs the post-call analysis of one ended conversation of the current tenant: removes the personal data the business
/// chose (<see cref="RedactionSettings"/>) from the stored transcript, the messages and the dialogue state's free text,
/// keeps the originals only as Data Protection ciphertext when the business asked for that, then writes the
/// <see cref="ConversationInsight"/>: the language model's (<see cref="IInsightModel"/>, one structured-output call) when one
/// is configured and its answer validates, else the offline analysis (<see cref="ConversationAnalyzer"/>). Idempotent: a conversation analysed once is
/// left as it is, and two runs at once store one insight (the unique index decides).
/// </summary>
public sealed class ConversationInsightService(
    IDbContextFactory<PortalDbContext> contextFactory,
    ITenantContext tenantContext,
    IDataProtectionProvider dataProtection,
    TimeProvider timeProvider,
    ILogger<ConversationInsightService> logger,
    IEnumerable<IInsightModel> models)
{
    /// <summary>Data Protection purpose of <see cref="ConversationInsight.ProtectedOriginal"/>.</summary>
    public const string OriginalPurpose = "Portal.Brain.OriginalTranscript.v1";

    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Analyses <paramref name="conversationId"/> of the current tenant. Returns the insight (the existing one when already
    /// analysed), or null when the conversation is unknown to this tenant or still open.
    /// </summary>
    public async Task<ConversationInsight?> AnalyzeAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        if (tenantContext.TenantId is not { } tenantId)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.ConversationInsights.AsNoTracking().FirstOrDefaultAsync(i => i.ConversationId == conversationId, cancellationToken) is { } done)
        {
            return done;
        }

        var conversation = await db.Conversations.Include(c => c.Turns.OrderBy(t => t.Sequence))
            .FirstOrDefaultAsync(c => c.Id == conversationId && c.EndedAt != null, cancellationToken);
        if (conversation is null)
        {
            return null;
        }

        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == tenantId, cancellationToken);
        var settings = await db.RedactionSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new RedactionSettings();
        var now = timeProvider.GetUtcNow();
        var options = new RedactionOptions(settings.Categories, now.Year,
            new[] { tenant.Phone, conversation.ToNumber }.OfType<string>().ToList(), tenant.Address);

        var originals = new Dictionary<int, string>();
        int redacted = 0;
        foreach (var turn in conversation.Turns)
        {
            var result = PiiRedactor.Redact(turn.Text, options);
            if (result.Matches.Count > 0)
            {
                originals[turn.Sequence] = turn.Text;
                turn.Text = result.Text;
                redacted += result.Matches.Count;
            }

            if (turn.HeardText is not null)
            {
                turn.HeardText = PiiRedactor.Redact(turn.HeardText, options).Text;
            }
        }

        var messages = await db.CallerMessages.Where(m => m.ConversationId == conversationId).ToListAsync(cancellationToken);
        foreach (var message in messages)
        {
            var result = PiiRedactor.Redact(message.Body, options);
            message.Body = result.Text;
            redacted += result.Matches.Count;
        }

        conversation.State = RedactState(conversation.State, options);
        var state = JsonSerializer.Deserialize<DialogueState>(conversation.State, StateJson) ?? new DialogueState();

        var bookings = await db.Bookings.AsNoTracking().Where(b => b.ConversationId == conversationId)
            .Select(b => new AnalysisBooking(b.Service!.Name, b.StartUtc, b.PriceCents, b.Status)).ToListAsync(cancellationToken);
        string? phone = conversation.CustomerPhone;
        bool returning = phone is not null && (
            await db.Conversations.AnyAsync(c => c.CustomerPhone == phone && c.Id != conversationId && c.StartedAt < conversation.StartedAt && !c.IsTest, cancellationToken)
            || await db.Bookings.AnyAsync(b => b.CustomerPhone == phone && b.CreatedAt < conversation.StartedAt, cancellationToken));

        var input = new AnalysisInput(tenant.Industry, Zone(tenant.TimeZoneId), conversation.Channel, conversation.Outcome,
            conversation.CustomerName, !string.IsNullOrWhiteSpace(phone), returning,
            conversation.Turns.Select(t => new AnalysisTurn(t.Sequence, t.Speaker, t.Text, t.Intent)).ToList(),
            state, bookings, messages.Select(m => m.Body).ToList());
        var offline = ConversationAnalyzer.Analyze(input);
        ModelInsight? modelInsight = null;
        if (models.FirstOrDefault() is { } model)
        {
            modelInsight = await model.AnalyzeAsync(input, offline, cancellationToken);
        }

        var draft = modelInsight?.Draft ?? offline;
        var insight = new ConversationInsight
        {
            TenantId = tenantId,
            ConversationId = conversationId,
            Summary = PiiRedactor.Redact(draft.Summary, options).Text,
            Intents = [.. draft.Intents],
            Outcome = conversation.Outcome,
            Sentiment = draft.Sentiment,
            SentimentTurns = [.. draft.SentimentTurns],
            LeadScore = draft.LeadScore,
            LeadReasons = [.. draft.LeadReasons],
            FollowUpNeeded = draft.FollowUpNeeded,
            FollowUpReason = draft.FollowUpReason,
            Fields = JsonSerializer.Serialize(draft.Fields),
            Engine = modelInsight is null ? "offline" : "model",
            CostMicroUsd = modelInsight?.CostMicroUsd,
            RedactedCount = redacted,
            ProtectedOriginal = settings.KeepEncryptedOriginal && originals.Count > 0
                ? dataProtection.CreateProtector(OriginalPurpose).Protect(JsonSerializer.Serialize(originals))
                : null,
            AnalyzedAt = now,
        };
        db.ConversationInsights.Add(insight);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another run analysed it first; its insight (and redaction) stands.
            logger.LogInformation("Conversation {ConversationId} was analysed by a concurrent run", conversationId);
            await using var again = await contextFactory.CreateDbContextAsync(cancellationToken);
            return await again.ConversationInsights.AsNoTracking().FirstAsync(i => i.ConversationId == conversationId, cancellationToken);
        }

        logger.LogInformation("Analysed conversation {ConversationId}: {Redacted} items redacted, lead score {LeadScore}", conversationId, redacted, insight.LeadScore);
        return insight;
    }

    /// <summary>
    /// The original texts of a conversation's redacted turns (sequence → text) when the business keeps them, decrypted;
    /// null when none were kept. Current tenant only.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, string>?> OriginalsAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var protectedText = await db.ConversationInsights.AsNoTracking().Where(i => i.ConversationId == conversationId)
            .Select(i => i.ProtectedOriginal).FirstOrDefaultAsync(cancellationToken);
        return protectedText is null
            ? null
            : JsonSerializer.Deserialize<Dictionary<int, string>>(dataProtection.CreateProtector(OriginalPurpose).Unprotect(protectedText));
    }

    /// <summary>
    /// Ended conversations of every business with no insight yet (oldest first, at most <paramref name="max"/>), for the
    /// sweep job. Cross-tenant by design: the job runs outside any tenant.
    /// </summary>
    public async Task<IReadOnlyList<(Guid TenantId, Guid ConversationId)>> PendingAsync(int max, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Conversations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.EndedAt != null && !db.ConversationInsights.IgnoreQueryFilters().Any(i => i.ConversationId == c.Id))
            .OrderBy(c => c.EndedAt).Take(max)
            .Select(c => new { c.TenantId, c.Id }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.TenantId, r.Id)).ToList();
    }

    /// <summary>Redacts the free text the dialogue state keeps (a message being taken, notes for the staff); ids and times are left alone.</summary>
    private static string RedactState(string json, RedactionOptions options)
    {
        if (JsonNode.Parse(json) is not JsonObject root)
        {
            return json;
        }

        foreach (var (name, value) in root.ToList())
        {
            if (name.Equals(nameof(DialogueState.MessageBody), StringComparison.OrdinalIgnoreCase) && value is JsonValue v && v.TryGetValue<string>(out var body))
            {
                root[name] = PiiRedactor.Redact(body, options).Text;
            }
            else if (name.Equals(nameof(DialogueState.StaffNotes), StringComparison.OrdinalIgnoreCase) && value is JsonArray notes)
            {
                root[name] = new JsonArray(notes.Select(n => (JsonNode?)JsonValue.Create(PiiRedactor.Redact(n?.GetValue<string>(), options).Text)).ToArray());
            }
        }

        return root.ToJsonString();
    }

    private static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
