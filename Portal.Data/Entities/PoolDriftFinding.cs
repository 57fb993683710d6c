using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>What kind of difference reconciliation found between the pool and the provider.</summary>
public enum DriftKind
{
    /// <summary>The pool has the number (with a provider SID) but the provider account no longer owns it.</summary>
    MissingAtProvider,
    /// <summary>The provider account owns a number the pool does not know (paid for, never offered).</summary>
    MissingInPool,
    /// <summary>The provider points the number's voice webhook or status callback somewhere other than Portal.</summary>
    WrongWebhook,
}

/// <summary>
/// One difference between the number pool and the provider's owned numbers, found by the
/// <c>numbers:reconcile</c> job and shown to admins on the pool page until it is fixed or no
/// longer found (then <see cref="ResolvedAt"/> is set; rows are kept as history). At most one
/// open finding per (kind, number): a filtered unique index. Platform-wide (<see cref="IGlobalEntity"/>).
/// </summary>
public sealed class PoolDriftFinding : IGlobalEntity
{
    /// <summary>Maximum length of the URL fields.</summary>
    public const int UrlMaxLength = 500;

    /// <summary>Primary key (UUID v7).</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Kind of drift.</summary>
    public DriftKind Kind { get; set; }

    /// <summary>The number, E.164.</summary>
    public string E164 { get; set; } = "";

    /// <summary>Provider SID, when known.</summary>
    public string? ProviderSid { get; set; }

    /// <summary>Pool row, when the pool has the number.</summary>
    public Guid? PhoneNumberId { get; set; }

    /// <summary>Voice webhook Portal expects (for <see cref="DriftKind.WrongWebhook"/>).</summary>
    public string? ExpectedVoiceUrl { get; set; }

    /// <summary>Voice webhook the provider has (null or empty when unset).</summary>
    public string? ActualVoiceUrl { get; set; }

    /// <summary>Status callback Portal expects.</summary>
    public string? ExpectedStatusCallbackUrl { get; set; }

    /// <summary>Status callback the provider has.</summary>
    public string? ActualStatusCallbackUrl { get; set; }

    /// <summary>First found (UTC).</summary>
    public DateTimeOffset DetectedAt { get; set; }

    /// <summary>Last confirmed by a reconciliation run (UTC).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>When it was fixed or stopped being found (UTC); null while open.</summary>
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>How it was resolved ("fixed webhook by admin@…", "no longer found").</summary>
    public string? Resolution { get; set; }
}
