using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.Customers;
using Portal.Web.Components.Shared;
using Portal.Web.Tenancy;

namespace Portal.Web.Components.Pages.Customers;

/// <summary>One customer: contact details, next appointment, lead score, notes and the timeline across every channel.</summary>
public partial class CustomerDetailPage
{
    private bool _loading = true;
    private bool _saving;
    private string? _error;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private CustomerDetail? _customer;
    private string? _notes;
    private MudForm? _form;

    /// <summary>Customer id from the route.</summary>
    [Parameter] public Guid Id { get; set; }

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private CustomerService Customers { get; set; } = default!;

    [Inject] private TenantClock Zones { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        _error = await Errors.TryAsync(async () =>
        {
            _zone = await Zones.ZoneAsync();
            // Another business's customer is filtered out by the service: indistinguishable from an unknown id.
            _customer = await Customers.GetAsync(Id, CancellationToken.None);
            _notes = _customer?.Notes;
        }, "The customer could not be loaded. Please try again.");
        _loading = false;
    }

    private static string? ValidateNotes(string? notes) =>
        (notes?.Trim().Length ?? 0) > Customer.NotesMaxLength ? $"Notes can be at most {Customer.NotesMaxLength} characters." : null;

    private async Task SaveNotesAsync()
    {
        if (_customer is null || _form is null)
        {
            return;
        }

        await _form.ValidateAsync();
        if (!_form.IsValid)
        {
            return;
        }

        _saving = true;
        var failure = "The notes could not be saved. Please try again.";
        try
        {
            var saved = false;
            failure = await Errors.TryAsync(async () => saved = await Customers.SaveNotesAsync(Id, _notes, CancellationToken.None), failure);
            if (saved)
            {
                _customer = _customer with { Notes = (_notes ?? "").Trim() };
                _notes = _customer.Notes;
                Snackbar.Add("Notes saved.", Severity.Success);
            }
            else if (failure is null)
            {
                Snackbar.Add("This customer no longer exists.", Severity.Warning);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or UnauthorizedAccessException)
        {
            // Notes too long (the field limits them first) or the session lost access: nothing was saved.
        }

        if (failure is not null)
        {
            Snackbar.Add(failure, Severity.Error);
        }

        _saving = false;
    }

    private static string KindIcon(TimelineKind kind) => kind switch
    {
        TimelineKind.Call => Icons.Material.Filled.Phone,
        TimelineKind.Chat => Icons.Material.Filled.Chat,
        TimelineKind.Text => Icons.Material.Filled.Sms,
        TimelineKind.Booking => Icons.Material.Filled.Event,
        _ => Icons.Material.Filled.MarkunreadMailbox,
    };

    private static Color KindColor(TimelineKind kind) => kind switch
    {
        TimelineKind.Booking => Color.Success,
        TimelineKind.Message => Color.Warning,
        _ => Color.Primary,
    };
}
