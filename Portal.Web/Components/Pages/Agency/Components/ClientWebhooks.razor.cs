using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Domain.Agencies;
using Portal.Domain.Entities;
using Portal.Domain.Webhooks;

namespace Portal.Web.Components.Pages.Agency.Components;

/// <summary>
/// The agency's view of one client's outbound webhooks (<see cref="AgencyClientWebhooks"/>, which runs the client's own
/// <see cref="WebhookService"/>): add an endpoint with its events (the signing secret is shown once), send a test event,
/// disable or enable, delete, and the endpoint's recent deliveries.
/// </summary>
public partial class ClientWebhooks
{
    private readonly HashSet<string> _events = [WebhookEventTypes.CallCompleted, WebhookEventTypes.BookingCreated];
    private IReadOnlyList<WebhookEndpointInfo>? _endpoints;
    private IReadOnlyList<WebhookDeliveryInfo>? _deliveries;
    private WebhookEndpointInfo? _selected;
    private MudForm? _form;
    private string _url = "";
    private string? _description;
    private string? _secret;
    private string? _secretFor;
    private string? _error;
    private string? _formError;
    private bool _busy;

    /// <summary>The client business.</summary>
    [Parameter] public Guid TenantId { get; set; }

    /// <summary>The client's time zone (times are shown in it).</summary>
    [Parameter] public TimeZoneInfo? Zone { get; set; }

    [Inject] private AgencyClientWebhooks Webhooks { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _error = null;
        try
        {
            _endpoints = await Webhooks.ListAsync(TenantId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _endpoints = [];
            _error = ex is UnauthorizedAccessException ? ex.Message : "Webhook endpoints could not be loaded.";
        }
    }

    private void Toggle(string type, bool on)
    {
        if (on)
        {
            _events.Add(type);
        }
        else
        {
            _events.Remove(type);
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

        _busy = true;
        try
        {
            var (endpoint, secret) = await Webhooks.CreateAsync(TenantId, _url, _description, _events, CancellationToken.None);
            (_secret, _secretFor) = (secret, endpoint.Url);
            (_url, _description) = ("", null);
            await _form.ResetValidationAsync();
            await LoadAsync();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            _formError = ex is ArgumentException a ? a.Message.Split(" (Parameter")[0] : ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SendTestAsync(WebhookEndpointInfo endpoint)
    {
        if (await Webhooks.SendTestAsync(TenantId, endpoint.Id, CancellationToken.None) is not null)
        {
            Snackbar.Add($"Test event queued for {endpoint.Url}.", Severity.Success);
            await ShowDeliveriesAsync(endpoint);
        }
    }

    private async Task ToggleAsync(WebhookEndpointInfo endpoint)
    {
        await Webhooks.SetEnabledAsync(TenantId, endpoint.Id, !endpoint.IsEnabled, CancellationToken.None);
        Snackbar.Add(endpoint.IsEnabled ? "Endpoint disabled." : "Endpoint enabled.", Severity.Info);
        await LoadAsync();
    }

    private async Task DeleteAsync(WebhookEndpointInfo endpoint)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete endpoint", $"Delete {endpoint.Url} and its delivery log?", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        await Webhooks.DeleteAsync(TenantId, endpoint.Id, CancellationToken.None);
        if (_selected?.Id == endpoint.Id)
        {
            (_selected, _deliveries) = (null, null);
        }

        await LoadAsync();
    }

    private async Task ShowDeliveriesAsync(WebhookEndpointInfo endpoint)
    {
        (_selected, _deliveries) = (endpoint, null);
        _deliveries = await Webhooks.DeliveriesAsync(TenantId, endpoint.Id, 20, CancellationToken.None);
    }

    private static Color StatusColor(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Succeeded => Color.Success,
        WebhookDeliveryStatus.Failed => Color.Error,
        _ => Color.Warning,
    };
}
