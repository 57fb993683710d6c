using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Domain.Conversations;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Domain.Numbers;
using Portal.Llm.Prompting;

namespace Portal.Web.Components.Pages.Agent;

/// <summary>Edits the tenant's agent persona (the live one, else the oldest), its language-model overrides, and previews its greeting and composed system prompt.</summary>
public partial class AgentSettings
{
    private MudForm? _form;
    private bool _valid;
    private bool _loading = true;
    private bool _saving;
    private string? _error;
    private Guid? _personaId;
    private string _businessName = "";
    private string? _name;
    private string? _greeting;
    private Personality _personality;
    private string? _instructions;
    private string? _transfer;
    private string _voiceId = "";
    private bool _offlineOnly;
    private string? _llmModel;
    private double? _llmTemperature;
    private int? _llmMaxTokens;
    private Channel _previewChannel = Channel.Voice;
    private BusinessProfile? _profile;

    [Inject] private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject] private BusinessProfileCache ProfileCache { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>The system prompt the model would get now, from the unsaved form (no conversation state).</summary>
    private string PreviewPrompt => _profile is null
        ? "(no business facts yet)"
        : PromptComposer.Compose(_profile,
            new PersonaPrompt(string.IsNullOrWhiteSpace(_name) ? "your assistant" : _name.Trim(), _personality, _instructions, E164.TryNormalize(_transfer)),
            _previewChannel, _profile.ToLocal(Time.GetUtcNow()), null);

    private string PreviewGreeting => string.IsNullOrWhiteSpace(_greeting)
        ? "(no greeting)"
        : _greeting.Replace("{businessName}", _businessName, StringComparison.OrdinalIgnoreCase)
            .Replace("{agentName}", string.IsNullOrWhiteSpace(_name) ? "your assistant" : _name.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        _error = null;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _businessName = await db.Tenants.AsNoTracking().Select(t => t.Name).FirstOrDefaultAsync() ?? "";
            // Same choice as BusinessProfileCache: the live persona, else the first created.
            var persona = await db.AgentPersonas.AsNoTracking().OrderByDescending(a => a.IsLive).ThenBy(a => a.CreatedAt).FirstOrDefaultAsync();
            _personaId = persona?.Id;
            if (persona is not null)
            {
                _name = persona.Name;
                _greeting = persona.Greeting;
                _personality = persona.Personality;
                _instructions = persona.CustomInstructions;
                _transfer = persona.TransferNumber is null ? null : E164.Display(persona.TransferNumber);
                _voiceId = persona.VoiceId;
                _offlineOnly = persona.OfflineOnly;
                _llmModel = persona.LlmModel;
                _llmTemperature = persona.LlmTemperature;
                _llmMaxTokens = persona.LlmMaxOutputTokens;
                _profile = await ProfileCache.GetAsync(persona.TenantId, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _error = "The agent could not be loaded. Please try again.";
        }
        finally
        {
            _loading = false;
        }
    }

    private static string? ValidateName(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "Give your agent a name" : value.Trim().Length > 60 ? "At most 60 characters" : null;

    private static string? ValidateGreeting(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "Callers need a greeting"
        : value.Length > AgentPersona.GreetingMaxLength ? $"At most {AgentPersona.GreetingMaxLength} characters" : null;

    private static string? ValidateInstructions(string? value) =>
        value?.Length > AgentPersona.InstructionsMaxLength ? $"At most {AgentPersona.InstructionsMaxLength} characters" : null;

    private static string? ValidateTransfer(string? value) =>
        string.IsNullOrWhiteSpace(value) || E164.TryNormalize(value) is not null ? null : "Enter a valid phone number";

    private static string? ValidateModel(string? value) =>
        value?.Trim().Length > AgentPersona.LlmModelMaxLength ? $"At most {AgentPersona.LlmModelMaxLength} characters" : null;

    private static string? ValidateTemperature(double? value) => value is < 0 or > 2 ? "Between 0 and 2" : null;

    private static string? ValidateMaxTokens(int? value) => value is < 16 or > 8192 ? "Between 16 and 8192" : null;

    private async Task SaveAsync()
    {
        if (_form is null || _personaId is null)
        {
            return;
        }

        await _form.ValidateAsync();
        if (!_form.IsValid)
        {
            Snackbar.Add("Please fix the highlighted fields.", Severity.Warning);
            return;
        }

        _saving = true;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            var persona = await db.AgentPersonas.FirstOrDefaultAsync(a => a.Id == _personaId);
            var tenant = await db.Tenants.FirstOrDefaultAsync();
            if (persona is null || tenant is null)
            {
                Snackbar.Add("The agent no longer exists.", Severity.Error);
                return;
            }

            persona.Name = _name!.Trim();
            persona.Greeting = _greeting!.Trim();
            persona.Personality = _personality;
            persona.CustomInstructions = string.IsNullOrWhiteSpace(_instructions) ? null : _instructions.Trim();
            persona.TransferNumber = E164.TryNormalize(_transfer);
            persona.OfflineOnly = _offlineOnly;
            persona.LlmModel = string.IsNullOrWhiteSpace(_llmModel) ? null : _llmModel.Trim();
            persona.LlmTemperature = _llmTemperature;
            persona.LlmMaxOutputTokens = _llmMaxTokens;
            tenant.FactsVersion++;
            await db.SaveChangesAsync();
            ProfileCache.Invalidate(tenant.Id);
            _transfer = persona.TransferNumber is null ? null : E164.Display(persona.TransferNumber);
            Snackbar.Add("Agent saved. New conversations use it right away.", Severity.Success);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            Snackbar.Add("The agent could not be saved. Please try again.", Severity.Error);
        }
        finally
        {
            _saving = false;
        }
    }
}
