using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.BusinessSettings;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Business.Components;

/// <summary>The "Services" tab. A service with bookings is never deleted (bookings reference it); the owner may deactivate it instead.</summary>
public partial class ServicesTab
{
    private IReadOnlyList<Service>? _items;
    private string? _error;
    private bool _busy;

    [Inject] private ServiceCatalog Catalog { get; set; } = default!;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        IReadOnlyList<Service> items = [];
        _error = await Errors.TryAsync(async () => items = await Catalog.ListAsync(CancellationToken.None), "Services could not be loaded.");
        _items = items;
    }

    private async Task EditAsync(Service? existing)
    {
        var parameters = new DialogParameters<ServiceDialog> { { d => d.Model, existing is null ? new ServiceModel() : ServiceModel.From(existing) } };
        var dialog = await Dialogs.ShowAsync<ServiceDialog>(existing is null ? "Add service" : "Edit service", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: ServiceModel model })
        {
            return;
        }

        await ChangeAsync(() => Catalog.SaveAsync(model.ToInput(), CancellationToken.None), existing is null ? $"Added “{model.Name}”." : $"Saved “{model.Name}”.");
    }

    private async Task DeleteAsync(Service service)
    {
        var bookings = 0;
        if (await Errors.TryAsync(async () => bookings = await Catalog.BookingCountAsync(service.Id, CancellationToken.None), "The service's bookings could not be counted. Please try again.") is { } failure)
        {
            Snackbar.Add(failure, Severity.Error);
            return;
        }

        if (bookings > 0)
        {
            if (!service.IsActive)
            {
                Snackbar.Add($"“{service.Name}” has {bookings} booking(s), so it can't be deleted. It is already inactive.", Severity.Info);
                return;
            }

            var deactivate = await Dialogs.ShowMessageBoxAsync("Service has bookings",
                $"“{service.Name}” has {bookings} booking(s), so it can't be deleted. Deactivate it instead? Callers won't be offered it any more; existing bookings stay.",
                yesText: "Deactivate", cancelText: "Keep it");
            if (deactivate == true)
            {
                await ChangeAsync(() => Catalog.DeactivateAsync(service.Id, CancellationToken.None), $"“{service.Name}” deactivated.");
            }

            return;
        }

        var confirm = await Dialogs.ShowMessageBoxAsync("Delete service?", $"Delete “{service.Name}”? This cannot be undone.", yesText: "Delete", cancelText: "Cancel");
        if (confirm == true)
        {
            await ChangeAsync(() => Catalog.DeleteAsync(service.Id, CancellationToken.None), $"“{service.Name}” deleted.");
        }
    }

    private async Task ChangeAsync(Func<Task<ServiceChange>> change, string success)
    {
        _busy = true;
        try
        {
            var outcome = ServiceChange.Done;
            var failure = await Errors.TryAsync(async () => outcome = await change(), "The change could not be saved. Please try again.");
            (string Text, Severity Severity) message = failure is not null ? (failure, Severity.Error) : outcome switch
            {
                ServiceChange.Done => (success, Severity.Success),
                ServiceChange.NameTaken => ("A service with that name already exists.", Severity.Error),
                ServiceChange.HasBookings => ("The service is used by bookings and can't be deleted; deactivate it instead.", Severity.Error),
                _ => ("The service no longer exists.", Severity.Warning),
            };
            Snackbar.Add(message.Text, message.Severity);
        }
        catch (ArgumentException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        finally
        {
            _busy = false;
        }

        await LoadAsync();
    }
}
