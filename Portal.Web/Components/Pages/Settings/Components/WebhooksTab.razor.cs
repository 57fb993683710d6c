using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Domain.Entities;
using Portal.Domain.Webhooks;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Settings.Components;

/// <summary>
/// Settings → Webhooks: register endpoints (URL checked by the SSRF guard) with their events, show the signing secret,
/// pause, enable, delete, read each endpoint's deliveries and attempts (status code, latency) and replay a delivery.
/// </summary>
public partial class WebhooksTab
{
    private IReadOnlyList<WebhookEndpointInfo>? _endpoints;
    private IReadOnlyList<WebhookDeliveryInfo>? _deliveries;
    private IReadOnlyList<WebhookAttemptInfo>? _attempts;
    private WebhookEndpointInfo? _selected;
    private readonly HashSet<string> _events = [WebhookEventTypes.BookingCreated];
    private MudForm? _form;
    private string _url = "";
    private string? _description;
    private string? _secret;
    private string? _secretFor;
    private string? _error;
    private string? _formError;
    private bool _busy;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private WebhookService Webhooks { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _error = await Errors.TryAsync(async () =>
        {
            _endpoints = await Webhooks.ListAsync(CancellationToken.None);
        }, "Webhook endpoints could not be loaded.");
        if (_error is not null)
        {
            _endpoints = [];
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
            var (endpoint, secret) = await Webhooks.CreateAsync(_url, _description, _events, CancellationToken.None);
            (_secret, _secretFor) = (secret, endpoint.Url);
            _url = "";
            _description = null;
            await LoadAsync();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            _formError = ex is ArgumentException a ? a.Message.Split(" (Parameter")[0] : ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RevealAsync(WebhookEndpointInfo endpoint)
    {
        _secret = await Webhooks.GetSecretAsync(endpoint.Id, CancellationToken.None);
        _secretFor = endpoint.Url;
    }

    private async Task ToggleEnabledAsync(WebhookEndpointInfo endpoint)
    {
        await Webhooks.SetEnabledAsync(endpoint.Id, !endpoint.IsEnabled, CancellationToken.None);
        Snackbar.Add(endpoint.IsEnabled ? "Endpoint paused." : "Endpoint enabled.", Severity.Info);
        await LoadAsync();
    }

    private async Task DeleteAsync(WebhookEndpointInfo endpoint)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete endpoint", $"Delete {endpoint.Url} and its delivery log?", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        await Webhooks.DeleteAsync(endpoint.Id, CancellationToken.None);
        if (_selected?.Id == endpoint.Id)
        {
            (_selected, _deliveries, _attempts) = (null, null, null);
        }

        await LoadAsync();
    }

    private async Task ShowDeliveriesAsync(WebhookEndpointInfo endpoint)
    {
        (_selected, _deliveries, _attempts) = (endpoint, null, null);
        _deliveries = await Webhooks.ListDeliveriesAsync(endpoint.Id, 50, CancellationToken.None);
    }

    private async Task ShowAttemptsAsync(WebhookDeliveryInfo delivery) =>
        _attempts = await Webhooks.ListAttemptsAsync(delivery.Id, CancellationToken.None);

    private async Task ReplayAsync(WebhookDeliveryInfo delivery)
    {
        if (await Webhooks.ReplayAsync(delivery.Id, CancellationToken.None))
        {
            Snackbar.Add($"{delivery.EventType} queued to be sent again.", Severity.Success);
        }
    }

    private static Color StatusColor(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Succeeded => Color.Success,
        WebhookDeliveryStatus.Failed => Color.Error,
        _ => Color.Warning,
    };
}
