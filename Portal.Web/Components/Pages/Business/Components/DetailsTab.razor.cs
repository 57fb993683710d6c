using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Domain.Conversations;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Domain.Numbers;

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

    [Inject] private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject] private BusinessProfileCache ProfileCache { get; set; } = default!;

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
        _error = null;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            var t = await db.Tenants.AsNoTracking().FirstOrDefaultAsync();
            if (t is null)
            {
                _error = "Your business could not be found.";
                return;
            }

            (_name, _industry, _timeZone, _address, _notice, _interval) = (t.Name, t.Industry, t.TimeZoneId, t.Address, t.MinimumNoticeMinutes, t.SlotIntervalMinutes);
            _phone = t.Phone is null ? null : E164.Display(t.Phone);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _error = "Business details could not be loaded. Please try again.";
        }
        finally
        {
            _loading = false;
        }
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
            await using var db = await DbFactory.CreateDbContextAsync();
            var t = await db.Tenants.FirstAsync();
            t.Name = _name!.Trim();
            t.Industry = _industry;
            t.TimeZoneId = _timeZone!;
            t.Phone = E164.TryNormalize(_phone);
            t.Address = _address?.Trim() ?? "";
            t.MinimumNoticeMinutes = _notice;
            t.SlotIntervalMinutes = _interval;
            t.FactsVersion++;
            await db.SaveChangesAsync();
            ProfileCache.Invalidate(t.Id);
            Zones.Invalidate();
            Snackbar.Add("Business details saved.", Severity.Success);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            Snackbar.Add("The details could not be saved. Please try again.", Severity.Error);
        }
        finally
        {
            _saving = false;
        }
    }
}
