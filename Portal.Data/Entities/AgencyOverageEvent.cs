namespace Portal.Data.Entities;

/// <summary>
/// Overage minutes of one agency client, to be sent (or sent) to Stripe's meter of its reseller tier as one meter event.
/// Written before it is sent (an outbox): each run of the agency meter reporter adds one row per client whose overage this
/// month grew, with <see cref="UpToMinutes"/> = the month's overage so far and <see cref="Minutes"/> = the growth, then
/// sends every unsent row. <see cref="Identifier"/> (client, month, running total) is the meter event's
/// <c>identifier</c>, so a resend after a lost answer is not counted twice by Stripe. Agency billing data, not tenant-filtered.
/// </summary>
public sealed class AgencyOverageEvent : Portal.Data.Tenancy.IGlobalEntity
{
    /// <summary>Maximum length of <see cref="Identifier"/>.</summary>
    public const int IdentifierMaxLength = 100;

    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The agency billed.</summary>
    public Guid AgencyId { get; set; }

    /// <summary>The client business whose minutes these are.</summary>
    public Guid TenantId { get; set; }

    /// <summary>Start of the UTC calendar month.</summary>
    public DateTimeOffset Month { get; set; }

    /// <summary>The client's reseller tier when the minutes were counted (chooses the meter and its price).</summary>
    public ResellerTier Tier { get; set; }

    /// <summary>The month's overage minutes up to and including this event.</summary>
    public long UpToMinutes { get; set; }

    /// <summary>Whole overage minutes in this event (the meter event's value), &gt; 0.</summary>
    public long Minutes { get; set; }

    /// <summary>The meter event's identifier: <c>agency-overage:{tenantId:N}:{yyyy-MM}:{UpToMinutes}</c>.</summary>
    public string Identifier { get; set; } = "";

    /// <summary>When the row was written (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When Stripe accepted it (UTC); null while unsent.</summary>
    public DateTimeOffset? ReportedAt { get; set; }

    /// <summary>Failed sends so far.</summary>
    public int Attempts { get; set; }
}
