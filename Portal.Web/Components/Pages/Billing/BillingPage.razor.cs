using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Portal.Billing;
using Portal.Data.Entities;
using Portal.Web.Tenancy;

namespace Portal.Web.Components.Pages.Billing;

/// <summary>
/// The owner's Billing page: plan and price, minutes against the commitment, overage and projected bill, usage per day
/// and per agent, invoices, payment method, plan changes (Checkout), the spending cap and what limited calls do. Works
/// keyless from local usage. All data through <see cref="BillingService"/>.
/// </summary>
public partial class BillingPage
{
    private readonly Config _config = new() { Responsive = true, DisplayLogo = false };
    private readonly Plotly.Blazor.Layout _layout = new()
    {
        Height = 260,
        Margin = new Plotly.Blazor.LayoutLib.Margin { L = 40, R = 10, T = 10, B = 40 },
    };

    private IList<ITrace> _data = [];
    private bool _loading = true;
    private bool _saving;
    private string? _error;
    private BillingOverview? _overview;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private decimal? _capDollars;
    private LimitAction _action;
    private MudForm? _form;
    private Portal.Domain.Agencies.Brand? _agencyBrand;

    [Inject] private BillingService Billing { get; set; } = default!;

    [Inject] private TenantClock Zones { get; set; } = default!;

    [Inject] private Portal.Web.Agencies.BrandContext Brands { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary><c>?checkout=success</c> after Stripe Checkout.</summary>
    [SupplyParameterFromQuery(Name = "checkout")]
    public string? CheckoutState { get; set; }

    /// <summary><c>?changed=Plan</c> after a plan change made in place on the existing subscription.</summary>
    [SupplyParameterFromQuery(Name = "changed")]
    public string? ChangedTo { get; set; }

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        _error = null;
        try
        {
            _zone = await Zones.ZoneAsync();
            if (await Billing.ManagedByAgencyAsync(CancellationToken.None))
            {
                // An agency's client: the agency bills it (ADR-021); Portal's plans and prices are not shown.
                _agencyBrand = await Brands.GetAsync();
                return;
            }

            if (CheckoutState == "success")
            {
                await Billing.SyncInvoicesAsync(CancellationToken.None);
            }

            _overview = await Billing.OverviewAsync(_zone, CancellationToken.None);
            _capDollars = _overview.Account.SpendingCapCents / 100m;
            _action = _overview.Account.LimitAction;
            _data =
            [
                new Bar
                {
                    Name = "Minutes",
                    // "Dec 3": one category per day (ISO dates would make Plotly draw a time axis with hour ticks).
                    X = _overview.Daily.Select(d => (object)d.Day.ToString("MMM d", CultureInfo.InvariantCulture)).ToList(),
                    Y = _overview.Daily.Select(d => (object)(d.Tenths / 10.0)).ToList(),
                },
            ];
        }
        catch (Exception ex) when (ex is InvalidOperationException or global::Stripe.StripeException or HttpRequestException)
        {
            _error = "Billing could not be loaded: " + ex.Message;
        }
        finally
        {
            _loading = false;
        }
    }

    /// <summary>
    /// Leaves the circuit for a server endpoint that redirects to Stripe (Checkout, the Customer Portal): a full page
    /// load, since the interactive router has no route for it.
    /// </summary>
    private void GoToServer(string path) => Navigation.NavigateTo(path, forceLoad: true);

    private string? ValidateCap(decimal? dollars) =>
        dollars is null or (>= 1 and <= 100_000) ? null : "Enter a cap between $1 and $100,000, or leave it empty.";

    private async Task SaveLimitsAsync()
    {
        await _form!.ValidateAsync();
        if (!_form.IsValid)
        {
            return;
        }

        _saving = true;
        try
        {
            await Billing.SetSpendingCapAsync(_capDollars is { } d ? (int)Math.Round(d * 100) : null, CancellationToken.None);
            await Billing.SetLimitActionAsync(_action, CancellationToken.None);
            Snackbar.Add("Saved.", Severity.Success);
            await LoadAsync();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        finally
        {
            _saving = false;
        }
    }

    /// <summary>
    /// The period as dates: Stripe's period in the business's time zone; the calendar-month fallback (UTC by definition)
    /// by its own dates, so a month never shows as starting on the last day of the previous one.
    /// </summary>
    private string Period(BillingOverview o) => o.Account.CurrentPeriodStart == o.PeriodStart
        ? $"{Zoned(o.PeriodStart)} – {Zoned(o.PeriodEnd.AddSeconds(-1))}"
        : $"{o.PeriodStart.UtcDateTime.ToString("MMM d, yyyy", CultureInfo.InvariantCulture)} – {o.PeriodEnd.AddSeconds(-1).UtcDateTime.ToString("MMM d, yyyy", CultureInfo.InvariantCulture)} (UTC month)";

    private string Zoned(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, _zone).ToString("MMM d, yyyy", CultureInfo.InvariantCulture);

    private static string Money(long cents) => (cents / 100m).ToString("$#,##0.00", CultureInfo.InvariantCulture);

    private static string Minutes(long tenths) => (tenths / 10m).ToString("#,##0.0", CultureInfo.InvariantCulture);

    private static string Price(PlanTerms terms) =>
        terms.MonthlyMinimumCents == 0
            ? string.Create(CultureInfo.InvariantCulture, $"${terms.CentsPerMinute / 100m:0.00}/min, no commitment")
            : string.Create(CultureInfo.InvariantCulture, $"{Money(terms.MonthlyMinimumCents)}/month incl. {terms.CommittedMinutes:#,##0} min, then ${terms.CentsPerMinute / 100m:0.00}/min");
}
