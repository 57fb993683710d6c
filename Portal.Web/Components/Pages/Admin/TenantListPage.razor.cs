using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.Numbers;
using Portal.Domain.Tenancy;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Admin;

/// <summary>Every business with its plan, numbers and activity; change plan, suspend and reactivate with confirmation.</summary>
public partial class TenantListPage
{
    private const int Limit = 500;

    private bool _loading = true;
    private string? _error;
    private string? _search;
    private IReadOnlyList<TenantAdminRow> _rows = [];

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private TenantAdministration Tenants { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private static Color StatusColor(TenantStatus status) => status switch
    {
        TenantStatus.Active => Color.Success,
        TenantStatus.Suspended => Color.Warning,
        _ => Color.Default,
    };

    private Task OnSearchChanged(string? value)
    {
        _search = value;
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        _loading = true;
        _error = await Errors.TryAsync(async () =>
        {
            _rows = await Tenants.ListAsync(_search, Limit, CancellationToken.None);
        }, "Businesses could not be loaded. Please try again.");
        if (_error is not null)
        {
            _rows = [];
        }

        _loading = false;
    }

    private Task SuspendAsync(TenantAdminRow row) =>
        ActAsync(row, "Suspend business?", $"Suspend {row.Name}? Its agent stops answering calls until it is reactivated; its owners can still sign in.", "Suspend", "suspended", Tenants.SuspendAsync);

    private Task ReactivateAsync(TenantAdminRow row) =>
        ActAsync(row, "Reactivate business?", $"Reactivate {row.Name}?", "Reactivate", "reactivated", Tenants.ReactivateAsync);

    private Task ChangePlanAsync(TenantAdminRow row, Plan plan)
    {
        var terms = PlanTerms.Of(plan);
        var price = terms.CommittedMinutes == 0
            ? $"{terms.CentsPerMinute} cents a minute, no commitment"
            : $"{terms.CentsPerMinute} cents a minute, {terms.CommittedMinutes:N0} minutes a month committed (at least ${terms.MonthlyMinimumCents / 100m:N0} a month)";
        return ActAsync(row, "Change plan?", $"Move {row.Name} from {PlanTerms.Of(row.Plan).Name} to {terms.Name}: {price}.", "Change plan", $"moved to {terms.Name}",
            (id, ct) => Tenants.ChangePlanAsync(id, plan, ct));
    }

    private async Task ActAsync(TenantAdminRow row, string title, string message, string yes, string done, Func<Guid, CancellationToken, Task<AdminActionResult>> action)
    {
        var confirm = await Dialogs.ShowMessageBoxAsync(title, message, yesText: yes, cancelText: "Cancel");
        if (confirm != true)
        {
            return;
        }

        var failure = $"{row.Name} could not be {done}. Please try again.";
        try
        {
            failure = await Errors.TryAsync(async () =>
            {
                var result = await action(row.Id, CancellationToken.None);
                Snackbar.Add(result == AdminActionResult.Done ? $"{row.Name} {done}." : $"{row.Name} changed meanwhile; nothing was done.",
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

        await LoadAsync();
    }
}
