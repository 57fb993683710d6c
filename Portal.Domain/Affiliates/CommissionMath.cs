namespace Portal.Domain.Affiliates;

/// <summary>
/// The commission ledger's money rules, pure, integer cents: 20 % of what an invoice paid (rounded half up to the cent),
/// pending for the 30-day refund window, a payout once the approved, unpaid balance reaches $50.
/// </summary>
public static class CommissionMath
{
    /// <summary>Commission rate, percent of the amount paid.</summary>
    public const int RatePercent = 20;

    /// <summary>Days a commission stays pending (the refund window) before it can be approved.</summary>
    public static readonly TimeSpan PendingPeriod = TimeSpan.FromDays(30);

    /// <summary>Smallest payout, cents ($50).</summary>
    public const long MinimumPayoutCents = 5_000;

    /// <summary>The commission on an invoice that paid <paramref name="amountPaidCents"/>.</summary>
    /// <param name="amountPaidCents">Amount paid, cents (0 or more).</param>
    /// <returns>20 % of it, rounded half up to the cent.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative amount.</exception>
    public static long CommissionCents(long amountPaidCents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountPaidCents);
        return ((amountPaidCents * RatePercent) + 50) / 100;
    }

    /// <summary>
    /// The commission reversed by a refund of <paramref name="refundedCents"/> of an invoice that paid
    /// <paramref name="amountPaidCents"/> and earned <paramref name="commissionCents"/>: the refunded share of it
    /// (a full refund reverses it all), never more than the commission.
    /// </summary>
    public static long ReversalCents(long commissionCents, long amountPaidCents, long refundedCents)
    {
        if (amountPaidCents <= 0 || refundedCents <= 0)
        {
            return 0;
        }

        return refundedCents >= amountPaidCents ? commissionCents : Math.Min(commissionCents, ((commissionCents * refundedCents) + (amountPaidCents / 2)) / amountPaidCents);
    }

    /// <summary>When a commission earned at <paramref name="earnedAt"/> may be approved.</summary>
    public static DateTimeOffset ApprovableAt(DateTimeOffset earnedAt) => earnedAt + PendingPeriod;

    /// <summary>Whether an approved, unpaid balance can be paid out.</summary>
    public static bool CanPayOut(long approvedUnpaidCents) => approvedUnpaidCents >= MinimumPayoutCents;
}
