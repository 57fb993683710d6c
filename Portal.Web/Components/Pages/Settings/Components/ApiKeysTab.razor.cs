using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Domain.ApiKeys;
using Portal.Domain.Audit;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Settings.Components;

/// <summary>Settings → API keys: create (shown once), list with prefix, creation and last use, revoke.</summary>
public partial class ApiKeysTab
{
    private IReadOnlyList<ApiKeyInfo>? _keys;
    private CreatedApiKey? _created;
    private MudForm? _form;
    private string _name = "";
    private bool _read = true;
    private bool _write;
    private string? _error;
    private string? _formError;
    private bool _busy;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private ApiKeyService Keys { get; set; } = default!;

    [Inject] private ICurrentUser CurrentUser { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _error = await Errors.TryAsync(async () =>
        {
            _keys = await Keys.ListAsync(CancellationToken.None);
        }, "API keys could not be loaded.");
        if (_error is not null)
        {
            _keys = [];
        }
    }

    private async Task CreateAsync()
    {
        _formError = null;
        await _form!.ValidateAsync();
        if (!_form.IsValid)
        {
            return;
        }

        var scopes = new List<string>();
        if (_read)
        {
            scopes.Add(ApiKeyScopes.Read);
        }

        if (_write)
        {
            scopes.Add(ApiKeyScopes.Write);
        }

        _busy = true;
        try
        {
            var actor = await CurrentUser.GetAsync(CancellationToken.None);
            _created = await Keys.CreateAsync(_name, scopes, actor?.UserId, CancellationToken.None);
            _name = "";
            await LoadAsync();
        }
        catch (ArgumentException ex)
        {
            _formError = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RevokeAsync(ApiKeyInfo key)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Revoke key", $"Revoke \"{key.Name}\"? Systems using it stop working at once.", yesText: "Revoke", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        if (!await Keys.RevokeAsync(key.Id, CancellationToken.None))
        {
            Snackbar.Add("That key no longer exists.", Severity.Warning);
        }

        await LoadAsync();
    }
}
