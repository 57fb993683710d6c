using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Webhooks;
using Portal.Rag.Crawling;

namespace Portal.Jobs.Webhooks;

/// <summary>Puts webhook deliveries on Hangfire (ids only).</summary>
public sealed class HangfireWebhookDeliveryQueue(IBackgroundJobClient jobs) : IWebhookDeliveryQueue
{
    /// <inheritdoc />
    public void Enqueue(Guid tenantId, Guid deliveryId) =>
        jobs.Enqueue<DeliverWebhookJob>(j => j.RunAsync(tenantId, deliveryId, false, CancellationToken.None));

    /// <inheritdoc />
    public void Schedule(Guid tenantId, Guid deliveryId, DateTimeOffset at) =>
        jobs.Schedule<DeliverWebhookJob>(j => j.RunAsync(tenantId, deliveryId, false, CancellationToken.None), at);

    /// <inheritdoc />
    public void EnqueueReplay(Guid tenantId, Guid deliveryId) =>
        jobs.Enqueue<DeliverWebhookJob>(j => j.RunAsync(tenantId, deliveryId, true, CancellationToken.None));
}

/// <summary>
/// The safety net of the webhook outbox: every minute, deliveries that have been due for over a minute (their enqueue
/// failed, or the process died between the write and the enqueue) are enqueued again. The delivery job's claim keeps a
/// row from being sent twice.
/// </summary>
public sealed class EnqueueDueWebhooksJob(IDbContextFactory<PortalDbContext> contextFactory, IWebhookDeliveryQueue queue, TimeProvider clock)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "webhooks:enqueue-due";

    /// <summary>Enqueues overdue pending deliveries (at most 500 a run).</summary>
    /// <returns>How many were enqueued.</returns>
    [AutomaticRetry(Attempts = 0)] // runs again in a minute
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var overdue = clock.GetUtcNow().AddMinutes(-1);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Cross-tenant on purpose: the sweep serves every business; each job runs in its delivery's tenant.
        var due = await db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt != null && d.NextAttemptAt < overdue)
            .OrderBy(d => d.NextAttemptAt).Take(500).Select(d => new { d.TenantId, d.Id }).ToListAsync(cancellationToken);
        foreach (var d in due)
        {
            queue.Enqueue(d.TenantId, d.Id);
        }

        return due.Count;
    }
}

/// <summary>
/// Checks a receiver URL with the website import's SSRF guard (<see cref="PublicAddressGuard"/>): the host must resolve
/// only to public addresses (loopback too when <see cref="WebhookOptions.AllowLoopback"/>). The same guard connects each
/// delivery, so a DNS answer that changes later cannot reach a private address either.
/// </summary>
public sealed class GuardedWebhookUrlChecker(PublicAddressGuard guard, IOptions<WebhookOptions> options) : IWebhookUrlChecker
{
    /// <inheritdoc />
    public async Task<string?> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            await guard.ResolveAsync(url.Host, options.Value.AllowLoopback, cancellationToken);
            return null;
        }
        catch (PrivateAddressException ex)
        {
            return $"{url.Host} is not on the public internet ({ex.Address}); webhooks can only go to public addresses.";
        }
        catch (System.Net.Sockets.SocketException)
        {
            return $"{url.Host} could not be found. Check the address.";
        }
    }
}
