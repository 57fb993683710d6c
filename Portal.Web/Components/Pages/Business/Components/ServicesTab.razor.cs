using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Domain.Conversations;
using Portal.Domain.Data;
using Portal.Domain.Entities;

namespace Portal.Web.Components.Pages.Business.Components;

/// <summary>The "Services" tab. A service with bookings is never deleted (bookings reference it); the owner may deactivate it instead.</summary>
public partial class ServicesTab
{
    private List<Service>? _items;
    private string? _error;
    private bool _busy;

    [Inject] private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject] private BusinessProfileCache ProfileCache { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _error = null;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _items = await db.Services.AsNoTracking().OrderByDescending(s => s.IsActive).ThenBy(s => s.Name).ToListAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _items = [];
            _error = "Services could not be loaded.";
        }
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

        await SaveAsync(async db =>
        {
            Service? entity;
            if (model.Id is { } id)
            {
                entity = await db.Services.FirstOrDefaultAsync(s => s.Id == id);
                if (entity is null)
                {
                    throw new InvalidOperationException("The service no longer exists.");
                }
            }
            else
            {
                entity = new Service();
                db.Services.Add(entity);
            }

            model.ApplyTo(entity);
        }, existing is null ? $"Added “{model.Name}”." : $"Saved “{model.Name}”.");
    }

    private async Task DeleteAsync(Service service)
    {
        int bookings;
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            bookings = await db.Bookings.CountAsync(b => b.ServiceId == service.Id);
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
                await SaveAsync(async db => (await db.Services.FirstAsync(s => s.Id == service.Id)).IsActive = false, $"“{service.Name}” deactivated.");
            }

            return;
        }

        var confirm = await Dialogs.ShowMessageBoxAsync("Delete service?", $"Delete “{service.Name}”? This cannot be undone.", yesText: "Delete", cancelText: "Cancel");
        if (confirm == true)
        {
            await SaveAsync(async db => db.Services.Remove(await db.Services.FirstAsync(s => s.Id == service.Id)), $"“{service.Name}” deleted.");
        }
    }

    private async Task SaveAsync(Func<PortalDbContext, Task> change, string success)
    {
        _busy = true;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            await change(db);
            var tenantId = await BusinessFacts.BumpAsync(db);
            await db.SaveChangesAsync();
            ProfileCache.Invalidate(tenantId);
            Snackbar.Add(success, Severity.Success);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            Snackbar.Add("A service with that name already exists.", Severity.Error);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: "23503" })
        {
            Snackbar.Add("The service is used by bookings and can't be deleted; deactivate it instead.", Severity.Error);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            Snackbar.Add("The change could not be saved. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }

        await LoadAsync();
    }
}
