using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>Where an agency is in its life: signed up and waiting for a platform admin, running, or stopped.</summary>
public enum AgencyStatus
{
    /// <summary>Signed up by itself; a platform admin has not approved it yet (its members see only a waiting page).</summary>
    PendingApproval,

    /// <summary>Approved or created by a platform admin.</summary>
    Active,

    /// <summary>Stopped by a platform admin.</summary>
    Suspended,
}

/// <summary>A member's rights inside an agency.</summary>
public enum AgencyRole
{
    /// <summary>Brand, domains, prices, members and clients.</summary>
    Owner,

    /// <summary>Clients (create, view as, usage, API keys) but not brand, domains or prices.</summary>
    Staff,
}

/// <summary>
/// A reseller (white-label agency): Portal's customer that sells the receptionist to its own client businesses under
/// its brand. Not tenant-owned: it sits above tenants (<see cref="Tenant.AgencyId"/>), and every query on it is
/// scoped by <see cref="AgencyMember"/> in the agency services.
/// </summary>
public sealed class Agency : IGlobalEntity, IAudited
{
    /// <summary>Maximum length of <see cref="Name"/>, <see cref="EmailSenderName"/>.</summary>
    public const int NameMaxLength = 120;

    /// <summary>Largest logo or favicon, bytes (256 KiB); a check constraint holds the table to it.</summary>
    public const int LogoMaxBytes = 256 * 1024;

    /// <summary>Maximum length of <see cref="SupportEmail"/>.</summary>
    public const int EmailMaxLength = 256;

    /// <summary>Maximum length of <see cref="SupportPhone"/> (E.164).</summary>
    public const int PhoneMaxLength = 20;

    /// <summary>Maximum length of <see cref="SmsSender"/>: an alphanumeric sender id is 11 characters (https://www.twilio.com/docs/messaging/guides/alphanumeric-sender-id).</summary>
    public const int SmsSenderMaxLength = 11;

    /// <summary>Maximum length of <see cref="LegalFooter"/>.</summary>
    public const int LegalFooterMaxLength = 1000;

    /// <summary>Maximum length of the template texts.</summary>
    public const int TemplateMaxLength = 4000;

    /// <summary>Maximum length of the Stripe ids.</summary>
    public const int StripeIdMaxLength = 255;

    /// <summary>Length of a colour <c>#RRGGBB</c>.</summary>
    public const int ColorLength = 7;

    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Brand name shown to its clients instead of Portal's.</summary>
    public string Name { get; set; } = "";

    /// <summary>Lifecycle.</summary>
    public AgencyStatus Status { get; set; } = AgencyStatus.PendingApproval;

    /// <summary>Primary colour, <c>#RRGGBB</c>.</summary>
    public string PrimaryColor { get; set; } = "#2F5BEA";

    /// <summary>Secondary colour, <c>#RRGGBB</c>.</summary>
    public string SecondaryColor { get; set; } = "#6B7280";

    /// <summary>Logo bytes (PNG checked by signature, or sanitized SVG), null for none.</summary>
    public byte[]? Logo { get; set; }

    /// <summary>MIME type of <see cref="Logo"/>: <c>image/png</c> or <c>image/svg+xml</c>.</summary>
    public string? LogoContentType { get; set; }

    /// <summary>Favicon bytes (same rules as the logo), null for none.</summary>
    public byte[]? Favicon { get; set; }

    /// <summary>MIME type of <see cref="Favicon"/>.</summary>
    public string? FaviconContentType { get; set; }

    /// <summary>Support email its clients write to.</summary>
    public string? SupportEmail { get; set; }

    /// <summary>Support phone (E.164).</summary>
    public string? SupportPhone { get; set; }

    /// <summary>Display name on emails sent to its clients (the From name).</summary>
    public string? EmailSenderName { get; set; }

    /// <summary>Alphanumeric SMS sender id (1–11 letters, digits, spaces, at least one letter).</summary>
    public string? SmsSender { get; set; }

