using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Webhooks;

/// <summary>An endpoint as the owner sees it (never the secret).</summary>
public sealed record WebhookEndpointInfo(Guid Id, string Url, string? Description, IReadOnlyList<string> Events, bool IsEnabled, DateTimeOffset CreatedAt, DateTimeOffset? FailingSince, DateTimeOffset? DisabledAt);

/// <summary>A delivery in the owner's log.</summary>
public sealed record WebhookDeliveryInfo(Guid Id, Guid EndpointId, string EventType, string MessageId, WebhookDeliveryStatus Status, int AttemptCount, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, DateTimeOffset? NextAttemptAt);

/// <summary>One attempt in the owner's log.</summary>
public sealed record WebhookAttemptInfo(DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, string? Error, bool IsReplay);

/// <summary>
/// The current business's webhook endpoints (Settings → Webhooks): register with a checked URL and chosen events, show
/// the signing secret, pause, resume, delete, read the delivery log and replay a delivery. Secrets are kept encrypted
/// with Data Protection (purpose <see cref="SecretPurpose"/>).
/// </summary>
public sealed class WebhookService(
    IDbContextFactory<PortalDbContext> contextFactory,
    ITenantContext tenantContext,
    IDataProtectionProvider dataProtection,
    IWebhookUrlChecker urlChecker,
    IWebhookDeliveryQueue queue,
    IOptions<WebhookOptions> options,
    TimeProvider clock)
{
    /// <summary>Data Protection purpose of endpoint secrets.</summary>
    public const string SecretPurpose = "Portal.Webhooks.Secret.v1";

    /// <summary>Most endpoints one business may register.</summary>
    public const int MaxEndpoints = 10;

    private IDataProtector Protector => dataProtection.CreateProtector(SecretPurpose);

    /// <summary>The business's endpoints, oldest first.</summary>
    public async Task<IReadOnlyList<WebhookEndpointInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.CreatedAt).ToListAsync(cancellationToken);
        return rows.Select(ToInfo).ToList();
    }

    /// <summary>Registers an endpoint for the current business.</summary>
    /// <param name="url">Absolute https URL on the public internet (http on loopback only when <see cref="WebhookOptions.AllowLoopback"/>).</param>
    /// <param name="description">Optional, up to <see cref="WebhookEndpoint.DescriptionMaxLength"/> characters.</param>
    /// <param name="events">At least one of <see cref="WebhookEventTypes"/>.</param>
    /// <param name="cancellationToken">Cancels the check and the write.</param>
    /// <returns>The endpoint and its secret (<c>whsec_…</c>).</returns>
    /// <exception cref="ArgumentException">Bad URL, description or events (the message says which); nothing is stored.</exception>
    /// <exception cref="InvalidOperationException">No current business, or it has <see cref="MaxEndpoints"/> already.</exception>
    public async Task<(WebhookEndpointInfo Endpoint, string Secret)> CreateAsync(string url, string? description, IEnumerable<string> events, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Webhooks belong to a business; there is no current business.");
        var (uri, desc, eventList) = await ValidateAsync(url, description, events, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.WebhookEndpoints.CountAsync(cancellationToken) >= MaxEndpoints)
        {
            throw new InvalidOperationException($"A business can register up to {MaxEndpoints} endpoints.");
        }

        var secret = WebhookSignature.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            TenantId = tenantId,
            Url = uri.AbsoluteUri,
            Description = desc,
            Events = string.Join(' ', eventList),
            ProtectedSecret = Protector.Protect(secret),
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return (ToInfo(endpoint), secret);
    }

    /// <summary>Changes an endpoint's URL, description and events.</summary>
    /// <returns>False when the business has no such endpoint.</returns>
    /// <exception cref="ArgumentException">As <see cref="CreateAsync"/>; nothing is changed.</exception>
    public async Task<bool> UpdateAsync(Guid id, string url, string? description, IEnumerable<string> events, CancellationToken cancellationToken)
    {
        var (uri, desc, eventList) = await ValidateAsync(url, description, events, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return false;
        }

        endpoint.Url = uri.AbsoluteUri;
        endpoint.Description = desc;
        endpoint.Events = string.Join(' ', eventList);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Pauses or resumes an endpoint; resuming clears the failure record.</summary>
    /// <returns>False when the business has no such endpoint.</returns>
    public async Task<bool> SetEnabledAsync(Guid id, bool enabled, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return false;
        }

        endpoint.IsEnabled = enabled;
        if (enabled)
        {
            endpoint.FailingSince = null;
            endpoint.DisabledAt = null;
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes an endpoint with its deliveries.</summary>
    /// <returns>False when the business has no such endpoint.</returns>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.WebhookEndpoints.Where(e => e.Id == id).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    /// <summary>The endpoint's signing secret, or null when the business has no such endpoint.</summary>
    public async Task<string?> GetSecretAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var protectedSecret = await db.WebhookEndpoints.Where(e => e.Id == id).Select(e => e.ProtectedSecret).FirstOrDefaultAsync(cancellationToken);
        return protectedSecret is null ? null : Protector.Unprotect(protectedSecret);
    }

    /// <summary>The latest deliveries of one endpoint (or all), newest first.</summary>
    /// <param name="endpointId">The endpoint, or null for all.</param>
    /// <param name="limit">1–200.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<WebhookDeliveryInfo>> ListDeliveriesAsync(Guid? endpointId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.WebhookDeliveries.AsNoTracking();
        if (endpointId is { } id)
        {
            query = query.Where(d => d.EndpointId == id);
        }

        return await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(Math.Clamp(limit, 1, 200))
            .Select(d => new WebhookDeliveryInfo(d.Id, d.EndpointId, d.EventType, d.MessageId, d.Status, d.AttemptCount, d.CreatedAt, d.LastAttemptAt, d.LastStatusCode, d.NextAttemptAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The attempts of one delivery, oldest first (empty when the business has no such delivery).</summary>
    public async Task<IReadOnlyList<WebhookAttemptInfo>> ListAttemptsAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == deliveryId).OrderBy(a => a.AttemptedAt)
            .Select(a => new WebhookAttemptInfo(a.AttemptedAt, a.StatusCode, a.LatencyMs, a.Error, a.IsReplay))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Sends a delivery again (same <c>webhook-id</c> and body, a fresh timestamp and signature).</summary>
    /// <returns>False when the business has no such delivery.</returns>
    public async Task<bool> ReplayAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("There is no current business.");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.WebhookDeliveries.AnyAsync(d => d.Id == deliveryId, cancellationToken))
        {
            return false;
        }

        queue.EnqueueReplay(tenantId, deliveryId);
        return true;
    }

    /// <summary>
    /// Sends a <see cref="WebhookEventTypes.Test"/> event to one endpoint now, through the same delivery log, signature
    /// and retries as real events, so its owner sees it arrive and verifies the signature (a paused endpoint's test is
    /// logged as failed without being sent, like any event).
    /// </summary>
    /// <returns>The queued delivery's id, or null when the business has no such endpoint.</returns>
    /// <exception cref="InvalidOperationException">No current business.</exception>
    public async Task<Guid?> SendTestAsync(Guid id, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("There is no current business.");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id, cancellationToken))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var data = new { endpointId = id, message = "This is a test event. Verify its signature with the endpoint's signing secret." };
        var delivery = new WebhookDelivery
        {
            TenantId = tenantId,
            EndpointId = id,
            EventType = WebhookEventTypes.Test,
            MessageId = WebhookSignature.NewMessageId(),
            Payload = System.Text.Json.JsonSerializer.Serialize(new { type = WebhookEventTypes.Test, timestamp = now, data }, WebhookPublisher.PayloadJson),
            Status = WebhookDeliveryStatus.Pending,
            NextAttemptAt = now,
        };
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        queue.Enqueue(tenantId, delivery.Id);
        return delivery.Id;
    }

    private async Task<(Uri Url, string? Description, List<string> Events)> ValidateAsync(string url, string? description, IEnumerable<string> events, CancellationToken cancellationToken)
    {
        url = (url ?? "").Trim();
        if (url.Length is 0 or > WebhookEndpoint.UrlMaxLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"Enter an absolute URL such as https://example.com/hooks (up to {WebhookEndpoint.UrlMaxLength} characters).", nameof(url));
        }

        var loopbackHttp = options.Value.AllowLoopback && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;
        if (uri.Scheme != Uri.UriSchemeHttps && !loopbackHttp)
        {
            throw new ArgumentException("The URL must start with https://.", nameof(url));
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new ArgumentException("The URL must not contain a user name, password or #fragment.", nameof(url));
        }

        if (await urlChecker.CheckAsync(uri, cancellationToken) is { } problem)
        {
            throw new ArgumentException(problem, nameof(url));
        }

        var desc = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (desc is { Length: > WebhookEndpoint.DescriptionMaxLength })
        {
            throw new ArgumentException($"The description can be up to {WebhookEndpoint.DescriptionMaxLength} characters.", nameof(description));
        }

        var eventList = (events ?? []).Select(e => (e ?? "").Trim().ToLowerInvariant()).Distinct().ToList();
        if (eventList.Count == 0)
        {
            throw new ArgumentException("Choose at least one event.", nameof(events));
        }

        if (eventList.FirstOrDefault(e => !WebhookEventTypes.IsKnown(e)) is { } unknown)
        {
            throw new ArgumentException($"Unknown event '{unknown}'.", nameof(events));
        }

        return (uri, desc, WebhookEventTypes.All.Select(e => e.Type).Where(eventList.Contains).ToList());
    }

    private static WebhookEndpointInfo ToInfo(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.Description, e.Events.Split(' ', StringSplitOptions.RemoveEmptyEntries), e.IsEnabled, e.CreatedAt, e.FailingSince, e.DisabledAt);
}
