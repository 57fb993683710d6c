using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.Numbers;
using Portal.Jobs.Numbers;
using Portal.Telephony;
using Portal.Web.Components.Pages.Admin.Components;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Admin;

/// <summary>
/// Every number in the pool, paged and filtered in the database, with reassign / suspend / reactivate /
/// release (confirmed, audited), and the open drift findings of reconciliation with "fix webhook".
/// </summary>
public partial class NumberPoolPage
{
    private MudTable<NumberPoolRow>? _table;
    private IReadOnlyList<string> _regions = [];
    private string? _error;
    private PhoneNumberStatus? _status;
    private string? _areaCode;
    private string? _region;
    private string? _digits;
    private string? _tenantName;
    private IReadOnlyList<PoolDriftFinding> _drift = [];
    private bool _reconciling;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private PoolReconciler Reconciler { get; set; } = default!;

    [Inject] private PoolAdministration Pool { get; set; } = default!;

    [Inject] private NumberRetirement Retirement { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _error = await Errors.TryAsync(async () =>
        {
            _regions = await Pool.RegionsAsync(CancellationToken.None);
            _drift = await Pool.OpenDriftAsync(100, CancellationToken.None);
        }, "Regions could not be loaded.");
    }

    private static Color StatusColor(PhoneNumberStatus status) => status switch
    {
        PhoneNumberStatus.Assigned => Color.Success,
        PhoneNumberStatus.Reserved => Color.Info,
        PhoneNumberStatus.Suspended => Color.Warning,
        PhoneNumberStatus.Released => Color.Dark,
        _ => Color.Default,
    };

