using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Domain.Brain.Ask;
using Portal.Domain.Conversations;
using Portal.Llm.Providers;

namespace Portal.Llm.Ask;

/// <summary>
/// Reads an owner's question into a <see cref="QueryPlan"/> with one structured-output call
/// (<see cref="ChatClientStructuredOutputExtensions"/>' <c>GetResponseAsync&lt;QueryPlan&gt;</c>: the JSON schema is generated
/// from the plan type and sent as the response format; OpenAI structured outputs,
/// https://platform.openai.com/docs/guides/structured-outputs). The answer must deserialise to a plan with no unknown
/// members and no missing or null required ones; <see cref="AskService"/> then validates it against the catalogue. A
/// failure, a timeout (<see cref="LlmOptions.AskTimeoutMs"/>) or an answer that is not a plan gives a reading with a problem,
/// never an exception. Usage and cost are priced as the agent's turns are (<see cref="LlmOptions.Prices"/>).
/// </summary>
internal sealed class ModelQuestionReader(
    LanguageModelSettingsStore settingsStore,
    ChatClientFactory clients,
    IOptionsMonitor<LlmOptions> options,
    ILogger<ModelQuestionReader> logger) : IAskModel
{
    /// <summary>Most output tokens of the answer (a plan is about 100).</summary>
    public const int MaxOutputTokens = 400;

    /// <summary>How the plan's JSON is read and its schema generated: camelCase, strict about unknown, missing and null members.</summary>
    public static readonly JsonSerializerOptions Json = CreateJson();

    /// <inheritdoc />
    public async Task<bool> IsConfiguredAsync(CancellationToken cancellationToken) => (await settingsStore.GetAsync(cancellationToken)).IsConfigured;

    /// <inheritdoc />
    public async Task<AskModelReading> ReadAsync(AskModelInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var settings = await settingsStore.GetAsync(cancellationToken);
        if (!settings.IsConfigured)
        {
            return new AskModelReading(null, "no model is configured", null);
        }

        var o = options.CurrentValue;
        var model = settings.Model!;
        var chatOptions = new ChatOptions { ModelId = model, Temperature = 0, MaxOutputTokens = MaxOutputTokens };
        List<ChatMessage> messages = [new(ChatRole.System, AskPrompt.System(input)), new(ChatRole.User, input.Question)];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.AskTimeoutMs);
        ChatResponse<QueryPlan> response;
        try
        {
            response = await clients.Get(settings, model).GetResponseAsync<QueryPlan>(messages, Json, chatOptions, useJsonSchemaResponseFormat: true, timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
                                   && ex is HttpRequestException or OperationCanceledException or InvalidOperationException or System.ClientModel.ClientResultException)
        {
            string why = ex is OperationCanceledException ? string.Create(CultureInfo.InvariantCulture, $"no answer within {o.AskTimeoutMs} ms") : "the call failed";
            logger.LogWarning("The model did not read the question ({Error})", ex.GetType().Name);
            return new AskModelReading(null, "the model did not answer: " + why, null);
        }

        long inputTokens = response.Usage?.InputTokenCount ?? 0, outputTokens = response.Usage?.OutputTokenCount ?? 0;
        long? cost = o.Prices.TryGetValue(model, out var price)
            ? (long)Math.Round(inputTokens * price.InputPerMillionUsd + outputTokens * price.OutputPerMillionUsd, MidpointRounding.AwayFromZero)
            : null;
        var usage = new TurnUsage(model, (int)inputTokens, (int)outputTokens, cost);
        QueryPlan? plan;
        try
        {
            plan = response.TryGetResult(out var result) ? result : null;
        }
        catch (JsonException)
        {
            plan = null;
        }

        return plan is null
            ? new AskModelReading(null, "the model's answer was not a query plan", usage)
            : new AskModelReading(plan, null, usage);
    }

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        json.MakeReadOnly();
        return json;
    }
}
