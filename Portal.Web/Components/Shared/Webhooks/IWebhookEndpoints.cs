using Portal.Domain.Agencies;
using Portal.Domain.Webhooks;

namespace Portal.Web.Components.Shared.Webhooks;

/// <summary>
/// The webhook endpoints of one business as <see cref="WebhookEndpointsPanel"/> edits them: the owner's own
/// (<see cref="OwnerWebhookEndpoints"/>) or an agency's client's (<see cref="AgencyClientWebhookEndpoints"/>). Access
/// checks stay in the domain services; an agency without access gets <see cref="UnauthorizedAccessException"/>.
/// </summary>
public interface IWebhookEndpoints
{
    /// <summary>The business's endpoints.</summary>
    Task<IReadOnlyList<WebhookEndpointInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds an endpoint; returns it with its signing secret (shown once).</summary>
    /// <exception cref="ArgumentException">Bad URL, description or events (the message says which); nothing is stored.</exception>
    /// <exception cref="InvalidOperationException">The business has the most endpoints it may have.</exception>
    Task<(WebhookEndpointInfo Endpoint, string Secret)> CreateAsync(string url, string? description, IEnumerable<string> events, CancellationToken cancellationToken);

    /// <summary>Enables or pauses an endpoint; false when it no longer exists.</summary>
    Task<bool> SetEnabledAsync(Guid endpointId, bool enabled, CancellationToken cancellationToken);

    /// <summary>Deletes an endpoint and its delivery log; false when it no longer exists.</summary>
    Task<bool> DeleteAsync(Guid endpointId, CancellationToken cancellationToken);

    /// <summary>Queues a test event to the endpoint; its delivery id, or null when the endpoint no longer exists.</summary>
    Task<Guid?> SendTestAsync(Guid endpointId, CancellationToken cancellationToken);

    /// <summary>The endpoint's most recent deliveries, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WebhookDeliveryInfo>> DeliveriesAsync(Guid endpointId, int limit, CancellationToken cancellationToken);
}

/// <summary>What only the business itself may do with its webhooks: read the signing secret again, read each attempt, replay a delivery.</summary>
public interface IWebhookDeliveryInspection
{
    /// <summary>The endpoint's signing secret, or null when it no longer exists.</summary>
    Task<string?> GetSecretAsync(Guid endpointId, CancellationToken cancellationToken);

    /// <summary>The attempts of one delivery (status code, latency in milliseconds, error).</summary>
    Task<IReadOnlyList<WebhookAttemptInfo>> AttemptsAsync(Guid deliveryId, CancellationToken cancellationToken);

    /// <summary>Queues a delivery to be sent again; false when it no longer exists.</summary>
    Task<bool> ReplayAsync(Guid deliveryId, CancellationToken cancellationToken);
}

/// <summary>The signed-in business's own webhooks (Settings → Webhooks), through <see cref="WebhookService"/>.</summary>
/// <param name="webhooks">The current tenant's webhook service.</param>
public sealed class OwnerWebhookEndpoints(WebhookService webhooks) : IWebhookEndpoints, IWebhookDeliveryInspection
{
    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookEndpointInfo>> ListAsync(CancellationToken cancellationToken) => webhooks.ListAsync(cancellationToken);

    /// <inheritdoc />
    public Task<(WebhookEndpointInfo Endpoint, string Secret)> CreateAsync(string url, string? description, IEnumerable<string> events, CancellationToken cancellationToken) =>
        webhooks.CreateAsync(url, description, events, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetEnabledAsync(Guid endpointId, bool enabled, CancellationToken cancellationToken) => webhooks.SetEnabledAsync(endpointId, enabled, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(Guid endpointId, CancellationToken cancellationToken) => webhooks.DeleteAsync(endpointId, cancellationToken);

    /// <inheritdoc />
    public Task<Guid?> SendTestAsync(Guid endpointId, CancellationToken cancellationToken) => webhooks.SendTestAsync(endpointId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookDeliveryInfo>> DeliveriesAsync(Guid endpointId, int limit, CancellationToken cancellationToken) =>
        webhooks.ListDeliveriesAsync(endpointId, limit, cancellationToken);

    /// <inheritdoc />
    public Task<string?> GetSecretAsync(Guid endpointId, CancellationToken cancellationToken) => webhooks.GetSecretAsync(endpointId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookAttemptInfo>> AttemptsAsync(Guid deliveryId, CancellationToken cancellationToken) => webhooks.ListAttemptsAsync(deliveryId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ReplayAsync(Guid deliveryId, CancellationToken cancellationToken) => webhooks.ReplayAsync(deliveryId, cancellationToken);
}

/// <summary>An agency's view of one client's webhooks, through <see cref="AgencyClientWebhooks"/> (which checks the agency manages the client).</summary>
/// <param name="webhooks">The agency's client-webhook service.</param>
/// <param name="tenantId">The client business.</param>
public sealed class AgencyClientWebhookEndpoints(AgencyClientWebhooks webhooks, Guid tenantId) : IWebhookEndpoints
{
    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookEndpointInfo>> ListAsync(CancellationToken cancellationToken) => webhooks.ListAsync(tenantId, cancellationToken);

    /// <inheritdoc />
    public Task<(WebhookEndpointInfo Endpoint, string Secret)> CreateAsync(string url, string? description, IEnumerable<string> events, CancellationToken cancellationToken) =>
        webhooks.CreateAsync(tenantId, url, description, events, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetEnabledAsync(Guid endpointId, bool enabled, CancellationToken cancellationToken) => webhooks.SetEnabledAsync(tenantId, endpointId, enabled, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(Guid endpointId, CancellationToken cancellationToken) => webhooks.DeleteAsync(tenantId, endpointId, cancellationToken);

    /// <inheritdoc />
    public Task<Guid?> SendTestAsync(Guid endpointId, CancellationToken cancellationToken) => webhooks.SendTestAsync(tenantId, endpointId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookDeliveryInfo>> DeliveriesAsync(Guid endpointId, int limit, CancellationToken cancellationToken) =>
        webhooks.DeliveriesAsync(tenantId, endpointId, limit, cancellationToken);
}
