using Portal.Data.Entities;

namespace Portal.Domain.Agencies;

/// <summary>Terms of one reseller tier, integer cents.</summary>
/// <param name="Tier">The tier.</param>
/// <param name="MonthlyFeeCents">Per client per month, cents.</param>
/// <param name="IncludedMinutes">Minutes included per client per month.</param>
/// <param name="OverageCentsPerMinute">Each minute beyond, cents.</param>
public sealed record ResellerTierTerms(ResellerTier Tier, long MonthlyFeeCents, int IncludedMinutes, int OverageCentsPerMinute);

/// <summary>One client's month in money: what the agency charges, what it pays Portal, and the difference (cents).</summary>
/// <param name="Minutes">Billable minutes used.</param>
/// <param name="ChargeCents">Client fee plus the client's overage.</param>
/// <param name="WholesaleCents">Tier fee plus the tier's overage.</param>
public sealed record ClientMargin(long Minutes, long ChargeCents, long WholesaleCents)
{
    /// <summary>Charge minus wholesale, cents (negative when the agency sells below cost).</summary>
    public long MarginCents => ChargeCents - WholesaleCents;
}

/// <summary>
/// The reseller price list (the white-label programme's published tiers) and the margin arithmetic. Pure functions;
/// minutes are whole billable minutes, money integer cents.
/// </summary>
public static class ResellerPricing
{
    private static readonly IReadOnlyDictionary<ResellerTier, ResellerTierTerms> Terms = new Dictionary<ResellerTier, ResellerTierTerms>
    {
        [ResellerTier.Starter] = new(ResellerTier.Starter, 9_900, 500, 12),
        [ResellerTier.Growth] = new(ResellerTier.Growth, 19_900, 1_500, 10),
        [ResellerTier.Enterprise] = new(ResellerTier.Enterprise, 29_900, 5_000, 8),
    };

    /// <summary>Every tier, cheapest first.</summary>
    public static IReadOnlyList<ResellerTierTerms> All { get; } = [.. Terms.Values.OrderBy(t => t.MonthlyFeeCents)];

    /// <summary>The terms of <paramref name="tier"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined tier.</exception>
    public static ResellerTierTerms Of(ResellerTier tier) =>
        Terms.TryGetValue(tier, out var terms) ? terms : throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown reseller tier.");

    /// <summary>A month's fee plus overage: <c>fee + max(0, minutes − included) × overage</c>, cents.</summary>
    /// <param name="feeCents">Monthly fee, cents.</param>
    /// <param name="includedMinutes">Minutes in the fee.</param>
    /// <param name="overageCentsPerMinute">Each further minute, cents.</param>
    /// <param name="minutes">Minutes used (negative counts as 0).</param>
    public static long MonthCents(long feeCents, int includedMinutes, int overageCentsPerMinute, long minutes) =>
        feeCents + (Math.Max(0, minutes - includedMinutes) * overageCentsPerMinute);

    /// <summary>The margin of one client for a month with <paramref name="minutes"/> used.</summary>
    public static ClientMargin Margin(AgencyClientPlan plan, long minutes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var tier = Of(plan.Tier);
        return new ClientMargin(minutes,
            MonthCents(plan.MonthlyFeeCents, plan.IncludedMinutes, plan.OverageCentsPerMinute, minutes),
            MonthCents(tier.MonthlyFeeCents, tier.IncludedMinutes, tier.OverageCentsPerMinute, minutes));
    }

    /// <summary>Billable whole minutes of calls totalling <paramref name="billableSeconds"/> (rounded up).</summary>
    public static long Minutes(long billableSeconds) => billableSeconds <= 0 ? 0 : (billableSeconds + 59) / 60;
}
