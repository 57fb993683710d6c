using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.Webhooks;

namespace Portal.Web.Components.Shared.Webhooks;

/// <summary>
/// The one webhook editor of the portal: the owner's Settings → Webhooks and the agency's client page both render it
/// over their <see cref="IWebhookEndpoints"/>. Loads and actions go through <see cref="PageErrors"/>; an agency that lost
/// access to the client reads the service's message.
/// </summary>
public partial class WebhookEndpointsPanel
{
    private readonly HashSet<string> _events = [WebhookEventTypes.CallCompleted, WebhookEventTypes.BookingCreated];
    private IReadOnlyList<WebhookEndpointInfo>? _endpoints;
    private IReadOnlyList<WebhookDeliveryInfo>? _deliveries;
    private IReadOnlyList<WebhookAttemptInfo>? _attempts;
    private WebhookEndpointInfo? _selected;
    private MudForm? _form;
    private string _url = "";
    private string? _description;
    private string? _secret;
    private string? _secretFor;
    private string? _error;
    private string? _formError;
    private bool _busy;
    private IWebhookEndpoints? _loadedFor;

    /// <summary>Whose endpoints: <see cref="OwnerWebhookEndpoints"/> or <see cref="AgencyClientWebhookEndpoints"/>.</summary>
    [Parameter, EditorRequired] public IWebhookEndpoints Endpoints { get; set; } = default!;

    /// <summary>The business's time zone (times are shown in it); null for the signed-in business's own.</summary>
    [Parameter] public TimeZoneInfo? Zone { get; set; }

    /// <summary>Put before every <c>data-testid</c> and input id, so two panels' ids differ (the agency's is <c>client-</c>).</summary>
    [Parameter] public string TestIdPrefix { get; set; } = "";

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private IWebhookDeliveryInspection? Inspection => Endpoints as IWebhookDeliveryInspection;

    private string Id(string name) => TestIdPrefix + name;

    /// <inheritdoc />
    protected override Task OnParametersSetAsync()
    {
        if (ReferenceEquals(_loadedFor, Endpoints))
        {
            return Task.CompletedTask;
        }

        (_loadedFor, _selected, _deliveries, _attempts, _secret) = (Endpoints, null, null, null, null);
        return LoadAsync();
    }

    private async Task LoadAsync()
    {
        _error = null;
        try
        {
            _error = await Errors.TryAsync(async () => _endpoints = await Endpoints.ListAsync(CancellationToken.None), "Webhook endpoints could not be loaded.");
        }
        catch (UnauthorizedAccessException ex)
        {
            _error = ex.Message;
        }

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
            var (endpoint, secret) = await Endpoints.CreateAsync(_url, _description, _events, CancellationToken.None);
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

    private Task SendTestAsync(WebhookEndpointInfo endpoint) =>
        ActAsync(async () =>
        {
            if (await Endpoints.SendTestAsync(endpoint.Id, CancellationToken.None) is null)
            {
                Snackbar.Add($"{endpoint.Url} no longer exists.", Severity.Warning);
                await LoadAsync();
                return;
            }

            Snackbar.Add($"Test event queued for {endpoint.Url}.", Severity.Success);
            await LoadDeliveriesAsync(endpoint);
        }, "The test event could not be queued. Please try again.");

    private Task RevealAsync(WebhookEndpointInfo endpoint) =>
        ActAsync(async () =>
        {
            _secret = await Inspection!.GetSecretAsync(endpoint.Id, CancellationToken.None);
            _secretFor = endpoint.Url;
        }, "The signing secret could not be read. Please try again.");

    private Task ToggleAsync(WebhookEndpointInfo endpoint) =>
        ActAsync(async () =>
        {
            await Endpoints.SetEnabledAsync(endpoint.Id, !endpoint.IsEnabled, CancellationToken.None);
            Snackbar.Add(endpoint.IsEnabled ? "Endpoint paused." : "Endpoint enabled.", Severity.Info);
            await LoadAsync();
        }, endpoint.IsEnabled ? "The endpoint could not be paused. Please try again." : "The endpoint could not be enabled. Please try again.");

    private async Task DeleteAsync(WebhookEndpointInfo endpoint)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete endpoint", $"Delete {endpoint.Url} and its delivery log?", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        await ActAsync(async () =>
        {
            await Endpoints.DeleteAsync(endpoint.Id, CancellationToken.None);
            if (_selected?.Id == endpoint.Id)
            {
                (_selected, _deliveries, _attempts) = (null, null, null);
            }

            await LoadAsync();
        }, "The endpoint could not be deleted. Please try again.");
    }

    private Task ShowDeliveriesAsync(WebhookEndpointInfo endpoint) =>
        ActAsync(() => LoadDeliveriesAsync(endpoint), "The deliveries could not be loaded. Please try again.");

    private async Task LoadDeliveriesAsync(WebhookEndpointInfo endpoint)
    {
        (_selected, _deliveries, _attempts) = (endpoint, null, null);
        try
        {
            _deliveries = await Endpoints.DeliveriesAsync(endpoint.Id, 50, CancellationToken.None);
        }
        finally
        {
            // A failed read leaves no loading bar behind: the owner reads the error and can ask again.
            _selected = _deliveries is null ? null : _selected;
        }
    }

    private Task ShowAttemptsAsync(WebhookDeliveryInfo delivery) =>
        ActAsync(async () => _attempts = await Inspection!.AttemptsAsync(delivery.Id, CancellationToken.None), "The attempts could not be loaded. Please try again.");

    private Task ReplayAsync(WebhookDeliveryInfo delivery) =>
        ActAsync(async () =>
        {
            if (await Inspection!.ReplayAsync(delivery.Id, CancellationToken.None))
            {
                Snackbar.Add($"{delivery.EventType} queued to be sent again.", Severity.Success);
            }
        }, "The delivery could not be queued again. Please try again.");

    /// <summary>
    /// Runs one of the owner's actions. A data failure (<see cref="PageErrors.IsDataFailure"/>) or lost access to an
    /// agency's client is shown as an error message; the page stays usable instead of ending the circuit.
    /// </summary>
    private async Task ActAsync(Func<Task> action, string failure, [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        try
        {
            if (await Errors.TryAsync(action, failure, operation) is { } message)
            {
                Snackbar.Add(message, Severity.Error);
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    private static Color StatusColor(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Succeeded => Color.Success,
        WebhookDeliveryStatus.Failed => Color.Error,
        _ => Color.Warning,
    };
}
