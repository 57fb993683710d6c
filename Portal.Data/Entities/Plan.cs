namespace Portal.Data.Entities;

/// <summary>
/// A business's price plan (docs/product/pricing.md: pure per-minute pricing with an optional monthly commitment).
/// Chosen by a platform admin on the tenants page; billing (metered usage, overage) builds on it.
/// </summary>
public enum Plan
{
    /// <summary>No commitment, 20 cents a minute.</summary>
    PayAsYouGo,

    /// <summary>2,000 minutes a month committed (30,000 cents), 15 cents a minute.</summary>
    Growth,

    /// <summary>10,000 minutes a month committed (120,000 cents), 12 cents a minute.</summary>
    Enterprise,

    /// <summary>Agencies reselling under their brand: 10,000 minutes included, 10 cents a minute plus a 299,700-cent monthly platform fee.</summary>
    WhiteLabel,
}

/// <summary>The terms of a <see cref="Plan"/> (docs/product/pricing.md).</summary>
/// <param name="Plan">The plan.</param>
/// <param name="Name">Name shown to people.</param>
/// <param name="CentsPerMinute">Price of a call minute, in US cents.</param>
/// <param name="CommittedMinutes">Minutes a month paid for whether used or not (0 = none).</param>
/// <param name="PlatformFeeCents">Monthly platform fee on top of the minutes, in US cents.</param>
public sealed record PlanTerms(Plan Plan, string Name, int CentsPerMinute, int CommittedMinutes, int PlatformFeeCents)
{
    /// <summary>Every plan, cheapest commitment first.</summary>
    public static readonly IReadOnlyList<PlanTerms> All =
    [
        new(Plan.PayAsYouGo, "Pay-as-you-go", 20, 0, 0),
        new(Plan.Growth, "Growth", 15, 2_000, 0),
        new(Plan.Enterprise, "Enterprise", 12, 10_000, 0),
        new(Plan.WhiteLabel, "White-label", 10, 10_000, 299_700),
    ];

    /// <summary>The terms of <paramref name="plan"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined plan.</exception>
    public static PlanTerms Of(Plan plan) => All.FirstOrDefault(p => p.Plan == plan) ?? throw new ArgumentOutOfRangeException(nameof(plan), plan, "Unknown plan.");

    /// <summary>The monthly minimum charge in US cents: committed minutes at the plan's rate plus the platform fee.</summary>
    public int MonthlyMinimumCents => (CommittedMinutes * CentsPerMinute) + PlatformFeeCents;
}
