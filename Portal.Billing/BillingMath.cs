using Portal.Data.Entities;

namespace Portal.Billing;

/// <summary>A bill for one period, cents (US): commitment, overage, trial and credits applied.</summary>
/// <param name="UsedTenths">Billable tenths of a minute used.</param>
/// <param name="IncludedTenths">Tenths the commitment includes (0 for pay-as-you-go).</param>
/// <param name="TrialTenths">Free trial tenths applied this period.</param>
/// <param name="OverageTenths">Tenths beyond the commitment (or all paid tenths for pay-as-you-go).</param>
/// <param name="MinimumCents">Monthly minimum: committed minutes plus platform fee.</param>
/// <param name="OverageCents">Price of <see cref="OverageTenths"/>.</param>
/// <param name="CreditCents">Manual credits deducted.</param>
/// <param name="TotalCents">What is owed: minimum + overage − credits, never below 0.</param>
public sealed record BillAmounts(long UsedTenths, long IncludedTenths, long TrialTenths, long OverageTenths, long MinimumCents, long OverageCents, long CreditCents, long TotalCents);

/// <summary>The money rules, pure: billable rounding (up to the next 6 seconds) and a period's bill by plan (commitment, included minutes, overage, platform fee).</summary>
public static class BillingMath
{
    /// <summary>Billable tenths of a minute for a call of <paramref name="seconds"/>: rounded up to 6-second increments.</summary>
    /// <param name="seconds">Call length, seconds (negative counts as 0).</param>
    /// <returns><c>ceil(seconds / 6)</c>.</returns>
    public static int Tenths(int seconds) => seconds <= 0 ? 0 : (seconds + 5) / 6;

    /// <summary>Price of <paramref name="tenths"/> at <paramref name="centsPerMinute"/>, micro-dollars (exact: a tenth at 15¢ is 15,000 µ$).</summary>
    public static long PriceMicros(long tenths, int centsPerMinute) => tenths * centsPerMinute * 1_000L;

    /// <summary>Micro-dollars to cents, rounded half up.</summary>
    public static long MicrosToCents(long micros) => (micros + 5_000) / 10_000;

    /// <summary>The bill for a period on <paramref name="plan"/>.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="usedTenths">Tenths used in the period.</param>
    /// <param name="trialTenthsLeft">Free trial tenths still available at the period's start.</param>
    /// <param name="creditCents">Credits to deduct.</param>
    public static BillAmounts Bill(Plan plan, long usedTenths, long trialTenthsLeft, long creditCents)
    {
        var terms = PlanTerms.Of(plan);
        var included = terms.CommittedMinutes * 10L;
        var trial = Math.Min(Math.Max(0, trialTenthsLeft), usedTenths);
        var overage = Math.Max(0, usedTenths - trial - included);
        var overageCents = MicrosToCents(PriceMicros(overage, terms.CentsPerMinute));
        var total = Math.Max(0, terms.MonthlyMinimumCents + overageCents - creditCents);
        return new BillAmounts(usedTenths, included, trial, overage, terms.MonthlyMinimumCents, overageCents, creditCents, total);
    }

    /// <summary>Straight-line projection of <paramref name="soFar"/> over the whole period.</summary>
    /// <param name="soFar">Amount accrued so far.</param>
    /// <param name="start">Period start.</param>
    /// <param name="end">Period end (exclusive).</param>
    /// <param name="now">Now.</param>
    public static long Project(long soFar, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        var elapsed = (now - start).TotalSeconds;
        var total = (end - start).TotalSeconds;
        return elapsed <= 0 || now >= end ? soFar : (long)Math.Round(soFar * total / elapsed);
    }

    /// <summary>The calendar month (UTC) holding <paramref name="now"/>: the period when Stripe gives none.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) CalendarMonth(DateTimeOffset now)
    {
        var start = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return (start, start.AddMonths(1));
    }
}
