using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Billing;

namespace Portal.Web.Components.Pages.Admin;

/// <summary>Platform billing: MRR, revenue/minutes/margin per plan and business, failed payments, drift, credits and lifting limits (via <see cref="BillingAdministration"/>).</summary>
public partial class BillingAdminPage
{
    private bool _loading = true;
    private string? _error;
    private PlatformBillingOverview? _overview;
    private BusinessBillingRow? _creditFor;
    private decimal _creditDollars;
    private string _creditReason = "";
    private MudForm? _form;

    [Inject] private BillingAdministration Admin { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private TimeProvider Clock { get; set; } = default!;

    private DateTimeOffset Now => Clock.GetUtcNow();

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        _error = null;
        try
        {
            _overview = await Admin.OverviewAsync(CancellationToken.None);
        }
        catch (InvalidOperationException ex)
        {
            _error = "Billing could not be loaded: " + ex.Message;
        }
        finally
        {
            _loading = false;
        }
    }

    private void OpenCredit(BusinessBillingRow row)
    {
        _creditFor = row;
        _creditDollars = 0;
        _creditReason = "";
    }

    private async Task GrantAsync()
    {
        await _form!.ValidateAsync();
        if (!_form.IsValid || _creditFor is null)
        {
            return;
        }

        try
        {
            await Admin.GrantCreditAsync(_creditFor.TenantId, (int)Math.Round(_creditDollars * 100), _creditReason, CancellationToken.None);
            Snackbar.Add($"Credited {_creditFor.Name} {Money((long)Math.Round(_creditDollars * 100))}.", Severity.Success);
            _creditFor = null;
            await LoadAsync();
        }
        catch (ArgumentException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    private async Task LiftAsync(BusinessBillingRow row)
    {
        await Admin.LiftLimitAsync(row.TenantId, 7, CancellationToken.None);
        Snackbar.Add($"Limits lifted for {row.Name} for 7 days.", Severity.Success);
        await LoadAsync();
    }

    private async Task ResolveAsync(Guid id)
    {
        await Admin.ResolveDriftAsync(id, CancellationToken.None);
        await LoadAsync();
    }

    private static string Money(long cents) => (cents / 100m).ToString("$#,##0.00", CultureInfo.InvariantCulture);

    private static string Micros(long micros) => (micros / 1_000_000m).ToString("$#,##0.0000", CultureInfo.InvariantCulture);

    private static string Minutes(long tenths) => (tenths / 10m).ToString("#,##0.0", CultureInfo.InvariantCulture);
}
