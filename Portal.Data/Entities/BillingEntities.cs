using Portal.Data.Entities;
using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>What a business's calls do once a billing limit applies (the owner's choice).</summary>
public enum LimitAction
{
    /// <summary>A short polite message, then the caller leaves a voicemail.</summary>
    Voicemail,

    /// <summary>A short polite message, then the call is forwarded to the business's own number.</summary>
    Forward,
}

/// <summary>
/// One ended conversation counted for money: a call in billable minutes (rounded up to 0.1 minute,
/// i.e. 6-second increments) or a chat as one conversation with its model tokens. Exactly one per conversation
/// (unique <see cref="ConversationId"/>), so recording is idempotent. Money is integer micro-dollars in
/// <see cref="Currency"/>; a call's price is its billable tenths at the plan's per-minute rate.
/// </summary>
public sealed class UsageRecord : TenantEntity
{
    /// <summary>Maximum length of <see cref="Direction"/>.</summary>
    public const int DirectionMaxLength = 16;

    /// <summary>The conversation counted (unique).</summary>
    public Guid ConversationId { get; set; }

    /// <summary>The agent that took it (for usage per agent).</summary>
    public Guid AgentPersonaId { get; set; }

    /// <summary>Voice or web chat.</summary>
    public Channel Channel { get; set; }

    /// <summary><c>inbound</c> or <c>outbound</c>; chats are <c>inbound</c>.</summary>
    public string Direction { get; set; } = "inbound";

    /// <summary>When the conversation started (UTC); usage is bucketed by it.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When it ended (UTC).</summary>
    public DateTimeOffset EndedAt { get; set; }

    /// <summary>Seconds of the call the carrier reports (0 for chats).</summary>
    public int BillableSeconds { get; set; }

    /// <summary>Billable minutes in tenths: <c>ceil(seconds / 6)</c> (0 for chats).</summary>
    public int BillableTenths { get; set; }

    /// <summary>Model tokens in (prompt) over the conversation.</summary>
    public int InputTokens { get; set; }

    /// <summary>Model tokens out (completion) over the conversation.</summary>
    public int OutputTokens { get; set; }

    /// <summary>Speech-to-text cost, micro-dollars.</summary>
    public long SttCostMicros { get; set; }

    /// <summary>Text-to-speech cost, micro-dollars.</summary>
    public long TtsCostMicros { get; set; }

    /// <summary>Language-model cost, micro-dollars.</summary>
    public long ModelCostMicros { get; set; }

    /// <summary>Telephony (carrier) cost, micro-dollars.</summary>
    public long TelephonyCostMicros { get; set; }

    /// <summary>Price charged to the business for these minutes at its plan's rate, micro-dollars (before trial and commitment).</summary>
    public long PriceMicros { get; set; }

    /// <summary>The plan in force when recorded.</summary>
    public Plan Plan { get; set; }

    /// <summary>ISO 4217 currency of every amount, lower case (<c>usd</c>).</summary>
    public string Currency { get; set; } = "usd";

    /// <summary>When Stripe accepted its meter event (null = not yet reported, or nothing to report).</summary>
    public DateTimeOffset? MeterReportedAt { get; set; }

    /// <summary>Failed attempts to report it (the job retries up to a limit).</summary>
    public int MeterAttempts { get; set; }

    /// <summary>Total cost to the platform, micro-dollars.</summary>
    public long CostMicros => SttCostMicros + TtsCostMicros + ModelCostMicros + TelephonyCostMicros;
}

/// <summary>
/// A business's billing state (one per tenant): its Stripe customer and subscription as the webhooks last told us,
/// payment trouble, the pay-as-you-go spending cap, the limit action and an admin's lift, trial minutes and the
/// notices already sent this period (so each is sent once).
/// </summary>
public sealed class BillingAccount : TenantEntity
{
    /// <summary>Maximum length of Stripe ids.</summary>
    public const int StripeIdMaxLength = 255;

    /// <summary>Maximum length of <see cref="SubscriptionStatus"/>.</summary>
    public const int StatusMaxLength = 32;

    /// <summary>Stripe customer id (<c>cus_…</c>), or null before the first checkout.</summary>
    public string? StripeCustomerId { get; set; }

    /// <summary>Stripe subscription id (<c>sub_…</c>), or null.</summary>
    public string? StripeSubscriptionId { get; set; }

    /// <summary>Stripe's subscription status (<c>active</c>, <c>past_due</c>, <c>canceled</c>…), or null.</summary>
    public string? SubscriptionStatus { get; set; }

    /// <summary>Plan the subscription is for.</summary>
    public Plan? SubscribedPlan { get; set; }

    /// <summary>Stripe <c>created</c> (Unix seconds) of the last subscription event applied; older events are ignored.</summary>
    public long SubscriptionEventCreated { get; set; }

    /// <summary>Start of the current billing period (UTC), from Stripe, or null (calendar month then).</summary>
    public DateTimeOffset? CurrentPeriodStart { get; set; }

    /// <summary>End of the current billing period (UTC), or null.</summary>
    public DateTimeOffset? CurrentPeriodEnd { get; set; }

    /// <summary>Whether Stripe holds a payment method (a completed Checkout or a paid invoice).</summary>
    public bool HasPaymentMethod { get; set; }

    /// <summary>Since when a payment has failed and not been paid since (UTC), or null.</summary>
    public DateTimeOffset? PastDueSince { get; set; }

