using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Notifications;
using Portal.Domain.Tenancy;
using Portal.Domain.Webhooks;
using Portal.Rag.Crawling;

namespace Portal.Jobs.Webhooks;

/// <summary>
/// Sends one webhook delivery: a POST of the stored payload with the Standard Webhooks headers <c>webhook-id</c>,
/// <c>webhook-timestamp</c> and <c>webhook-signature</c>
/// (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#signature-scheme), through the
/// SSRF-guarded client. A 2xx answer succeeds; anything else (or no answer within the timeout) is logged as an attempt and
/// retried on the schedule the specification suggests (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h) for as long as the
/// retry window (24 h) lasts. An endpoint that has failed without a single success for 3 days is disabled and the owner told.
/// </summary>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)] // retries follow our own schedule, recorded on the row
public sealed class DeliverWebhookJob(
    IDbContextFactory<PortalDbContext> contextFactory,
    ITenantContext tenantContext,
    IHttpClientFactory httpClients,
    IDataProtectionProvider dataProtection,
    IWebhookDeliveryQueue queue,
    PlatformNotifier notifier,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<DeliverWebhookJob> logger)
{
    /// <summary>Name of the guarded <see cref="HttpClient"/>.</summary>
    public const string HttpClientName = "webhooks";

    /// <summary>Delays between attempts, from the Standard Webhooks specification's example schedule.</summary>
    public static readonly IReadOnlyList<TimeSpan> RetryDelays =
        [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10)];

    /// <summary>Makes the delivery's next attempt. Safe to run twice: only a caller that claims the due row sends it.</summary>
    /// <param name="tenantId">The delivery's business.</param>
    /// <param name="deliveryId">The delivery.</param>
    /// <param name="replay">True when the owner asked for it: sent whatever the status, with no retries after.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    public async Task RunAsync(Guid tenantId, Guid deliveryId, bool replay, CancellationToken cancellationToken)
    {
        tenantContext.SetTenant(tenantId);
        var now = clock.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!replay)
        {
            // Claim: one runner wins a due pending row; a second run (the sweep, a duplicate enqueue) finds nothing due.
            var claimed = await db.WebhookDeliveries
                .Where(d => d.Id == deliveryId && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt != null && d.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null), cancellationToken);
            if (claimed == 0)
            {
                return;
            }
        }

        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        var endpoint = delivery is null ? null : await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        if (delivery is null || endpoint is null)
        {
            return;
        }

        if (!endpoint.IsEnabled && !replay)
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var attempt = await SendAsync(endpoint, delivery, cancellationToken);
        attempt.IsReplay = replay;
        db.WebhookAttempts.Add(attempt);
        delivery.AttemptCount++;
        delivery.LastAttemptAt = attempt.AttemptedAt;
        delivery.LastStatusCode = attempt.StatusCode;
        var succeeded = attempt.StatusCode is >= 200 and < 300;
        DateTimeOffset? retryAt = null;
        if (succeeded)
        {
            delivery.Status = WebhookDeliveryStatus.Succeeded;
            delivery.NextAttemptAt = null;
            endpoint.FailingSince = null;
        }
        else
        {
            endpoint.FailingSince ??= attempt.AttemptedAt;
            if (!replay)
            {
                retryAt = NextAttempt(delivery.CreatedAt, delivery.AttemptCount, attempt.AttemptedAt);
                delivery.Status = retryAt is null ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;
                delivery.NextAttemptAt = retryAt;
            }
        }

        var disable = !succeeded && endpoint.IsEnabled && attempt.AttemptedAt - endpoint.FailingSince >= TimeSpan.FromDays(options.Value.DisableAfterDays);
        if (disable)
        {
            endpoint.IsEnabled = false;
            endpoint.DisabledAt = attempt.AttemptedAt;
            delivery.Status = WebhookDeliveryStatus.Failed;
            delivery.NextAttemptAt = retryAt = null;
        }

        await db.SaveChangesAsync(cancellationToken);
        if (disable)
        {
            await db.WebhookDeliveries.Where(d => d.EndpointId == endpoint.Id && d.Status == WebhookDeliveryStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Failed).SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null), cancellationToken);
            var told = await notifier.WebhookDisabledAsync(tenantId, endpoint.Url, endpoint.FailingSince!.Value, cancellationToken);
            logger.LogWarning("Webhook endpoint {EndpointId} of tenant {TenantId} disabled after failing since {FailingSince}; {Emails} email(s) queued", endpoint.Id, tenantId, endpoint.FailingSince, told);
        }

        if (retryAt is { } at)
        {
            queue.Schedule(tenantId, deliveryId, at);
        }
    }

    /// <summary>When the attempt after <paramref name="attemptsMade"/> attempts is due, or null when the retry window is over.</summary>
    public DateTimeOffset? NextAttempt(DateTimeOffset createdAt, int attemptsMade, DateTimeOffset lastAttemptAt)
    {
        if (attemptsMade < 1 || attemptsMade > RetryDelays.Count)
        {
            return null;
        }

        var at = lastAttemptAt + RetryDelays[attemptsMade - 1];
        return at <= createdAt + TimeSpan.FromHours(options.Value.RetryWindowHours) ? at : null;
    }

    private async Task<WebhookAttempt> SendAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var sentAt = clock.GetUtcNow();
        var attempt = new WebhookAttempt { TenantId = delivery.TenantId, DeliveryId = delivery.Id, AttemptedAt = sentAt };
        var secret = dataProtection.CreateProtector(WebhookService.SecretPurpose).Unprotect(endpoint.ProtectedSecret);
        var timestamp = sentAt.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.MessageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, delivery.MessageId, timestamp, delivery.Payload));
        request.Options.Set(PublicAddressGuard.AllowLoopbackOption, options.Value.AllowLoopback);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            attempt.StatusCode = (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            attempt.Error = $"No answer within {options.Value.TimeoutSeconds} s.";
        }
        catch (HttpRequestException ex)
        {
            var message = ex.InnerException is PrivateAddressException p ? p.Message : ex.Message;
            attempt.Error = message.Length > WebhookAttempt.ErrorMaxLength ? message[..WebhookAttempt.ErrorMaxLength] : message;
        }

        attempt.LatencyMs = (int)watch.ElapsedMilliseconds;
        return attempt;
    }
}
