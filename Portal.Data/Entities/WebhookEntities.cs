namespace Portal.Data.Entities;

/// <summary>
/// An address the business registered to receive its events (Settings → Webhooks). Deliveries are signed with the
/// endpoint's own secret per the Standard Webhooks specification
/// (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md); the secret is stored
/// encrypted with ASP.NET Core Data Protection and shown to the owner on request.
/// </summary>
public sealed class WebhookEndpoint : TenantEntity
{
    /// <summary>Maximum length of <see cref="Url"/>.</summary>
    public const int UrlMaxLength = 2000;

    /// <summary>Maximum length of <see cref="Description"/>.</summary>
    public const int DescriptionMaxLength = 200;

    /// <summary>Maximum length of <see cref="Events"/>.</summary>
    public const int EventsMaxLength = 400;

    /// <summary>Absolute https (or, when allowed, loopback http) URL the events are POSTed to.</summary>
    public string Url { get; set; } = "";

    /// <summary>What the owner calls it ("CRM"), optional.</summary>
    public string? Description { get; set; }

    /// <summary>Space-separated event types from <c>Portal.Domain.Webhooks.WebhookEventTypes</c>.</summary>
    public string Events { get; set; } = "";

    /// <summary>The signing secret (<c>whsec_</c> + base64 of 32 random bytes), protected with Data Protection.</summary>
    public string ProtectedSecret { get; set; } = "";

    /// <summary>False when the owner paused it or it was disabled after failing for 3 days; no deliveries are created.</summary>
    public bool IsEnabled { get; set; } = true;

    /// <summary>First failed attempt of the current run of failures (UTC); null after a success.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>When the platform disabled it for failing (UTC); null when enabled or paused by the owner.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}

/// <summary>Where a delivery stands.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its first or next attempt.</summary>
    Pending,

    /// <summary>An attempt got a 2xx answer.</summary>
    Succeeded,

    /// <summary>Retries ran out (24 hours) or the endpoint was disabled or deleted.</summary>
    Failed,
}

/// <summary>
/// One event for one endpoint: the outbox row a domain event becomes (written by the publisher, sent by a Hangfire job).
/// <see cref="MessageId"/> is the Standard Webhooks <c>webhook-id</c>, the same on every attempt and replay so the
/// receiver can deduplicate.
/// </summary>
public sealed class WebhookDelivery : TenantEntity
{
    /// <summary>Maximum length of <see cref="EventType"/>.</summary>
    public const int EventTypeMaxLength = 40;

    /// <summary>Maximum length of <see cref="MessageId"/>.</summary>
    public const int MessageIdMaxLength = 40;

    /// <summary>The endpoint.</summary>
    public Guid EndpointId { get; set; }

    /// <summary>Event type, e.g. <c>booking.created</c>.</summary>
    public string EventType { get; set; } = "";

    /// <summary><c>msg_</c> + 32 hex digits; the <c>webhook-id</c> header.</summary>
    public string MessageId { get; set; } = "";

    /// <summary>The JSON body sent (<c>{"type","timestamp","data"}</c>), unchanged across attempts.</summary>
    public string Payload { get; set; } = "";

    /// <summary>Where it stands.</summary>
    public WebhookDeliveryStatus Status { get; set; }

    /// <summary>Attempts made so far (replays included).</summary>
    public int AttemptCount { get; set; }

    /// <summary>When the next attempt is due (UTC); null when none is planned.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>When the last attempt was made (UTC).</summary>
    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>HTTP status of the last attempt; null when it got no answer.</summary>
    public int? LastStatusCode { get; set; }
}

/// <summary>One HTTP attempt of a delivery: status code (or the network error) and latency, for the owner's log.</summary>
public sealed class WebhookAttempt : TenantEntity
{
    /// <summary>Maximum length of <see cref="Error"/>.</summary>
    public const int ErrorMaxLength = 300;

    /// <summary>The delivery.</summary>
    public Guid DeliveryId { get; set; }

    /// <summary>When the request was sent (UTC).</summary>
    public DateTimeOffset AttemptedAt { get; set; }

    /// <summary>HTTP status of the answer; null when there was none (timeout, refused connection).</summary>
    public int? StatusCode { get; set; }

    /// <summary>Time from sending to the answer's headers (or the failure), milliseconds.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Why there was no answer, or null.</summary>
    public string? Error { get; set; }

    /// <summary>True when the owner asked for it (replay) rather than the retry schedule.</summary>
    public bool IsReplay { get; set; }
}

/// <summary>
/// A POST answered under an <c>Idempotency-Key</c>: the same key from the same API key (or user) of the same business
/// within <c>ExpiresAt</c> gets this response again; the same key with another body is refused (422).
/// </summary>
public sealed class IdempotencyRecord : TenantEntity
{
    /// <summary>Maximum length of <see cref="Key"/>.</summary>
    public const int KeyMaxLength = 255;

    /// <summary>Maximum length of <see cref="Principal"/> and <see cref="Path"/>.</summary>
    public const int PrincipalMaxLength = 64;

    /// <summary>Maximum length of <see cref="Path"/>.</summary>
    public const int PathMaxLength = 400;

    /// <summary>The client's <c>Idempotency-Key</c> header.</summary>
    public string Key { get; set; } = "";

    /// <summary>Who sent it: <c>key:&lt;api key id&gt;</c> or <c>user:&lt;user id&gt;</c>.</summary>
    public string Principal { get; set; } = "";

    /// <summary>SHA-256 of method, path and body (32 bytes).</summary>
    public byte[] RequestHash { get; set; } = [];

    /// <summary>The request path.</summary>
    public string Path { get; set; } = "";

    /// <summary>HTTP status of the stored response.</summary>
    public int StatusCode { get; set; }

    /// <summary>Content-Type of the stored response, or null.</summary>
    public string? ContentType { get; set; }

    /// <summary>Location header of the stored response, or null.</summary>
    public string? Location { get; set; }

    /// <summary>The stored response body.</summary>
    public byte[] Body { get; set; } = [];

    /// <summary>When the record stops being replayed (UTC).</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
