using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Numbers;

namespace Portal.Domain.Agents;

/// <summary>The agent as the Agent page edits it.</summary>
/// <param name="Name">1 to <see cref="AgentSettingsService.NameMaxLength"/> characters.</param>
/// <param name="Greeting">1 to <see cref="AgentPersona.GreetingMaxLength"/> characters.</param>
/// <param name="Personality">Tone.</param>
/// <param name="CustomInstructions">Up to <see cref="AgentPersona.InstructionsMaxLength"/> characters, or null.</param>
/// <param name="TransferNumber">Where callers are transferred (any phone form; stored E.164), or null.</param>
/// <param name="VoiceId">The synthesis voice.</param>
/// <param name="OfflineOnly">Never use the language model.</param>
/// <param name="LlmModel">Model override (up to <see cref="AgentPersona.LlmModelMaxLength"/> characters), or null.</param>
/// <param name="LlmTemperature">Temperature override 0–2, or null.</param>
/// <param name="LlmMaxOutputTokens">Output limit override 16–8192, or null.</param>
/// <param name="SpeechToTextProvider">Speech recognition for calls (up to <see cref="AgentPersona.SpeechProviderMaxLength"/> characters), or null for the deployment default.</param>
/// <param name="TextToSpeechProvider">Speech synthesis for calls, or null for the deployment default.</param>
/// <param name="RecordingEnabled">Callers may leave recorded voice messages.</param>
public sealed record AgentSettingsInput(
    string Name, string Greeting, Personality Personality, string? CustomInstructions, string? TransferNumber, string VoiceId, bool OfflineOnly,
    string? LlmModel, double? LlmTemperature, int? LlmMaxOutputTokens, string? SpeechToTextProvider, string? TextToSpeechProvider, bool RecordingEnabled);

/// <summary>A partial change of the agent (the API's <c>PUT /api/v1/agent</c>): null leaves a field as it is.</summary>
/// <param name="Name">1 to <see cref="AgentSettingsService.NameMaxLength"/> characters.</param>
/// <param name="Greeting">1 to <see cref="AgentPersona.GreetingMaxLength"/> characters.</param>
/// <param name="Personality">Tone.</param>
/// <param name="CustomInstructions">Up to <see cref="AgentPersona.InstructionsMaxLength"/> characters; empty or blank clears them.</param>
/// <param name="TransferNumber">Where callers are transferred (any phone form; stored E.164); empty clears it.</param>
/// <param name="RecordingEnabled">Callers may leave recorded voice messages.</param>
public sealed record AgentSettingsPatch(string? Name, string? Greeting, Personality? Personality, string? CustomInstructions, string? TransferNumber, bool? RecordingEnabled);

/// <summary>The Agent page's data: the business's name and its agent.</summary>
/// <param name="BusinessName">The business's name (for the greeting preview).</param>
/// <param name="Persona">The live persona, else the first created; null when the business has none.</param>
public sealed record AgentSettingsView(string BusinessName, AgentPersona? Persona);

/// <summary>
/// The Agent page's service: reads and saves the current business's agent persona (the same one
/// <see cref="BusinessProfileCache"/> uses: the live persona, else the first created). A save bumps
/// <see cref="Tenant.FactsVersion"/> and invalidates the profile cache, so new conversations use it at once. Bad input
/// throws <see cref="ArgumentException"/> and changes nothing; the tenant query filter scopes every query.
/// </summary>
public sealed class AgentSettingsService(IDbContextFactory<PortalDbContext> contextFactory, BusinessProfileCache profiles)
{
    /// <summary>Maximum length of the agent's name.</summary>
    public const int NameMaxLength = 60;

    /// <summary>The business name and its agent.</summary>
    public async Task<AgentSettingsView> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var businessName = await db.Tenants.AsNoTracking().Select(t => t.Name).FirstOrDefaultAsync(cancellationToken) ?? "";
        var persona = await db.AgentPersonas.AsNoTracking().OrderByDescending(a => a.IsLive).ThenBy(a => a.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return new AgentSettingsView(businessName, persona);
    }

