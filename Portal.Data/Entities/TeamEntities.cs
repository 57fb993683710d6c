namespace Portal.Data.Entities;

/// <summary>
/// An owner's invitation for someone to join the business as owner or staff. The link's token is shown only in the
/// email; the row keeps its SHA-256. An invitation is pending until accepted, revoked or <see cref="ExpiresAt"/>
/// (7 days after it was last sent, see <see cref="TeamInvitation.Lifetime"/>).
/// </summary>
public sealed class TeamInvitation : TenantEntity
{
    /// <summary>Maximum length of <see cref="Email"/> (Identity's user-name column is 256).</summary>
    public const int EmailMaxLength = 256;

    /// <summary>Length of <see cref="Role"/>.</summary>
    public const int RoleMaxLength = 32;

    /// <summary>How long a sent link stays valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>The invitee's address, trimmed; compared case-insensitively.</summary>
    public string Email { get; set; } = "";

    /// <summary>Upper-case <see cref="Email"/>, for the unique pending-invitation index and lookups.</summary>
    public string NormalizedEmail { get; set; } = "";

    /// <summary>The Identity role the invitee gets: <c>BusinessStaff</c> or <c>BusinessOwner</c>.</summary>
    public string Role { get; set; } = "";

    /// <summary>SHA-256 of the link's token (UTF-8), 32 bytes; unique.</summary>
    public byte[] TokenHash { get; set; } = [];

    /// <summary>The owner who invited.</summary>
    public Guid? InvitedByUserId { get; set; }

    /// <summary>When the link was last sent (UTC).</summary>
    public DateTimeOffset SentAt { get; set; }

    /// <summary>When the current link stops working (UTC).</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it was accepted (UTC), or null.</summary>
    public DateTimeOffset? AcceptedAt { get; set; }

    /// <summary>The user who accepted, or null.</summary>
    public Guid? AcceptedByUserId { get; set; }

    /// <summary>When the owner revoked it (UTC), or null.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>Events a business's people can be told about by email or SMS (Settings → Notifications).</summary>
public enum NotificationEvent
{
    /// <summary>The agent took a message from a caller or visitor.</summary>
    MessageTaken,

    /// <summary>A booking was made.</summary>
    BookingCreated,

    /// <summary>A booking was cancelled.</summary>
    BookingCancelled,

    /// <summary>Usage reached the plan's limit (or a payment failed).</summary>
    BillingLimit,

    /// <summary>The agent could not answer a question from its knowledge.</summary>
    KnowledgeGap,

    /// <summary>A customer in a website chat or a text conversation asked for a person (a hand-over to the Inbox).</summary>
    HandoverRequested,
}

/// <summary>
/// Whether one recipient of the business gets one event by email and by SMS: a member (<see cref="UserId"/>; SMS to
/// their own mobile number) or, when <see cref="UserId"/> is null, the business's own phone (SMS only). No row means
/// the default (<see cref="DefaultEmail"/>, <see cref="DefaultSms"/>).
/// </summary>
public sealed class NotificationPreference : TenantEntity
{
    /// <summary>The member (a user of this business), or null for the business phone.</summary>
    public Guid? UserId { get; set; }

    /// <summary>The event.</summary>
    public NotificationEvent Event { get; set; }

    /// <summary>Send an email (members only).</summary>
    public bool Email { get; set; }

    /// <summary>Send an SMS (to the member's mobile number, or to the business phone).</summary>
    public bool Sms { get; set; }

    /// <summary>Whether a member with no row gets the event's email: owners get every event but knowledge gaps (many;
    /// the Knowledge page lists them), staff get messages, bookings and hand-over requests (they answer them in the Inbox).</summary>
    /// <param name="notificationEvent">The event.</param>
    /// <param name="isOwner">Whether the member is an owner.</param>
    public static bool DefaultEmail(NotificationEvent notificationEvent, bool isOwner) => notificationEvent switch
    {
        NotificationEvent.KnowledgeGap => false,
        NotificationEvent.BillingLimit => isOwner,
        _ => true,
    };

    /// <summary>Whether a recipient with no row gets the event's SMS: only the business phone, for a message taken.</summary>
    /// <param name="notificationEvent">The event.</param>
    /// <param name="isBusinessPhone">Whether the recipient is the business phone.</param>
    public static bool DefaultSms(NotificationEvent notificationEvent, bool isBusinessPhone) =>
        isBusinessPhone && notificationEvent == NotificationEvent.MessageTaken;
}
