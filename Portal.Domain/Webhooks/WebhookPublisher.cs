using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Webhooks;

/// <summary>
/// Turns a domain event into webhook deliveries. Callers (the booking store, the call router, the conversation service,
/// the knowledge-gap store) call it after their own write; it never throws into them and never waits on a receiver.
/// </summary>
public interface IWebhookPublisher
{
    /// <summary>Queues <paramref name="eventType"/> for every enabled endpoint of the tenant subscribed to it.</summary>
    /// <param name="tenantId">The business the event belongs to.</param>
    /// <param name="eventType">One of <see cref="WebhookEventTypes"/>.</param>
    /// <param name="data">The event's object, serialized as the payload's <c>data</c> (camelCase JSON).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many deliveries were queued (0 when nobody listens or the write failed, which is logged).</returns>
    Task<int> PublishAsync(Guid tenantId, string eventType, object data, CancellationToken cancellationToken);
}

/// <summary>Hands deliveries to the job system; the only thing the publisher and the page wait for.</summary>
public interface IWebhookDeliveryQueue
{
    /// <summary>Runs the delivery's next attempt as soon as a worker is free.</summary>
    void Enqueue(Guid tenantId, Guid deliveryId);

    /// <summary>Runs the delivery's next attempt at <paramref name="at"/> (UTC).</summary>
    void Schedule(Guid tenantId, Guid deliveryId, DateTimeOffset at);

    /// <summary>Sends the delivery once more on the owner's request, whatever its status.</summary>
    void EnqueueReplay(Guid tenantId, Guid deliveryId);
}

/// <summary>
/// The webhook outbox: one <see cref="WebhookDelivery"/> row per subscribed endpoint, inserted in one statement, then
/// handed to <see cref="IWebhookDeliveryQueue"/>. The payload follows the Standard Webhooks structure
/// <c>{"type","timestamp","data"}</c> (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#payload-structure).
/// </summary>
public sealed class WebhookPublisher(IDbContextFactory<PortalDbContext> contextFactory, IWebhookDeliveryQueue queue, TimeProvider clock, ILogger<WebhookPublisher> logger) : IWebhookPublisher
{
    /// <summary>JSON options of payloads: camelCase, like the REST API.</summary>
    public static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public async Task<int> PublishAsync(Guid tenantId, string eventType, object data, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            // Scoped by the explicit tenantId: publishers run in webhooks and jobs where no current tenant is set.
            var endpoints = await db.WebhookEndpoints.IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.TenantId == tenantId && e.IsEnabled && e.Events.Contains(eventType))
                .Select(e => new { e.Id, e.Events }).ToListAsync(cancellationToken);
            var subscribed = endpoints.Where(e => e.Events.Split(' ').Contains(eventType)).ToList();
            if (subscribed.Count == 0)
            {
                return 0;
            }

            var now = clock.GetUtcNow();
            var payload = JsonSerializer.Serialize(new { type = eventType, timestamp = now, data }, PayloadJson);
            var deliveries = subscribed.Select(e => new WebhookDelivery
            {
                TenantId = tenantId,
                EndpointId = e.Id,
                EventType = eventType,
                MessageId = WebhookSignature.NewMessageId(),
                Payload = payload,
                Status = WebhookDeliveryStatus.Pending,
                NextAttemptAt = now,
            }).ToList();
            db.WebhookDeliveries.AddRange(deliveries);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var delivery in deliveries)
            {
                queue.Enqueue(tenantId, delivery.Id);
            }

            return deliveries.Count;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A webhook must never fail the call, chat or booking that raised it; the sweep job retries queued rows.
            logger.LogError(ex, "Webhook event {EventType} for tenant {TenantId} could not be queued", eventType, tenantId);
            return 0;
        }
    }
}
