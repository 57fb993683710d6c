using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Tenancy;
using Portal.Domain.Audit;
using Portal.Domain.Tenancy;
using Portal.Domain.Webhooks;

namespace Portal.Domain.Agencies;

/// <summary>
/// An agency manages its clients' outbound webhooks: the same <see cref="WebhookService"/> the owner's Settings →
/// Webhooks tab uses, run in a scope whose tenant is the client, after checking that the client is the signed-in
/// member's agency's (<see cref="AgencyClients.OwnsAsync"/>). The signing secret is returned once, on creation. Adding,
/// pausing, resuming and deleting are audited on the client.
/// </summary>
public sealed class AgencyClientWebhooks(IServiceScopeFactory scopes, AgencyClients clients, AuditLog auditLog)
{
    /// <summary>The client's endpoints, oldest first.</summary>
    /// <exception cref="UnauthorizedAccessException">Not this agency's client.</exception>
    public Task<IReadOnlyList<WebhookEndpointInfo>> ListAsync(Guid tenantId, CancellationToken cancellationToken) =>
        InClientAsync(tenantId, hooks => hooks.ListAsync(cancellationToken), cancellationToken);

    /// <summary>Registers an endpoint for the client; returns it with its signing secret (shown once).</summary>
    /// <exception cref="UnauthorizedAccessException">Not this agency's client.</exception>
    /// <exception cref="ArgumentException">Bad URL, description or events (see <see cref="WebhookService.CreateAsync"/>); nothing is stored.</exception>
    /// <exception cref="InvalidOperationException">The client has <see cref="WebhookService.MaxEndpoints"/> endpoints already.</exception>
    public async Task<(WebhookEndpointInfo Endpoint, string Secret)> CreateAsync(Guid tenantId, string url, string? description, IEnumerable<string> events, CancellationToken cancellationToken)
    {
        var created = await InClientAsync(tenantId, hooks => hooks.CreateAsync(url, description, events, cancellationToken), cancellationToken);
        await AuditAsync(tenantId, created.Endpoint.Id, "create", created.Endpoint.Url, cancellationToken);
        return created;
    }

    /// <summary>Pauses or resumes one of the client's endpoints; false when it has no such endpoint.</summary>
    /// <exception cref="UnauthorizedAccessException">Not this agency's client.</exception>
    public async Task<bool> SetEnabledAsync(Guid tenantId, Guid endpointId, bool enabled, CancellationToken cancellationToken)
    {
        var changed = await InClientAsync(tenantId, hooks => hooks.SetEnabledAsync(endpointId, enabled, cancellationToken), cancellationToken);
        if (changed)
        {
            await AuditAsync(tenantId, endpointId, enabled ? "enable" : "disable", null, cancellationToken);
        }

        return changed;
    }

    /// <summary>Deletes one of the client's endpoints with its deliveries; false when it has no such endpoint.</summary>
    /// <exception cref="UnauthorizedAccessException">Not this agency's client.</exception>
    public async Task<bool> DeleteAsync(Guid tenantId, Guid endpointId, CancellationToken cancellationToken)
    {
        var deleted = await InClientAsync(tenantId, hooks => hooks.DeleteAsync(endpointId, cancellationToken), cancellationToken);
        if (deleted)
        {
            await AuditAsync(tenantId, endpointId, "delete", null, cancellationToken);
        }

        return deleted;
    }

    /// <summary>Sends a test event to one of the client's endpoints; the delivery id, or null when it has no such endpoint.</summary>
    /// <exception cref="UnauthorizedAccessException">Not this agency's client.</exception>
    public Task<Guid?> SendTestAsync(Guid tenantId, Guid endpointId, CancellationToken cancellationToken) =>
        InClientAsync(tenantId, hooks => hooks.SendTestAsync(endpointId, cancellationToken), cancellationToken);

    /// <summary>The client's latest deliveries (one endpoint or all), newest first, at most <paramref name="limit"/> (1–200).</summary>
    /// <exception cref="UnauthorizedAccessException">Not this agency's client.</exception>
    public Task<IReadOnlyList<WebhookDeliveryInfo>> DeliveriesAsync(Guid tenantId, Guid? endpointId, int limit, CancellationToken cancellationToken) =>
        InClientAsync(tenantId, hooks => hooks.ListDeliveriesAsync(endpointId, limit, cancellationToken), cancellationToken);

    private Task AuditAsync(Guid tenantId, Guid endpointId, string action, string? url, CancellationToken cancellationToken) =>
        auditLog.RecordAsync(AuditActions.AgencyClientWebhook, "WebhookEndpoint", endpointId.ToString(), tenantId, new { action, url }, cancellationToken);

    private async Task<T> InClientAsync<T>(Guid tenantId, Func<WebhookService, Task<T>> action, CancellationToken cancellationToken)
    {
        if (!await clients.OwnsAsync(tenantId, cancellationToken))
        {
            throw new UnauthorizedAccessException("Not one of your clients.");
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        return await action(scope.ServiceProvider.GetRequiredService<WebhookService>());
    }
}
