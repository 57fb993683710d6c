using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>State of an <see cref="Affiliate"/>'s application.</summary>
public enum AffiliateStatus
{
    /// <summary>Applied; waiting for a platform admin.</summary>
    Pending,

    /// <summary>Approved: the referral code works.</summary>
    Approved,

    /// <summary>Turned down (or suspended): the code no longer attributes anything.</summary>
    Rejected,
}

/// <summary>What a referral brought in.</summary>
public enum ReferralKind
{
    /// <summary>A user who registered a business.</summary>
    SignUp,

    /// <summary>A course enrolment.</summary>
    Enrollment,
}

/// <summary>State of an <see cref="AffiliateReferral"/>.</summary>
public enum ReferralStatus
{
    /// <summary>Attributed: its payments earn commission.</summary>
    Active,

    /// <summary>Rejected by an admin (or self-referral by the same user): earns nothing.</summary>
    Rejected,
}

/// <summary>State of an <see cref="AffiliateCommission"/>.</summary>
public enum CommissionStatus
{
    /// <summary>Inside the 30-day refund window.</summary>
    Pending,

    /// <summary>Past the refund window: counts toward a payout.</summary>
    Approved,

    /// <summary>Paid out (see <see cref="AffiliateCommission.PayoutId"/>).</summary>
    Paid,

    /// <summary>The payment was refunded in full: nothing is owed.</summary>
    Reversed,

    /// <summary>Rejected by an admin with its conversion.</summary>
    Rejected,
}

/// <summary>How an affiliate wants to be paid.</summary>
public enum PayoutMethod
{
    /// <summary>PayPal payouts to <see cref="Affiliate.PayoutAccount"/>.</summary>
    PayPal,

    /// <summary>A Stripe transfer.</summary>
    StripeTransfer,
}

/// <summary>
/// Someone who refers customers for a 20 % recurring commission. Platform-wide (<see cref="IGlobalEntity"/>): an
/// affiliate belongs to no business; they sign in with their own user.
/// </summary>
public sealed class Affiliate : IGlobalEntity, IAudited
{
    /// <summary>Maximum length of the free-text fields.</summary>
    public const int TextMaxLength = 500;

    /// <summary>Maximum length of <see cref="Code"/> (the referral rules check it before any write).</summary>
    public const int CodeMaxLength = 32;

    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The affiliate's user (Identity).</summary>
    public Guid UserId { get; set; }

    /// <summary>The affiliate's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The user's email when they applied (checked for same-domain self-referral).</summary>
    public string Email { get; set; } = "";

    /// <summary>Referral code (unique, <see cref="CodeMaxLength"/> characters at most).</summary>
    public string Code { get; set; } = "";

    /// <summary>Application state.</summary>
    public AffiliateStatus Status { get; set; }

    /// <summary>Where they will promote Portal (site, channel, audience), as they wrote it.</summary>
    public string Audience { get; set; } = "";

    /// <summary>How they are paid.</summary>
    public PayoutMethod PayoutMethod { get; set; }

    /// <summary>PayPal email or Stripe account id for payouts.</summary>
    public string PayoutAccount { get; set; } = "";

    /// <summary>When an admin approved them, or null.</summary>
    public DateTimeOffset? ApprovedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One counted visit through an affiliate's link (cookie-stuffing limits apply before it is stored).</summary>
public sealed class AffiliateClick : IGlobalEntity
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The affiliate.</summary>
    public Guid AffiliateId { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>SHA-256 of the visitor's address and user agent (hex): counts repeats without storing the address.</summary>
    public string VisitorHash { get; set; } = "";

    /// <summary>Page landed on.</summary>
    public string Path { get; set; } = "";

    /// <summary>utm_source.</summary>
    public string? UtmSource { get; set; }

    /// <summary>utm_medium.</summary>
    public string? UtmMedium { get; set; }

    /// <summary>utm_campaign.</summary>
    public string? UtmCampaign { get; set; }
}

/// <summary>
/// A sign-up or an enrolment attributed to an affiliate (a conversion). Platform-wide: the referred user's business is
/// found through the user when it pays, and the row belongs to the affiliate programme, not to that business.
/// </summary>
public sealed class AffiliateReferral : IGlobalEntity, IAudited
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The affiliate credited.</summary>
    public Guid AffiliateId { get; set; }

    /// <summary>Sign-up or enrolment.</summary>
    public ReferralKind Kind { get; set; }

    /// <summary>The referred user (sign-ups), or null.</summary>
    public Guid? ReferredUserId { get; set; }

    /// <summary>The referred enrolment (course), or null.</summary>
    public Guid? EnrollmentId { get; set; }

    /// <summary>The referred email.</summary>
    public string Email { get; set; } = "";

    /// <summary>When the first-touch visit happened.</summary>
    public DateTimeOffset TouchAt { get; set; }

    /// <summary>utm_source of the first touch.</summary>
    public string? UtmSource { get; set; }

    /// <summary>utm_medium of the first touch.</summary>
    public string? UtmMedium { get; set; }

    /// <summary>utm_campaign of the first touch.</summary>
    public string? UtmCampaign { get; set; }

    /// <summary>Self-referral sign found (flagged for the admin when not <see cref="SelfReferral.None"/>).</summary>
    public SelfReferral Flag { get; set; }

    /// <summary>Active or rejected.</summary>
    public ReferralStatus Status { get; set; }

    /// <summary>Why it was rejected.</summary>
    public string? RejectedReason { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One line of the commission ledger: 20 % of one paid invoice (or enrolment payment) of a referral, in integer cents.
/// Unique per <see cref="PaymentId"/>, so a redelivered webhook earns nothing twice.
/// </summary>
public sealed class AffiliateCommission : IGlobalEntity, IAudited
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The affiliate.</summary>
    public Guid AffiliateId { get; set; }

    /// <summary>The referral that earned it.</summary>
    public Guid ReferralId { get; set; }

    /// <summary>Stripe invoice id (<c>in_…</c>) or Checkout session id (<c>cs_…</c>) of the payment.</summary>
    public string PaymentId { get; set; } = "";

    /// <summary>What the payment paid, cents.</summary>
    public long AmountPaidCents { get; set; }

    /// <summary>The commission, cents (<c>Portal.Domain.Affiliates.CommissionMath.CommissionCents</c>).</summary>
    public long CommissionCents { get; set; }

    /// <summary>Reversed by refunds so far, cents.</summary>
    public long ReversedCents { get; set; }

    /// <summary>State.</summary>
    public CommissionStatus Status { get; set; }

    /// <summary>When the payment was made.</summary>
    public DateTimeOffset EarnedAt { get; set; }

    /// <summary>When the refund window ends.</summary>
    public DateTimeOffset ApprovableAt { get; set; }

    /// <summary>The payout that paid it, or null.</summary>
    public Guid? PayoutId { get; set; }

    /// <summary>What is owed: commission less reversals.</summary>
    public long NetCents => CommissionCents - ReversedCents;

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A payout recorded by a platform admin (paid outside Portal through PayPal or Stripe).</summary>
public sealed class AffiliatePayout : IGlobalEntity, IAudited
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The affiliate paid.</summary>
    public Guid AffiliateId { get; set; }

    /// <summary>Amount, cents.</summary>
    public long AmountCents { get; set; }

    /// <summary>How it was paid.</summary>
    public PayoutMethod Method { get; set; }

    /// <summary>The payment's reference at PayPal or Stripe.</summary>
    public string Reference { get; set; } = "";

    /// <summary>When it was recorded as paid.</summary>
    public DateTimeOffset PaidAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}
