using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>Channel of an <see cref="OutboxMessage"/>.</summary>
public enum OutboxKind
{
    /// <summary>Email (SMTP in production).</summary>
    Email,
    /// <summary>SMS (Twilio Messaging in production).</summary>
    Sms,
}

/// <summary>
/// An email or SMS the platform sent, or in keyless mode would have sent (in keyless mode it is
/// written to this outbox table and shown in the admin portal instead). Platform-wide (<see cref="IGlobalEntity"/>)
/// because admins read every message and some (drift reports) concern no tenant; <see cref="TenantId"/>
/// says which business a message concerns, when one does. Insert-only.
/// </summary>
public sealed class OutboxMessage : IGlobalEntity
{
    /// <summary>Maximum length of <see cref="To"/>.</summary>
    public const int ToMaxLength = 256;

    /// <summary>Maximum length of <see cref="Subject"/>.</summary>
    public const int SubjectMaxLength = 200;

    /// <summary>Maximum length of <see cref="Body"/>.</summary>
    public const int BodyMaxLength = 8000;

    /// <summary>Maximum length of an SMS body (10 concatenated GSM-7 segments of 153 characters).</summary>
    public const int SmsMaxLength = 1530;

    /// <summary>Maximum length of <see cref="Category"/>.</summary>
    public const int CategoryMaxLength = 64;

    /// <summary>Maximum length of <see cref="FromName"/>.</summary>
    public const int FromNameMaxLength = 120;

    /// <summary>Primary key (UUID v7, so ids sort by time).</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Email or SMS.</summary>
    public OutboxKind Kind { get; set; }

    /// <summary>Recipient: an email address, or an E.164 number for SMS.</summary>
    public string To { get; set; } = "";

    /// <summary>
    /// Display name of an email's From (RFC 5322 §3.4 <c>display-name</c>): an agency's sender name on emails to its
    /// clients; null for Portal's own sender.
    /// </summary>
    public string? FromName { get; set; }

    /// <summary>Email subject; empty for SMS.</summary>
    public string Subject { get; set; } = "";

    /// <summary>Plain-text body.</summary>
    public string Body { get; set; } = "";

    /// <summary>What triggered it, e.g. <c>number.live</c>, <c>pool.drift</c>, <c>caller.message</c>.</summary>
    public string Category { get; set; } = "";

    /// <summary>Business concerned, when there is one.</summary>
    public Guid? TenantId { get; set; }

    /// <summary>When it was written (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
