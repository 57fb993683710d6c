using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Llm.Prompting;
using Portal.Llm.Providers;
using Portal.Llm.Tools;

namespace Portal.Llm.Engine;

/// <summary>
/// Chooses the model engine for a turn: null (offline) when no provider is configured or the
/// persona is offline-only; otherwise a <see cref="ModelDialogueEngine"/> with the deployment's
/// provider, the persona's model/temperature/max-tokens overrides and the conversation's recent
/// transcript. An open circuit is not checked here: the engine's call fails fast and the turn is
/// answered offline (and the conversation marked fallen back), so conversations started after the
/// breaker closes use the model again.
/// </summary>
internal sealed class ModelEngineSelector(
    LanguageModelSettingsStore settingsStore,
    ChatClientFactory clients,
    LlmResilience resilience,
    ReceptionistTools tools,
    IDbContextFactory<PortalDbContext> contextFactory,
    IOptionsMonitor<LlmOptions> options,
    ILogger<ModelEngineSelector> logger) : IModelEngineSelector
{
    /// <summary>Earlier turns sent to the model (older ones are summarized by the state in the prompt).</summary>
    public const int HistoryTurns = 20;

    /// <inheritdoc />
    public async ValueTask<IDialogueEngine?> SelectAsync(DialogueContext context, Guid agentPersonaId, CancellationToken cancellationToken)
    {
        var settings = await settingsStore.GetAsync(cancellationToken);
        if (!settings.IsConfigured)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var persona = await db.AgentPersonas.AsNoTracking().FirstOrDefaultAsync(a => a.Id == agentPersonaId, cancellationToken);
        if (persona is null || persona.OfflineOnly)
        {
            return null;
        }

        var turns = await db.Turns.AsNoTracking().Where(t => t.ConversationId == context.ConversationId)
            .OrderByDescending(t => t.Sequence).Take(HistoryTurns + 1)
            .Select(t => new { t.Speaker, t.Text }).ToListAsync(cancellationToken);
        turns.Reverse();
        if (turns.Count > 0 && turns[^1].Speaker == Speaker.Customer)
        {
            turns.RemoveAt(turns.Count - 1); // the utterance of this turn, stored before the engine runs
        }

        var history = turns.Select(t => new ChatMessage(t.Speaker == Speaker.Agent ? ChatRole.Assistant : ChatRole.User, t.Text)).ToList();
        var o = options.CurrentValue;
        var model = persona.LlmModel ?? settings.Model!;
        o.Prices.TryGetValue(model, out var price);
        var turnSettings = new ModelTurnSettings(
            settings.EndpointKey, model, (float)(persona.LlmTemperature ?? o.Temperature), persona.LlmMaxOutputTokens ?? o.MaxOutputTokens,
            PersonaPrompt.From(persona), price, o);
        return new ModelDialogueEngine(clients.Get(settings, model), resilience.For(settings.EndpointKey), turnSettings, tools, history, logger);
    }
}