    /// <summary>Pay-as-you-go monthly spending cap, cents of <see cref="Currency"/>, or null for none.</summary>
    public int? SpendingCapCents { get; set; }

    /// <summary>ISO 4217 currency of the account's amounts (the cap, the bills), lower case (<c>usd</c>).</summary>
    public string Currency { get; set; } = "usd";

    /// <summary>What limited calls do.</summary>
    public LimitAction LimitAction { get; set; } = LimitAction.Voicemail;

    /// <summary>Limits do not apply until then (UTC): an admin lifted them.</summary>
    public DateTimeOffset? LimitLiftedUntil { get; set; }

    /// <summary>Free trial minutes granted when the account was opened.</summary>
    public int TrialMinutes { get; set; }

    /// <summary>Period key (<c>yyyy-MM</c>) whose "cap nearly reached" notice was sent.</summary>
    public string? CapWarningSentFor { get; set; }

    /// <summary>Period key whose "limit applies" notice was sent.</summary>
    public string? LimitNoticeSentFor { get; set; }
}

/// <summary>An invoice Stripe told us about (webhooks or a listing), for the Billing page and the admin's failed payments.</summary>
public sealed class BillingInvoice : TenantEntity
{
    /// <summary>Maximum length of URLs.</summary>
    public const int UrlMaxLength = 1000;

    /// <summary>Stripe invoice id (<c>in_…</c>), unique.</summary>
    public string StripeInvoiceId { get; set; } = "";

    /// <summary>Invoice number shown to people, or null while a draft.</summary>
    public string? Number { get; set; }

    /// <summary>Stripe status: <c>draft</c>, <c>open</c>, <c>paid</c>, <c>uncollectible</c>, <c>void</c>.</summary>
    public string Status { get; set; } = "";

    /// <summary>Amount due, cents.</summary>
    public long AmountDueCents { get; set; }

    /// <summary>Amount paid, cents.</summary>
    public long AmountPaidCents { get; set; }

    /// <summary>Currency, lower case.</summary>
    public string Currency { get; set; } = "usd";

    /// <summary>Hosted invoice page, or null.</summary>
    public string? HostedUrl { get; set; }

    /// <summary>PDF download, or null.</summary>
    public string? PdfUrl { get; set; }

    /// <summary>Whether a payment attempt failed and it is not paid.</summary>
    public bool PaymentFailed { get; set; }

    /// <summary>When Stripe created it (UTC).</summary>
    public DateTimeOffset StripeCreatedAt { get; set; }
}

/// <summary>A manual credit an admin granted (cents, positive), deducted from the projected bill; each is audited.</summary>
public sealed class BillingCredit : TenantEntity
{
    /// <summary>Maximum length of <see cref="Reason"/>.</summary>
    public const int ReasonMaxLength = 300;

    /// <summary>Largest single credit, cents ($10,000).</summary>
    public const int MaxCents = 1_000_000;

    /// <summary>Amount, cents of <see cref="Currency"/>, 1–<see cref="MaxCents"/>.</summary>
    public int AmountCents { get; set; }

    /// <summary>ISO 4217 currency of <see cref="AmountCents"/>, lower case (<c>usd</c>).</summary>
    public string Currency { get; set; } = "usd";

    /// <summary>Why, as the admin wrote it.</summary>
    public string Reason { get; set; } = "";

    /// <summary>Email of the admin who granted it.</summary>
    public string GrantedBy { get; set; } = "";
}

/// <summary>
/// A Stripe webhook event as received (platform-wide: the tenant is only known after parsing). The primary key is
/// Stripe's event id, so a redelivery is recognised and changes nothing.
/// </summary>
public sealed class StripeWebhookEvent : IGlobalEntity
{
    /// <summary>Maximum length of <see cref="Type"/>.</summary>
    public const int TypeMaxLength = 100;

    /// <summary>Stripe event id (<c>evt_…</c>).</summary>
    public string Id { get; set; } = "";

    /// <summary>Event type, e.g. <c>invoice.paid</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>Stripe's <c>created</c>, Unix seconds.</summary>
    public long Created { get; set; }

    /// <summary>When we received it (UTC).</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The verified JSON body.</summary>
    public string Payload { get; set; } = "";

    /// <summary>What applying it did (e.g. <c>applied</c>, <c>stale</c>, <c>unknown customer</c>).</summary>
    public string Outcome { get; set; } = "";

    /// <summary>The business it concerned, when known.</summary>
    public Guid? TenantId { get; set; }
}

/// <summary>A difference between local usage and Stripe's meter event summary found by the nightly reconciliation (platform-wide).</summary>
public sealed class BillingDriftFinding : IGlobalEntity
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The business.</summary>
    public Guid TenantId { get; set; }

    /// <summary>Start of the window compared (UTC).</summary>
    public DateTimeOffset PeriodStart { get; set; }

    /// <summary>End of the window compared (UTC, exclusive).</summary>
    public DateTimeOffset PeriodEnd { get; set; }

    /// <summary>Tenths of a minute reported locally in the window.</summary>
    public long LocalTenths { get; set; }

    /// <summary>Tenths Stripe's meter holds for the window.</summary>
    public long StripeTenths { get; set; }

    /// <summary>When found (UTC).</summary>
    public DateTimeOffset FoundAt { get; set; }

    /// <summary>When an admin marked it resolved, or null.</summary>
    public DateTimeOffset? ResolvedAt { get; set; }
}
