using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>State of a <see cref="NumberPurchaseBatch"/>.</summary>
public enum PurchaseBatchStatus
{
    /// <summary>Created; the job has not started.</summary>
    Queued,
    /// <summary>The job is buying.</summary>
    Running,
    /// <summary>Every number was handled (some may have failed; see the items).</summary>
    Completed,
    /// <summary>The job stopped before handling every number (provider refused the whole batch, e.g. bad credentials).</summary>
    Failed,
}

/// <summary>State of one <see cref="NumberPurchaseItem"/>.</summary>
public enum PurchaseItemStatus
{
    /// <summary>Not tried yet.</summary>
    Pending,
    /// <summary>A purchase request was sent and its outcome is not known yet (crash or timeout mid-request); a retry looks the number up before buying again.</summary>
    Purchasing,
    /// <summary>Bought and added to the pool.</summary>
    Purchased,
    /// <summary>Already owned (a retry found it at the provider, or it was already in the pool); nothing bought.</summary>
    AlreadyOwned,
    /// <summary>The provider refused (e.g. Twilio 21422: someone else bought it); see <see cref="NumberPurchaseItem.Error"/>.</summary>
    Failed,
}

/// <summary>
/// One "buy numbers" request by a platform admin (bulk purchase, see ADR-008): either chosen numbers or "any N numbers
/// matching a search", bought one by one by a Hangfire job that records its progress here so the
/// admin page can poll it. Platform-wide (<see cref="IGlobalEntity"/>): the pool belongs to nobody.
/// </summary>
public sealed class NumberPurchaseBatch : IGlobalEntity, IAudited
{
    /// <summary>Largest number of numbers one batch may buy.</summary>
    public const int MaxCount = 100;

    /// <summary>Maximum length of <see cref="RequestedByEmail"/>.</summary>
    public const int EmailMaxLength = 256;

    /// <summary>Maximum length of the webhook URLs.</summary>
    public const int UrlMaxLength = 500;

    /// <summary>Maximum length of <see cref="Error"/>.</summary>
    public const int ErrorMaxLength = 1000;

    /// <summary>Primary key (UUID v7).</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The admin who asked.</summary>
    public Guid RequestedByUserId { get; set; }

    /// <summary>The admin's email at the time.</summary>
    public string RequestedByEmail { get; set; } = "";

    /// <summary>Provider the numbers are bought from ("twilio", "sandbox").</summary>
    public string Provider { get; set; } = "";

    /// <summary>How many numbers to buy (1–<see cref="MaxCount"/>).</summary>
    public int RequestedCount { get; set; }

    /// <summary>True for "buy any N numbers matching the search"; false when the admin chose the numbers.</summary>
    public bool IsBulk { get; set; }

    /// <summary>Search used to pick numbers for a bulk batch (area code filter; null for chosen numbers).</summary>
    public int? SearchAreaCode { get; set; }

    /// <summary>Search region (two-letter code) for a bulk batch.</summary>
    public string? SearchRegion { get; set; }

    /// <summary>Search locality (city) for a bulk batch.</summary>
    public string? SearchLocality { get; set; }

    /// <summary>Search digit pattern for a bulk batch.</summary>
    public string? SearchContains { get; set; }

    /// <summary>Absolute URL each number's voice webhook (VoiceUrl, POST) is pointed at.</summary>
    public string VoiceUrl { get; set; } = "";

    /// <summary>Absolute URL each number's status callback (StatusCallback, POST) is pointed at.</summary>
    public string StatusCallbackUrl { get; set; } = "";

    /// <summary>Price per number per month recorded on every number bought, in US cents.</summary>
    public long MonthlyCostCents { get; set; }

    /// <summary>Lifecycle.</summary>
    public PurchaseBatchStatus Status { get; set; }

    /// <summary>Numbers handled so far (bought, already owned or failed).</summary>
    public int ProcessedCount { get; set; }

    /// <summary>Numbers bought (or found already owned) and in the pool.</summary>
    public int SucceededCount { get; set; }

    /// <summary>Numbers the provider refused.</summary>
    public int FailedCount { get; set; }

    /// <summary>Why the batch failed as a whole, when <see cref="Status"/> is <see cref="PurchaseBatchStatus.Failed"/>.</summary>
    public string? Error { get; set; }

    /// <summary>Hangfire job id running it.</summary>
    public string? JobId { get; set; }

    /// <summary>When the job finished (UTC).</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Per-number results.</summary>
    public List<NumberPurchaseItem> Items { get; set; } = [];

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One number of a <see cref="NumberPurchaseBatch"/> and what happened to it. Unique per (batch, E.164): the retry key.</summary>
public sealed class NumberPurchaseItem : IGlobalEntity, IAudited
{
    /// <summary>Primary key (UUID v7).</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The batch.</summary>
    public Guid BatchId { get; set; }

    /// <summary>The number, E.164.</summary>
    public string E164 { get; set; } = "";

    /// <summary>City, as the provider's search reported it.</summary>
    public string Locality { get; set; } = "";

    /// <summary>Region / state code, as the provider's search reported it.</summary>
    public string Region { get; set; } = "";

    /// <summary>Outcome.</summary>
    public PurchaseItemStatus Status { get; set; }

    /// <summary>Provider SID once bought (Twilio <c>PN</c> + 32 hex).</summary>
    public string? ProviderSid { get; set; }

    /// <summary>Pool row created for it.</summary>
    public Guid? PhoneNumberId { get; set; }

    /// <summary>Provider's refusal, shown to the admin.</summary>
    public string? Error { get; set; }

    /// <summary>When it was handled (UTC).</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}