    /// <summary>Saves <paramref name="input"/> into persona <paramref name="personaId"/>; returns the saved persona, or null when it no longer exists.</summary>
    /// <exception cref="ArgumentException">A field is out of range (the message says which); nothing is saved.</exception>
    public async Task<AgentPersona?> SaveAsync(Guid personaId, AgentSettingsInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transfer = Validate(input);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var persona = await db.AgentPersonas.FirstOrDefaultAsync(a => a.Id == personaId, cancellationToken);
        var tenant = await db.Tenants.FirstOrDefaultAsync(cancellationToken);
        if (persona is null || tenant is null)
        {
            return null;
        }

        persona.Name = input.Name.Trim();
        persona.Greeting = input.Greeting.Trim();
        persona.Personality = input.Personality;
        persona.CustomInstructions = string.IsNullOrWhiteSpace(input.CustomInstructions) ? null : input.CustomInstructions.Trim();
        persona.TransferNumber = transfer;
        persona.OfflineOnly = input.OfflineOnly;
        persona.LlmModel = string.IsNullOrWhiteSpace(input.LlmModel) ? null : input.LlmModel.Trim();
        persona.LlmTemperature = input.LlmTemperature;
        persona.LlmMaxOutputTokens = input.LlmMaxOutputTokens;
        persona.SpeechToTextProvider = input.SpeechToTextProvider;
        persona.TextToSpeechProvider = input.TextToSpeechProvider;
        persona.RecordingEnabled = input.RecordingEnabled;
        persona.VoiceId = input.VoiceId;
        tenant.FactsVersion++;
        await db.SaveChangesAsync(cancellationToken);
        profiles.Invalidate(tenant.Id);
        return persona;
    }

    /// <summary>
    /// Changes the fields of <paramref name="patch"/> that are not null in the agent <see cref="GetAsync"/> reads and
    /// saves it like <see cref="SaveAsync"/>; returns the saved persona, or null when the business has none.
    /// </summary>
    /// <exception cref="ArgumentException">A changed field is out of range (the message says which); nothing is saved.</exception>
    public async Task<AgentPersona?> UpdateAsync(AgentSettingsPatch patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var persona = (await GetAsync(cancellationToken)).Persona;
        if (persona is null)
        {
            return null;
        }

        var input = new AgentSettingsInput(
            patch.Name ?? persona.Name, patch.Greeting ?? persona.Greeting, patch.Personality ?? persona.Personality,
            patch.CustomInstructions ?? persona.CustomInstructions, patch.TransferNumber ?? persona.TransferNumber, persona.VoiceId,
            persona.OfflineOnly, persona.LlmModel, persona.LlmTemperature, persona.LlmMaxOutputTokens, persona.SpeechToTextProvider,
            persona.TextToSpeechProvider, patch.RecordingEnabled ?? persona.RecordingEnabled);
        return await SaveAsync(persona.Id, input, cancellationToken);
    }

    /// <summary>Checks <paramref name="input"/>; returns the transfer number in E.164 (or null).</summary>
    /// <exception cref="ArgumentException">The first field out of range.</exception>
    public static string? Validate(AgentSettingsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if ((input.Name ?? "").Trim().Length is 0 or > NameMaxLength)
        {
            throw new ArgumentException($"Give your agent a name (at most {NameMaxLength} characters).", nameof(input));
        }

        if ((input.Greeting ?? "").Trim().Length is 0 or > AgentPersona.GreetingMaxLength)
        {
            throw new ArgumentException($"Callers need a greeting (at most {AgentPersona.GreetingMaxLength} characters).", nameof(input));
        }

        if (!Enum.IsDefined(input.Personality))
        {
            throw new ArgumentException("Choose a personality.", nameof(input));
        }

        if (input.CustomInstructions?.Trim().Length > AgentPersona.InstructionsMaxLength)
        {
            throw new ArgumentException($"Instructions can be up to {AgentPersona.InstructionsMaxLength} characters.", nameof(input));
        }

        string? transfer = null;
        if (!string.IsNullOrWhiteSpace(input.TransferNumber))
        {
            transfer = E164.TryNormalize(input.TransferNumber) ?? throw new ArgumentException("The transfer number is not a valid phone number.", nameof(input));
        }

        if (input.LlmModel?.Trim().Length > AgentPersona.LlmModelMaxLength)
        {
            throw new ArgumentException($"The model name can be up to {AgentPersona.LlmModelMaxLength} characters.", nameof(input));
        }

        if (input.LlmTemperature is < 0 or > 2 || input.LlmMaxOutputTokens is < 16 or > 8192)
        {
            throw new ArgumentException("The temperature is between 0 and 2 and the output limit between 16 and 8192 tokens.", nameof(input));
        }

        if (input.SpeechToTextProvider?.Length > AgentPersona.SpeechProviderMaxLength || input.TextToSpeechProvider?.Length > AgentPersona.SpeechProviderMaxLength)
        {
            throw new ArgumentException("Choose speech services offered here.", nameof(input));
        }

        return transfer;
    }
}
