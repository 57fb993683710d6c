using System.ComponentModel.DataAnnotations;
using Portal.Data.Entities;

namespace Portal.Billing;

/// <summary>
/// Billing terms the deployment configures (section <c>Billing</c>): trial minutes, the past-due grace period, the
/// cap warning threshold, and the unit prices of the cost components (the defaults are typical list prices of the
/// providers) used when a provider does not report a cost itself.
/// </summary>
public sealed class BillingOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Billing";

    /// <summary>Free minutes a new business gets (0 = no trial).</summary>
    [Range(0, 100_000)]
    public int TrialMinutes { get; set; } = 30;

    /// <summary>Days a subscription may stay past due before calls are limited.</summary>
    [Range(0, 90)]
    public int GraceDays { get; set; } = 7;

    /// <summary>Share of the spending cap (percent) at which the owner is warned.</summary>
    [Range(1, 99)]
    public int CapWarningPercent { get; set; } = 80;

    /// <summary>Speech-to-text, micro-dollars a minute (Deepgram Nova-3: $0.0077).</summary>
    [Range(0, 10_000_000)]
    public long SttMicrosPerMinute { get; set; } = 7_700;

    /// <summary>Text-to-speech, micro-dollars a minute (ElevenLabs Flash, ~150 characters a minute: ~$0.012).</summary>
    [Range(0, 10_000_000)]
    public long TtsMicrosPerMinute { get; set; } = 12_000;

    /// <summary>Telephony, micro-dollars a minute (Twilio blended: $0.014).</summary>
    [Range(0, 10_000_000)]
    public long TelephonyMicrosPerMinute { get; set; } = 14_000;

    /// <summary>Model input tokens, micro-dollars per token (Sonnet: $3 per million = 3).</summary>
    [Range(0, 1_000)]
    public long ModelInputMicrosPerToken { get; set; } = 3;

    /// <summary>Model output tokens, micro-dollars per token (Sonnet: $15 per million = 15).</summary>
    [Range(0, 1_000)]
    public long ModelOutputMicrosPerToken { get; set; } = 15;
}

/// <summary>
/// Stripe settings (section <c>Stripe</c>). Absent <see cref="SecretKey"/> = Stripe not configured (keyless): usage is
/// still recorded and shown, nothing is sent. Secrets come from configuration (user secrets, environment), never the
/// database. API reference: https://docs.stripe.com/api.
/// </summary>
public sealed class StripeOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Stripe";

    /// <summary>Secret API key (<c>sk_live_…</c>/<c>sk_test_…</c>), or empty for keyless.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Webhook endpoint signing secret (<c>whsec_…</c>).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>API origin; empty = Stripe's (<c>https://api.stripe.com</c>). Tests point it at the fake.</summary>
    public string? ApiBase { get; set; }

    /// <summary>The billing meter's <c>event_name</c> (its value = billable tenths of a minute).</summary>
    [MaxLength(100)]
    public string MeterEventName { get; set; } = "portal_call_tenths";

    /// <summary>The billing meter id (<c>mtr_…</c>) read by the reconciliation.</summary>
    public string? MeterId { get; set; }

    /// <summary>Stripe Tax on Checkout (<c>automatic_tax[enabled]</c>).</summary>
    public bool AutomaticTax { get; set; }

    /// <summary>Price ids per plan name (<see cref="Plan"/>): the monthly fixed price (none for pay-as-you-go).</summary>
    public Dictionary<string, string> BasePrices { get; set; } = [];

    /// <summary>Price ids per plan name: the metered price on the meter (per tenth of a minute).</summary>
    public Dictionary<string, string> MeteredPrices { get; set; } = [];

    /// <summary>The agencies' wholesale prices (<see cref="AgencyStripePrices"/>).</summary>
    public AgencyStripePrices Agency { get; set; } = new();

    /// <summary>Whether Stripe is configured (a secret key is set).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(SecretKey);

    /// <summary>Whether <paramref name="plan"/> can be bought: a metered price, and a base price when it has a commitment.</summary>
    public bool CanSell(Plan plan) =>
        MeteredPrices.ContainsKey(plan.ToString()) && (PlanTerms.Of(plan).MonthlyMinimumCents == 0 || BasePrices.ContainsKey(plan.ToString()));
}

/// <summary>
/// Stripe prices of the reseller tiers (section <c>Stripe:Agency</c>), keyed by tier name (<c>Starter</c>, <c>Growth</c>,
/// <c>Enterprise</c>): a licensed monthly price per client (quantity = the agency's active clients on the tier) and a
/// metered price on the tier's overage meter (one whole minute a unit). Agencies are charged only when every tier has both.
/// </summary>
public sealed class AgencyStripePrices
{
    /// <summary>Licensed price per client per month ($99 / $199 / $299), by tier name.</summary>
    public Dictionary<string, string> TierPrices { get; set; } = [];

    /// <summary>Metered overage price ($0.12 / $0.10 / $0.08 a minute), by tier name.</summary>
    public Dictionary<string, string> OveragePrices { get; set; } = [];

    /// <summary>Event name of each tier's overage meter, by tier name; default <c>portal_agency_overage_{tier}</c> (lower case).</summary>
    public Dictionary<string, string> OverageEventNames { get; set; } = [];

    /// <summary>Days an agency has to pay each invoice (<c>days_until_due</c>).</summary>
    [Range(1, 90)]
    public int DaysUntilDue { get; set; } = 14;

    /// <summary>The overage meter's event name of <paramref name="tier"/> (a tier name).</summary>
    public string OverageEventName(string tier) =>
        OverageEventNames.TryGetValue(tier, out var name) && !string.IsNullOrWhiteSpace(name) ? name : "portal_agency_overage_" + tier.ToLowerInvariant();
}
