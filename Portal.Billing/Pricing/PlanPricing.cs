using Portal.Data.Entities;

namespace Portal.Billing.Pricing;

/// <summary>How often a plan's commitment is billed.</summary>
public enum BillingInterval
{
    /// <summary>Billed every month at the list price.</summary>
    Monthly,

    /// <summary>Billed once a year, 20 % off the monthly list price.</summary>
    Annual,
}

/// <summary>A plan's price as the pricing page shows it for one <see cref="BillingInterval"/>, US cents.</summary>
/// <param name="Terms">The plan terms the price comes from (the billing source of truth).</param>
/// <param name="Interval">Monthly or annual.</param>
/// <param name="MonthlyCents">What one month costs on this interval (annual: the discounted monthly equivalent).</param>
/// <param name="BilledCents">What one bill is: a month's price (monthly) or twelve discounted months (annual).</param>
/// <param name="MicrosPerMinute">The per-minute rate on this interval (annual: discounted), micro-dollars (15¢ = 150,000).</param>
/// <param name="SavingsPerYearCents">What annual billing saves over twelve monthly bills (0 when monthly or no commitment).</param>
public sealed record PlanPrice(PlanTerms Terms, BillingInterval Interval, long MonthlyCents, long BilledCents, long MicrosPerMinute, long SavingsPerYearCents);

/// <summary>
/// The pricing page's numbers, computed from <see cref="PlanTerms"/> so the page and the bills never disagree. Annual
/// billing takes <see cref="AnnualDiscountPercent"/> off the monthly commitment (committed minutes and platform fee) and
/// off the per-minute rate; pay-as-you-go has no commitment, so annual billing does not apply to it.
/// </summary>
public static class PlanPricing
{
    /// <summary>Discount for annual billing, percent.</summary>
    public const int AnnualDiscountPercent = 20;

    /// <summary>The interval the pricing page shows first.</summary>
    public const BillingInterval DefaultInterval = BillingInterval.Annual;

    /// <summary>The price of <paramref name="terms"/> on <paramref name="interval"/>.</summary>
    /// <param name="terms">The plan.</param>
    /// <param name="interval">Monthly or annual.</param>
    /// <returns>Cents; the annual monthly price is rounded half up to the cent.</returns>
    public static PlanPrice For(PlanTerms terms, BillingInterval interval)
    {
        ArgumentNullException.ThrowIfNull(terms);
        long monthly = terms.MonthlyMinimumCents;
        if (interval == BillingInterval.Monthly || !HasAnnual(terms))
        {
            return new PlanPrice(terms, BillingInterval.Monthly, monthly, monthly, terms.CentsPerMinute * 10_000L, 0);
        }

        var discountedMonthly = Discount(monthly);
        var perMinute = Discount(terms.CentsPerMinute * 10_000L);
        return new PlanPrice(terms, BillingInterval.Annual, discountedMonthly, discountedMonthly * 12, perMinute, (monthly * 12) - (discountedMonthly * 12));
    }

    /// <summary>Every public plan on <paramref name="interval"/>, in <see cref="PlanTerms.All"/> order.</summary>
    public static IReadOnlyList<PlanPrice> All(BillingInterval interval) => PlanTerms.All.Select(t => For(t, interval)).ToList();

    /// <summary>Whether annual billing applies (the plan has a monthly commitment).</summary>
    public static bool HasAnnual(PlanTerms terms) => terms is not null && terms.MonthlyMinimumCents > 0;

    private static long Discount(long amount) => ((amount * (100 - AnnualDiscountPercent)) + 50) / 100;
}
