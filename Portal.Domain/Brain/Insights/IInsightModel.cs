using System.Text.Json;

namespace Portal.Domain.Brain.Insights;

/// <summary>What the language model concluded, validated (<see cref="ModelInsightSchema.Validate"/>), with what it cost.</summary>
/// <param name="Draft">The insight.</param>
/// <param name="Model">The model id.</param>
/// <param name="CostMicroUsd">Cost in micro-dollars (1e-6 USD) from the configured price per 1M tokens, or null when the model has no price.</param>
public sealed record ModelInsight(InsightDraft Draft, string Model, long? CostMicroUsd);

/// <summary>
/// The language-model path of the post-call analysis: one structured-output call whose JSON follows
/// <see cref="ModelInsightSchema.Schema"/>. Implemented in Portal.Llm; when none is registered, or it returns null (no model
/// configured, the call failed, the answer did not validate), the offline analysis stands.
/// </summary>
public interface IInsightModel
{
    /// <summary>The model's insight of the (already redacted) conversation, or null to keep the offline one.</summary>
    Task<ModelInsight?> AnalyzeAsync(AnalysisInput input, InsightDraft offline, CancellationToken cancellationToken);
}

/// <summary>
/// The JSON schema of the model's answer (JSON Schema 2020-12 subset accepted by OpenAI structured outputs:
/// https://platform.openai.com/docs/guides/structured-outputs) and its validation against the conversation.
/// </summary>
public static class ModelInsightSchema
{
    /// <summary>Most lead reasons kept.</summary>
    public const int MaxReasons = 8;

    /// <summary>Longest lead reason or field value, characters.</summary>
    public const int MaxShortText = 200;

    /// <summary>The schema for <paramref name="industry"/>: fields are the industry template's keys (strings or null).</summary>
    public static JsonElement Schema(Portal.Data.Entities.Industry industry)
    {
        var fields = IndustryFields.For(industry);
        var schema = new Dictionary<string, object>
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["required"] = new[] { "summary", "intents", "sentiment", "sentimentTurns", "leadScore", "leadReasons", "followUpNeeded", "followUpReason", "fields" },
            ["properties"] = new Dictionary<string, object>
            {
                ["summary"] = new { type = "string", description = "Two or three sentences: who called, what about, what happened." },
                ["intents"] = new { type = "array", items = new { type = "string", @enum = InsightIntents.All }, description = "The caller's intents, most important first." },
                ["sentiment"] = new { type = "number", description = "The caller's sentiment over the conversation, -1 (negative) to 1 (positive)." },
                ["sentimentTurns"] = new { type = "array", items = new { type = "integer" }, description = "Sequence numbers of the caller turns that drove the sentiment." },
                ["leadScore"] = new { type = "integer", description = "How promising the caller is as a customer, 0 to 100." },
                ["leadReasons"] = new { type = "array", items = new { type = "string" }, description = "Short reasons for the lead score." },
                ["followUpNeeded"] = new { type = "boolean" },
                ["followUpReason"] = new { type = new[] { "string", "null" } },
                ["fields"] = new Dictionary<string, object>
                {
                    ["type"] = "object",
                    ["additionalProperties"] = false,
                    ["required"] = fields.Select(f => f.Key).ToArray(),
                    ["properties"] = fields.ToDictionary(f => f.Key, f => (object)new { type = new[] { "string", "null" }, description = f.Label }),
                },
            },
        };
        return JsonSerializer.SerializeToElement(schema);
    }

    /// <summary>
    /// Parses and validates the model's JSON against the schema and the conversation: a non-empty summary within
    /// <see cref="Portal.Data.Entities.ConversationInsight.SummaryMaxLength"/>, known intents, sentiment in -1..1, sentiment turns that
    /// are caller turns of the conversation, lead score 0..100, at most <see cref="MaxReasons"/> short reasons, a reason when a
    /// follow-up is needed, and only the template's fields. Returns the draft, or null with <paramref name="problem"/> set.
    /// </summary>
    public static InsightDraft? Validate(string json, AnalysisInput input, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(input);
        problem = null;
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            problem = "not JSON";
            return null;
        }

        try
        {
            var summary = root.GetProperty("summary").GetString()?.Trim() ?? "";
            var intents = root.GetProperty("intents").EnumerateArray().Select(e => e.GetString() ?? "").ToList();
            double sentiment = root.GetProperty("sentiment").GetDouble();
            var turns = root.GetProperty("sentimentTurns").EnumerateArray().Select(e => e.GetInt32()).ToList();
            int lead = root.GetProperty("leadScore").GetInt32();
            var reasons = root.GetProperty("leadReasons").EnumerateArray().Select(e => e.GetString()?.Trim() ?? "").ToList();
            bool followUp = root.GetProperty("followUpNeeded").GetBoolean();
            var followUpReason = root.GetProperty("followUpReason").ValueKind == JsonValueKind.String ? root.GetProperty("followUpReason").GetString()!.Trim() : null;
            var allowedFields = IndustryFields.For(input.Industry).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            var fields = new Dictionary<string, string>();
            foreach (var field in root.GetProperty("fields").EnumerateObject())
            {
                if (!allowedFields.Contains(field.Name))
                {
                    problem = $"unknown field '{field.Name}'";
                    return null;
                }

                if (field.Value.ValueKind == JsonValueKind.String && field.Value.GetString()!.Trim() is { Length: > 0 } value)
                {
                    fields[field.Name] = value.Length > MaxShortText ? value[..MaxShortText] : value;
                }
            }

            var callerTurns = input.Turns.Where(t => t.Speaker == Portal.Data.Entities.Speaker.Customer).Select(t => t.Sequence).ToHashSet();
            problem = summary.Length == 0 ? "empty summary"
                : summary.Length > Portal.Data.Entities.ConversationInsight.SummaryMaxLength ? "summary too long"
                : intents.Any(i => !InsightIntents.All.Contains(i)) ? "unknown intent"
                : double.IsNaN(sentiment) || sentiment is < -1 or > 1 ? "sentiment outside -1..1"
                : turns.Any(t => !callerTurns.Contains(t)) ? "sentiment turn that is not a caller turn"
                : lead is < 0 or > 100 ? "lead score outside 0..100"
                : reasons.Count > MaxReasons || reasons.Any(r => r.Length is 0 or > MaxShortText) ? "lead reasons too many or too long"
                : followUp && string.IsNullOrWhiteSpace(followUpReason) ? "follow-up without a reason"
                : followUpReason is { Length: > Portal.Data.Entities.ConversationInsight.FollowUpReasonMaxLength } ? "follow-up reason too long"
                : null;
            return problem is null
                ? new InsightDraft(summary, intents.Distinct().ToList(), Math.Round(sentiment, 3), turns.Distinct().ToList(), lead, reasons, followUp, followUp ? followUpReason : null, fields)
                : null;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            problem = "does not follow the schema";
            return null;
        }
    }
}