    // MudTable shows its own loading state while ServerData runs; the error alert lives in this
    // component, which the table's callback does not re-render, hence the explicit StateHasChanged.
    private async Task<TableData<NumberPoolRow>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        var hadError = _error is not null;
        _error = null;
        try
        {
            Paged<NumberPoolRow>? page = null;
            _error = await Errors.TryAsync(
                async () => page = await Pool.SearchAsync(new NumberPoolQuery(_status, _areaCode, _region, _digits, _tenantName), state.Page, state.PageSize, cancellationToken),
                "Numbers could not be loaded. Please try again.");
            if (hadError || _error is not null)
            {
                StateHasChanged();
            }

            return page is null ? new TableData<NumberPoolRow> { Items = [], TotalItems = 0 } : new TableData<NumberPoolRow> { Items = page.Items, TotalItems = page.Total };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A newer load (filter or page change) superseded this one.
            return new TableData<NumberPoolRow> { Items = [], TotalItems = 0 };
        }
    }

    private static string DriftTitle(DriftKind kind) => kind switch
    {
        DriftKind.MissingAtProvider => "Missing at provider",
        DriftKind.MissingInPool => "Not in pool",
        _ => "Wrong webhook",
    };

    private async Task ReconcileAsync()
    {
        _reconciling = true;
        try
        {
            var result = await Reconciler.ReconcileAsync(CancellationToken.None);
            _drift = await Pool.OpenDriftAsync(100, CancellationToken.None);
            Snackbar.Add(result.Open == 0
                    ? $"Pool matches the provider ({result.ProviderNumbers} numbers owned)."
                    : $"{result.Open} difference(s) with the provider ({result.New} new).",
                result.Open == 0 ? Severity.Success : Severity.Warning);
            if (!result.WebhooksChecked)
            {
                Snackbar.Add("Webhook URLs were not checked: set Telephony:PublicBaseUrl or buy a number first.", Severity.Info);
            }
        }
        catch (TelephonyException ex)
        {
            Snackbar.Add($"The provider could not be checked: {ex.Message}", Severity.Error);
        }
        finally
        {
            _reconciling = false;
        }
    }

    private async Task FixWebhookAsync(PoolDriftFinding finding)
    {
        var confirm = await Dialogs.ShowMessageBoxAsync("Fix webhook?",
            $"Point {finding.E164}'s voice webhook and status callback back at Portal ({finding.ExpectedVoiceUrl})?", yesText: "Fix webhook", cancelText: "Cancel");
        if (confirm != true)
        {
            return;
        }

        try
        {
            var result = await Reconciler.FixWebhookAsync(finding.Id, CancellationToken.None);
            Snackbar.Add(result == AdminActionResult.Done ? $"{finding.E164} points at Portal again." : $"{finding.E164}: nothing to fix any more.",
                result == AdminActionResult.Done ? Severity.Success : Severity.Warning);
        }
        catch (TelephonyException ex)
        {
            Snackbar.Add($"The provider refused: {ex.Message}", Severity.Error);
        }
        catch (UnauthorizedAccessException)
        {
            Snackbar.Add("Only platform admins can fix webhooks.", Severity.Error);
        }

        _drift = await Pool.OpenDriftAsync(100, CancellationToken.None);
    }

    private async Task ReassignAsync(NumberPoolRow row)
    {
        var parameters = new DialogParameters<ReassignNumberDialog>
        {
            { d => d.Number, row.E164 },
            { d => d.CurrentTenant, row.TenantName },
        };
        var dialog = await Dialogs.ShowAsync<ReassignNumberDialog>("Reassign number", parameters);
        var chosen = await dialog.Result;
        if (chosen is null || chosen.Canceled || chosen.Data is not Guid agentId)
        {
            return;
        }

        var failure = $"{row.E164} could not be reassigned. Please try again.";
        try
        {
            failure = await Errors.TryAsync(async () =>
            {
                var result = await Pool.ReassignAsync(row.Id, agentId, CancellationToken.None);
                Snackbar.Add(result switch
                {
                    AdminActionResult.Done => $"{row.E164} reassigned.",
                    AdminActionResult.NotFound => $"{row.E164} or that agent no longer exists.",
                    _ => $"{row.E164} was not reassigned: the agent already has a number, or the number changed meanwhile.",
                }, result == AdminActionResult.Done ? Severity.Success : Severity.Warning);
            }, failure);
        }
        catch (UnauthorizedAccessException)
        {
            // The admin's session lost its role: the same words as a failed write.
        }

        if (failure is not null)
        {
            Snackbar.Add(failure, Severity.Error);
        }

        await ReloadAsync();
    }

    private Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;

    private Task OnStatusChanged(PhoneNumberStatus? value) { _status = value; return ReloadAsync(); }

    private Task OnAreaCodeChanged(string? value) { _areaCode = value; return ReloadAsync(); }

    private Task OnRegionChanged(string? value) { _region = value; return ReloadAsync(); }

    private Task OnDigitsChanged(string? value) { _digits = value; return ReloadAsync(); }

    private Task OnTenantNameChanged(string? value) { _tenantName = value; return ReloadAsync(); }

    private Task SuspendAsync(NumberPoolRow row) =>
        ActAsync(row, "Suspend number?", $"Suspend {row.E164}? Calls to it stop being answered until it is reactivated.", "Suspend", "suspended", Pool.SuspendAsync);

    private Task ReactivateAsync(NumberPoolRow row) =>
        ActAsync(row, "Reactivate number?", row.AgentPersonaId is null
                ? $"Reactivate {row.E164}? It returns to the pool as available."
                : $"Reactivate {row.E164}? It is answered again by {row.TenantName ?? "its business"}'s agent.",
            "Reactivate", "reactivated", Pool.ReactivateAsync);

    private Task ReleaseAsync(NumberPoolRow row) =>
        ActAsync(row, "Release number?", $"Release {row.E164}{(row.TenantName is null ? "" : $" from {row.TenantName}")}? It loses its business and agent and becomes available to anyone.",
            "Release", "released", Pool.ReleaseAsync);

    private Task GiveBackAsync(NumberPoolRow row) =>
        ActAsync(row, "Give the number back?", $"Give {row.E164} back to the provider? It leaves the pool for good and the platform stops paying {AdminFormat.Money(row.MonthlyCostCents)} a month for it. This cannot be undone; the number may be bought by someone else.",
            "Give back", "given back", Retirement.RetireAsync);

    private async Task ActAsync(NumberPoolRow row, string title, string message, string yes, string done, Func<Guid, CancellationToken, Task<AdminActionResult>> action)
    {
        var confirm = await Dialogs.ShowMessageBoxAsync(title, message, yesText: yes, cancelText: "Cancel");
        if (confirm != true)
        {
            return;
        }

        var failure = $"{row.E164} could not be {done}. Please try again.";
        try
        {
            failure = await Errors.TryAsync(async () =>
            {
                var result = await action(row.Id, CancellationToken.None);
                Snackbar.Add(result == AdminActionResult.Done ? $"{row.E164} {done}." : $"{row.E164} changed meanwhile; nothing was done.",
                    result == AdminActionResult.Done ? Severity.Success : Severity.Warning);
            }, failure);
        }
        catch (UnauthorizedAccessException)
        {
            // The admin's session lost its role: the same words as a failed write.
        }

        if (failure is not null)
        {
            Snackbar.Add(failure, Severity.Error);
        }

        await ReloadAsync();
    }
}
