using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.BusinessSettings;
using Portal.Domain.Numbers;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Business.Components;

/// <summary>The "Details" tab: the tenant's own facts and booking rules.</summary>
public partial class DetailsTab
{
    private static readonly (string Id, string Label)[] CommonZones =
    [
        ("America/New_York", "Eastern (New York)"),
        ("America/Chicago", "Central (Chicago)"),
        ("America/Denver", "Mountain (Denver)"),
        ("America/Phoenix", "Mountain, no DST (Phoenix)"),
        ("America/Los_Angeles", "Pacific (Los Angeles)"),
        ("America/Anchorage", "Alaska (Anchorage)"),
        ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ];

    private MudForm? _form;
    private bool _loading = true;
    private bool _saving;
    private string? _error;
    private string? _name;
    private Industry _industry;
    private string? _timeZone;
    private string? _phone;
    private string? _address;
    private int _notice;
    private int _interval;

    [Inject] private BusinessSettingsService Settings { get; set; } = default!;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private Portal.Web.Tenancy.TenantClock Zones { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private IEnumerable<(string Id, string Label)> TimeZoneChoices =>
        _timeZone is null || CommonZones.Any(z => z.Id == _timeZone) ? CommonZones : CommonZones.Append((_timeZone, _timeZone));

    private static string IndustryLabel(Industry i) => i switch
    {
        Industry.Hvac => "HVAC",
        Industry.AutoRepair => "Auto repair",
        Industry.RealEstate => "Real estate",
        _ => i.ToString(),
    };

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        BusinessSummary? business = null;
        _error = await Errors.TryAsync(async () => business = await Settings.GetAsync(CancellationToken.None), "Business details could not be loaded. Please try again.");
        if (business is not null)
        {
            var d = business.Details;
            (_name, _industry, _timeZone, _address, _notice, _interval) = (d.Name, d.Industry, d.TimeZoneId, d.Address, d.MinimumNoticeMinutes, d.SlotIntervalMinutes);
            _phone = d.Phone is null ? null : E164.Display(d.Phone);
        }
        else
        {
            _error ??= "Your business could not be found.";
        }

        _loading = false;
    }

    private async Task SaveAsync()
    {
        await _form!.ValidateAsync();
        if (!_form.IsValid)
        {
            Snackbar.Add("Please fix the highlighted fields.", Severity.Warning);
            return;
        }

        _saving = true;
        try
        {
            var saved = false;
            var details = new BusinessInfo(_name!, _industry, _timeZone!, _phone, _address ?? "", _notice, _interval);
            var failure = await Errors.TryAsync(async () => saved = await Settings.SaveDetailsAsync(details, CancellationToken.None), "The details could not be saved. Please try again.")
                ?? (saved ? null : "Your business could not be found.");
            if (failure is null)
            {
                Zones.Invalidate();
                Snackbar.Add("Business details saved.", Severity.Success);
            }
            else
            {
                Snackbar.Add(failure, Severity.Error);
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
