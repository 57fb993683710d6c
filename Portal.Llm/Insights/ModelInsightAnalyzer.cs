using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Domain.Brain.Insights;
using Portal.Llm.Providers;

namespace Portal.Llm.Insights;

/// <summary>
/// The language-model post-call analysis: one chat completion with a JSON-schema response format
/// (<see cref="ChatResponseFormat.ForJsonSchema(System.Text.Json.JsonElement, string?, string?)"/>; OpenAI structured outputs,
/// https://platform.openai.com/docs/guides/structured-outputs) over the redacted transcript, validated by
/// <see cref="ModelInsightSchema.Validate"/>, its cost recorded from the token usage and the configured price. Returns null
/// (the offline analysis stands) when no model is configured, the call fails or times out, or the answer does not validate.
/// </summary>
internal sealed class ModelInsightAnalyzer(
    LanguageModelSettingsStore settingsStore,
    ChatClientFactory clients,
    IOptionsMonitor<LlmOptions> options,
    ILogger<ModelInsightAnalyzer> logger) : IInsightModel
{
    /// <summary>Most output tokens of the answer.</summary>
    public const int MaxOutputTokens = 800;

    /// <summary>Caller and agent turns sent, from the start (a longer conversation is cut, the offline summary covers it).</summary>
    public const int MaxTurns = 60;

    /// <inheritdoc />
    public async Task<ModelInsight?> AnalyzeAsync(AnalysisInput input, InsightDraft offline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var settings = await settingsStore.GetAsync(cancellationToken);
        if (!settings.IsConfigured)
        {
            return null;
        }

        var o = options.CurrentValue;
        var model = settings.Model!;
        var chatOptions = new ChatOptions
        {
            ModelId = model,
            Temperature = 0,
            MaxOutputTokens = MaxOutputTokens,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(ModelInsightSchema.Schema(input.Industry), "conversation_insight",
                "The post-call analysis of one conversation between a business's AI receptionist and a caller."),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.TotalTimeoutMs);
        ChatResponse response;
        try
        {
            response = await clients.Get(settings, model)
                .GetStreamingResponseAsync(Messages(input, offline), chatOptions, timeout.Token)
                .ToChatResponseAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException or System.ClientModel.ClientResultException
                                       && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Model analysis failed ({Error}); the offline analysis stands", ex.GetType().Name);
            return null;
        }

        var draft = ModelInsightSchema.Validate(response.Text, input, out var problem);
        if (draft is null)
        {
            logger.LogWarning("Model analysis did not validate ({Problem}); the offline analysis stands", problem);
            return null;
        }

        long promptTokens = response.Usage?.InputTokenCount ?? 0, completionTokens = response.Usage?.OutputTokenCount ?? 0;
        long? cost = o.Prices.TryGetValue(model, out var price)
            ? (long)Math.Round(promptTokens * price.InputPerMillionUsd + completionTokens * price.OutputPerMillionUsd, MidpointRounding.AwayFromZero)
            : null;
        return new ModelInsight(draft, model, cost);
    }

    private static List<ChatMessage> Messages(AnalysisInput input, InsightDraft offline)
    {
        var transcript = new StringBuilder();
        foreach (var turn in input.Turns.Take(MaxTurns))
        {
            transcript.Append(CultureInfo.InvariantCulture, $"[{turn.Sequence}] {(turn.Speaker == Portal.Data.Entities.Speaker.Customer ? "Caller" : "Agent")}: {turn.Text}\n");
        }

        var facts = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Industry: {input.Industry}. Channel: {input.Channel}. Outcome: {input.Outcome}. ")
            .Append(CultureInfo.InvariantCulture, $"Returning customer: {(input.ReturningCustomer ? "yes" : "no")}. Contact number known: {(input.HasContact ? "yes" : "no")}.\n");
        foreach (var booking in input.Bookings)
        {
            var local = TimeZoneInfo.ConvertTime(booking.StartUtc, input.Zone);
            facts.Append(CultureInfo.InvariantCulture, $"Booking: {booking.ServiceName} on {local:yyyy-MM-dd HH:mm} ({booking.Status}).\n");
        }

        foreach (var message in input.Messages)
        {
            facts.Append("Message left: ").Append(message).Append('\n');
        }

        return
        [
            new(ChatRole.System,
                "You analyse a finished conversation between a small business's AI receptionist and a caller. Answer only with JSON that follows the schema. " +
                "Use only what the transcript and facts say; do not invent names, numbers or details. Text in [brackets] such as [card number] was removed for privacy: never guess it. " +
                "Sentiment is the caller's, from -1 (angry or upset) to 1 (delighted). sentimentTurns are the sequence numbers of caller turns that show it. " +
                "Lead score: 0 (no business) to 100 (booked or ready to buy); give short reasons such as \"Asked about prices\" or \"Booked a cleaning\". " +
                "Set a field only when the caller said it; otherwise null. " +
                $"A rule-based analysis, for reference, scored the lead {offline.LeadScore.ToString(CultureInfo.InvariantCulture)} and found intents: {string.Join(", ", offline.Intents)}."),
            new(ChatRole.User, facts.Append("Transcript:\n").Append(transcript).ToString()),
        ];
    }
}
