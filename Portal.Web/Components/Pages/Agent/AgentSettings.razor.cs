using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.Agents;
using Portal.Domain.Conversations;
using Portal.Domain.Numbers;
using Portal.Llm.Prompting;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Agent;

/// <summary>
/// Edits the tenant's agent persona (the live one, else the oldest), its language-model overrides, its phone-call speech
/// providers (among those this deployment offers, <see cref="SpeechProviders"/>), its voice (among those the chosen
/// synthesis service really speaks, with a preview: <see cref="Shared.VoicePicker"/>) and voice-message recording, and
/// previews its greeting and composed system prompt.
/// </summary>
public partial class AgentSettings
{
    /// <summary>Select value standing for "no choice: the deployment default" (stored as null).</summary>
    private const string DeploymentDefault = "default";

    /// <summary>Shown under the recording switch: what callers in two-party-consent states hear first.</summary>
    private static readonly string RecordingHelp =
        "Lets callers leave a recorded voice message. Callers from states that require everyone's consent to a recording ("
        + string.Join(", ", RecordingConsent.TwoPartyConsentStates.Order(StringComparer.Ordinal))
        + ") are first told they are talking to an AI assistant and asked to consent; nothing is recorded without a yes.";

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
    private string _speechToText = DeploymentDefault;
    private string _textToSpeech = DeploymentDefault;
    private string? _savedSpeechToText;
    private string? _savedTextToSpeech;
    private bool _recordingEnabled;
    private Channel _previewChannel = Channel.Voice;
    private BusinessProfile? _profile;

    [Inject] private AgentSettingsService Agents { get; set; } = default!;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private BusinessProfileCache ProfileCache { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    [Inject] private SpeechProviders Providers { get; set; } = default!;

    /// <summary>Speech-to-text names offered: this deployment's, plus the saved one if it is no longer offered (so it shows).</summary>
    private IEnumerable<string> SpeechToTextChoices => WithSaved(Providers.SpeechToTextNames, _savedSpeechToText);

    /// <summary>Text-to-speech names offered, plus the saved one if it is no longer offered.</summary>
    private IEnumerable<string> TextToSpeechChoices => WithSaved(Providers.TextToSpeechNames, _savedTextToSpeech);

    /// <summary>The speech synthesis service chosen in the form (null: the deployment default), whose voices the picker offers.</summary>
    private string? ChosenTextToSpeech => _textToSpeech == DeploymentDefault ? null : _textToSpeech;

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
        _error = await Errors.TryAsync(async () =>
        {
            var view = await Agents.GetAsync(CancellationToken.None);
            _businessName = view.BusinessName;
            var persona = view.Persona;
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
                _savedSpeechToText = persona.SpeechToTextProvider;
                _savedTextToSpeech = persona.TextToSpeechProvider;
                _speechToText = persona.SpeechToTextProvider ?? DeploymentDefault;
                _textToSpeech = persona.TextToSpeechProvider ?? DeploymentDefault;
                _recordingEnabled = persona.RecordingEnabled;
                _profile = await ProfileCache.GetAsync(persona.TenantId, CancellationToken.None);
            }
        }, "The agent could not be loaded. Please try again.");
        _loading = false;
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

    /// <summary>Owner-facing name of a provider (<see cref="SpeechProviders"/> names), flagged when not in <paramref name="offered"/>.</summary>
    private static string ProviderLabel(string name, IReadOnlyList<string> offered)
    {
        var label = name switch
        {
            SpeechProviders.Deepgram => "Deepgram",
            SpeechProviders.OpenAi => "OpenAI-compatible server",
            SpeechProviders.Pocketsphinx => "pocketsphinx (offline)",
            SpeechProviders.Whisper => "Whisper (offline, local model)",
            SpeechProviders.ElevenLabs => "ElevenLabs",
            SpeechProviders.Espeak => "espeak-ng (offline)",
            SpeechProviders.None => "none: keypad menu",
            _ => name,
        };
        return name == SpeechProviders.None || offered.Contains(name) ? label : label + " — not available here, the default is used";
    }

    private static IEnumerable<string> WithSaved(IReadOnlyList<string> offered, string? saved) =>
        saved is null || offered.Contains(saved) ? offered : [.. offered, saved];

    private string? ValidateSpeechToText(string? value) =>
        value == DeploymentDefault || value == _savedSpeechToText || Providers.SpeechToTextNames.Contains(value) ? null : "Choose a speech recognition service offered here";

    private string? ValidateTextToSpeech(string? value) =>
        value == DeploymentDefault || value == _savedTextToSpeech || Providers.TextToSpeechNames.Contains(value) ? null : "Choose a speech synthesis service offered here";

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
            var input = new AgentSettingsInput(_name!, _greeting!, _personality, _instructions, _transfer, _voiceId, _offlineOnly, _llmModel, _llmTemperature, _llmMaxTokens,
                _speechToText == DeploymentDefault ? null : _speechToText, _textToSpeech == DeploymentDefault ? null : _textToSpeech, _recordingEnabled);
            AgentPersona? saved = null;
            var personaId = _personaId.Value;
            var failure = await Errors.TryAsync(async () => saved = await Agents.SaveAsync(personaId, input, CancellationToken.None), "The agent could not be saved. Please try again.");
            if (failure is not null)
            {
                Snackbar.Add(failure, Severity.Error);
            }
            else if (saved is null)
            {
                Snackbar.Add("The agent no longer exists.", Severity.Error);
            }
            else
            {
                _transfer = saved.TransferNumber is null ? null : E164.Display(saved.TransferNumber);
                _savedSpeechToText = saved.SpeechToTextProvider;
                _savedTextToSpeech = saved.TextToSpeechProvider;
                Snackbar.Add("Agent saved. New conversations use it right away.", Severity.Success);
            }
        }
        catch (ArgumentException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        finally
        {
            _saving = false;
        }
    }
}
