using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Web.Components.Shared;

/// <summary>
/// Chooses the agent's voice among those the speech synthesis service really speaks (<see cref="VoiceCatalog"/>: listed and
/// probed), shown by their display names, and previews it through <c>GET /api/v1/voices/preview</c>. A saved voice the
/// service cannot speak is shown as unavailable with a warning and fails validation, so the owner picks another. The list
/// follows <see cref="Provider"/>: choosing another service reloads it.
/// </summary>
public sealed partial class VoicePicker
{
    private IReadOnlyList<VoiceInfo> _voices = [];
    private bool _loading = true;
    private bool _previewing;
    private string? _error;
    private string _providerName = "";
    private string? _loadedProvider;
    private bool _loadedOnce;

    /// <summary>The speech synthesis service (a <see cref="SpeechProviders"/> name), or null for the deployment default.</summary>
    [Parameter] public string? Provider { get; set; }

    /// <summary>The chosen voice id.</summary>
    [Parameter] public string VoiceId { get; set; } = "";

    /// <summary>Raised when the owner picks a voice (or when <see cref="SelectFirstWhenUnavailable"/> picks one).</summary>
    [Parameter] public EventCallback<string> VoiceIdChanged { get; set; }

    /// <summary>What the preview says (e.g. the greeting with names filled in); blank for a short hello.</summary>
    [Parameter] public string? PreviewText { get; set; }

    /// <summary>When true (onboarding), a missing or unavailable voice is replaced by the service's first voice at once.</summary>
    [Parameter] public bool SelectFirstWhenUnavailable { get; set; }

    /// <summary>Input variant of the select.</summary>
    [Parameter] public Variant Variant { get; set; } = Variant.Text;

    /// <summary>Help under the select.</summary>
    [Parameter] public string? HelperText { get; set; }

    [Inject] private VoiceCatalog Catalog { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>True when a voice is set, the list loaded, and the voice is not in it.</summary>
    private bool Unavailable => !_loading && _error is null && _voices.Count > 0 && !string.IsNullOrEmpty(VoiceId) && _voices.All(v => v.Id != VoiceId);

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (!_loadedOnce || !string.Equals(_loadedProvider, Provider, StringComparison.Ordinal))
        {
            _loadedOnce = true;
            _loadedProvider = Provider;
            await ReloadAsync();
        }
    }

    private async Task ReloadAsync()
    {
        _loading = true;
        _error = null;
        _providerName = Catalog.ProviderDisplayName(Provider);
        try
        {
            _voices = await Catalog.ListAsync(Provider, CancellationToken.None);
        }
        catch (SpeechProviderException ex)
        {
            _voices = [];
            _error = $"The voices could not be loaded ({ex.Message}).";
        }
        finally
        {
            _loading = false;
        }

        if (SelectFirstWhenUnavailable && _voices.Count > 0 && _voices.All(v => v.Id != VoiceId))
        {
            await OnVoiceChangedAsync(_voices[0].Id);
        }
    }

    private Task OnVoiceChangedAsync(string voiceId)
    {
        VoiceId = voiceId;
        return VoiceIdChanged.InvokeAsync(voiceId);
    }

    /// <summary>What the select shows for a voice id: its display name, never the internal id of an offered voice.</summary>
    private string DisplayName(string? voiceId) =>
        string.IsNullOrEmpty(voiceId) ? "" : _voices.FirstOrDefault(v => v.Id == voiceId)?.Name ?? (_loading ? "" : $"Unavailable voice ({voiceId})");

    private string? Validate(string? voiceId) =>
        _loading || _error is not null || _voices.Count == 0 || _voices.Any(v => v.Id == voiceId)
            ? null
            : $"Choose a voice {_providerName} can speak";

    private async Task PreviewAsync()
    {
        if (string.IsNullOrEmpty(VoiceId))
        {
            return;
        }

        _previewing = true;
        try
        {
            var url = $"/api/v1/voices/preview?voice={Uri.EscapeDataString(VoiceId)}&provider={Uri.EscapeDataString(Catalog.ResolveProvider(Provider))}"
                + (string.IsNullOrWhiteSpace(PreviewText) ? "" : $"&text={Uri.EscapeDataString(PreviewText)}");
            await JS.InvokeVoidAsync("portal.playAudio", url);
        }
        catch (JSException ex)
        {
            Snackbar.Add($"Could not play the preview: {ex.Message}", Severity.Warning);
        }
        finally
        {
            _previewing = false;
        }
    }
}
