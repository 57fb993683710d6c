using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Llm;
using Portal.Llm.Engine;
using Portal.Llm.Providers;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Admin;

/// <summary>
/// The platform admin's "Language model" page: chooses the deployment's provider, model, base URL
/// and API key. The key goes straight to <see cref="LanguageModelSettingsStore"/> (encrypted with
/// Data Protection); the page never receives it back, only "set / not set" and its last four
/// characters.
/// </summary>
public partial class LanguageModelPage
{
    private readonly Dictionary<string, string> _fieldErrors = new(StringComparer.Ordinal);
    private MudForm? _form;
    private bool _loading = true;
    private bool _saving;
    private string? _error;
    private LanguageModelSettingsView? _view;
    private string _provider = LlmProviders.None;
    private string? _model;
    private string? _baseUrl;
    private string? _newKey;
    private bool _clearKey;
    private string _circuit = "closed";

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private LanguageModelSettingsStore Store { get; set; } = default!;

    [Inject] private Portal.Domain.Audit.AuditLog Audit { get; set; } = default!;

    [Inject] private LlmResilience Resilience { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private string KeyText => _view is not { ApiKeySet: true }
        ? "not set"
        : $"set, ends in …{_view.ApiKeyLast4}{(_view.KeyFromConfiguration ? " (from configuration)" : "")}";

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private string? FieldError(string field) => _fieldErrors.GetValueOrDefault(field);

    private async Task LoadAsync()
    {
        _loading = true;
        _error = null;
        const string Failure = "The language-model settings could not be loaded. Please try again.";
        try
        {
            _error = await Errors.TryAsync(async () =>
            {
                _view = await Store.DescribeAsync(CancellationToken.None);
                _provider = _view.Provider;
                _model = _view.Model;
                _baseUrl = _view.BaseUrl;
                _circuit = Resilience.StateOf($"{_view.Provider}|{_view.BaseUrl}").ToString().ToLowerInvariant();
            }, Failure);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The stored key no longer decrypts (the Data Protection keys changed).
            _error = Failure;
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task SaveAsync()
    {
        _fieldErrors.Clear();
        _saving = true;
        try
        {
            var failure = await Errors.TryAsync(async () =>
            {
                var actor = await Audit.RequireActorAsync(CancellationToken.None);
                await Store.SaveAsync(new LanguageModelSettingsChange(_provider, _model, _baseUrl, _newKey, _clearKey), actor, CancellationToken.None);
            }, "The settings could not be saved. Please try again.");
            if (failure is not null)
            {
                Snackbar.Add(failure, Severity.Error);
                return;
            }

            _newKey = null;
            _clearKey = false;
            Snackbar.Add("Saved. New turns use these settings within seconds.", Severity.Success);
            await LoadAsync();
        }
        catch (ValidationException ex)
        {
            foreach (var member in ex.ValidationResult.MemberNames)
            {
                _fieldErrors[member] = ex.ValidationResult.ErrorMessage ?? "Invalid value.";
            }

            Snackbar.Add("Please fix the highlighted fields.", Severity.Warning);
        }
        catch (UnauthorizedAccessException)
        {
            Snackbar.Add("Only platform admins can change these settings; sign in again.", Severity.Error);
        }
        finally
        {
            _saving = false;
        }
    }
}