    /// <summary>Legal footer under its pages and emails.</summary>
    public string? LegalFooter { get; set; }

    /// <summary>Greeting new clients start from (<c>{businessName}</c>, <c>{agentName}</c> placeholders), null: the industry's.</summary>
    public string? TemplateGreeting { get; set; }

    /// <summary>Agent instructions new clients start from.</summary>
    public string? TemplateInstructions { get; set; }

    /// <summary>Voice id new clients' agents start with, null: the default.</summary>
    public string? TemplateVoiceId { get; set; }

    /// <summary>Knowledge shared with every new client: one FAQ a line, <c>question | answer</c>.</summary>
    public string? SharedKnowledge { get; set; }

    /// <summary>The agency as Portal's Stripe customer (<c>cus_…</c>), created with its wholesale subscription; null until then.</summary>
    public string? StripeCustomerId { get; set; }

    /// <summary>The wholesale subscription (<c>sub_…</c>): one item per reseller tier, quantity = active clients on it.</summary>
    public string? StripeSubscriptionId { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A user who works for an agency (one agency per user).</summary>
public sealed class AgencyMember : IGlobalEntity, IAudited
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The agency.</summary>
    public Guid AgencyId { get; set; }

    /// <summary>The user (<see cref="Portal.Data.Identity.PortalUser"/>); unique.</summary>
    public Guid UserId { get; set; }

    /// <summary>Rights.</summary>
    public AgencyRole Role { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Verification state of a custom domain.</summary>
public enum DomainStatus
{
    /// <summary>Added; records not (yet) found.</summary>
    Pending,

    /// <summary>CNAME and TXT found: the brand is served on it and the TLS ask endpoint answers 200.</summary>
    Verified,
}

/// <summary>
/// An agency's own host name (e.g. <c>app.its-agency.com</c>): a CNAME to the platform's target and a TXT record
/// proving ownership make it verified, after which every page, sign-in and API call on that host carries the agency's brand.
/// </summary>
public sealed class AgencyDomain : IGlobalEntity, IAudited
{
    /// <summary>Maximum length of a host name (RFC 1035 §2.3.4: 253 characters in text form).</summary>
    public const int HostMaxLength = 253;

    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The agency.</summary>
    public Guid AgencyId { get; set; }

    /// <summary>Lower-case host name, unique across agencies.</summary>
    public string Host { get; set; } = "";

    /// <summary>Random token the TXT record must carry (<c>portal-verification=token</c>).</summary>
    public string VerificationToken { get; set; } = "";

    /// <summary>State.</summary>
    public DomainStatus Status { get; set; } = DomainStatus.Pending;

    /// <summary>When the records were last checked (UTC).</summary>
    public DateTimeOffset? LastCheckedAt { get; set; }

    /// <summary>Why the last check failed, for people; null when it passed.</summary>
    public string? LastError { get; set; }

    /// <summary>When it was verified (UTC).</summary>
    public DateTimeOffset? VerifiedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// What an agency charges one client business and which reseller tier it pays Portal for it (integer cents).
/// Tenant-owned (the client's own price); the agency reads its clients' rows across tenants.
/// </summary>
public sealed class AgencyClientPlan : ITenantOwned, IAudited
{
    /// <summary>The client business (primary key: one plan per client).</summary>
    public Guid TenantId { get; set; }

    /// <summary>The agency.</summary>
    public Guid AgencyId { get; set; }

    /// <summary>Wholesale tier the agency pays Portal for this client.</summary>
    public ResellerTier Tier { get; set; } = ResellerTier.Starter;

    /// <summary>Monthly fee the agency charges the client, cents.</summary>
    public long MonthlyFeeCents { get; set; }

    /// <summary>Minutes included in the fee.</summary>
    public int IncludedMinutes { get; set; }

    /// <summary>Price of each minute beyond <see cref="IncludedMinutes"/>, cents.</summary>
    public int OverageCentsPerMinute { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}
