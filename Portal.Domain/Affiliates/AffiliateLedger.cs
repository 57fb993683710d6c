using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Affiliates;

/// <summary>An affiliate's month in the portal: commission earned (net of reversals), cents.</summary>
/// <param name="Month">First day of the month (UTC).</param>
/// <param name="EarnedCents">Net commission earned that month.</param>
public sealed record MonthlyEarnings(DateOnly Month, long EarnedCents);

/// <summary>What the affiliate portal shows.</summary>
/// <param name="Affiliate">The affiliate.</param>
/// <param name="Clicks">Counted link visits.</param>
/// <param name="SignUps">Attributed sign-ups.</param>
/// <param name="Enrollments">Attributed enrolments.</param>
/// <param name="Conversions">Referrals that paid at least once.</param>
/// <param name="PendingCents">Net commission inside the refund window.</param>
/// <param name="ApprovedCents">Net commission approved and not paid yet.</param>
/// <param name="PaidCents">Paid out so far.</param>
/// <param name="ByMonth">Earnings by month, newest first.</param>
/// <param name="Commissions">Ledger lines, newest first.</param>
/// <param name="Payouts">Payouts, newest first.</param>
public sealed record AffiliateSummary(
    Affiliate Affiliate, int Clicks, int SignUps, int Enrollments, int Conversions, long PendingCents, long ApprovedCents, long PaidCents,
    IReadOnlyList<MonthlyEarnings> ByMonth, IReadOnlyList<AffiliateCommission> Commissions, IReadOnlyList<AffiliatePayout> Payouts);

/// <summary>
/// The commission ledger: 20 % of each paid invoice of an attributed business or enrolment, pending for the refund
/// window, approved by a job, reversed by refunds, paid out by an admin once the approved balance reaches $50
/// (<see cref="CommissionMath"/>). Earning and reversing take the caller's <see cref="PortalDbContext"/> so they commit
/// in the same transaction as the webhook that caused them; the payment id is unique, so a redelivery earns nothing twice.
/// </summary>
public sealed class AffiliateLedger(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider)
{
    /// <summary>Records the commission on a paid invoice of <paramref name="tenantId"/> when its owner was referred.</summary>
    /// <param name="db">The webhook's context (its transaction).</param>
    /// <param name="tenantId">The business that paid.</param>
    /// <param name="paymentId">Stripe invoice id.</param>
    /// <param name="amountPaidCents">Amount paid, cents.</param>
    /// <param name="paidAt">When it was paid.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The new ledger line, or null (no live referral, nothing paid, or already recorded).</returns>
    public static async Task<AffiliateCommission?> EarnForTenantAsync(PortalDbContext db, Guid tenantId, string paymentId, long amountPaidCents, DateTimeOffset paidAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var referral = await ActiveReferralForTenantAsync(db, tenantId, cancellationToken);
        return referral is null ? null : await EarnAsync(db, referral, paymentId, amountPaidCents, paidAt, cancellationToken);
    }

    /// <summary>The live (not rejected) referral of one of <paramref name="tenantId"/>'s users, the first attributed; null when none (tracked by <paramref name="db"/>).</summary>
    /// <param name="db">The caller's context (a webhook's transaction).</param>
    /// <param name="tenantId">The business.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<AffiliateReferral?> ActiveReferralForTenantAsync(PortalDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Webhooks are platform work: the business's users are found across tenants.
        var userIds = await db.Users.IgnoreQueryFilters().Where(u => u.TenantId == tenantId).Select(u => u.Id).ToListAsync(cancellationToken);
        return await db.AffiliateReferrals
            .Where(r => r.ReferredUserId != null && userIds.Contains(r.ReferredUserId.Value) && r.Status == ReferralStatus.Active)
            .OrderBy(r => r.CreatedAt).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Records the commission on an enrolment's payment when it was referred.</summary>
    /// <returns>The new ledger line, or null.</returns>
    public static async Task<AffiliateCommission?> EarnForEnrollmentAsync(PortalDbContext db, Guid enrollmentId, string paymentId, long amountPaidCents, DateTimeOffset paidAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var referral = await db.AffiliateReferrals.FirstOrDefaultAsync(r => r.EnrollmentId == enrollmentId && r.Status == ReferralStatus.Active, cancellationToken);
        return referral is null ? null : await EarnAsync(db, referral, paymentId, amountPaidCents, paidAt, cancellationToken);
    }

    /// <summary>
    /// Reverses the refunded share of the commission on <paramref name="paymentId"/> (a full refund reverses it all and
    /// marks it <see cref="CommissionStatus.Reversed"/>).
    /// </summary>
    /// <param name="db">The webhook's context.</param>
    /// <param name="paymentId">The refunded invoice id.</param>
    /// <param name="refundedCents">This refund's amount, cents.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>Cents reversed by this refund (0 when there is no commission).</returns>
    public static async Task<long> ReverseAsync(PortalDbContext db, string paymentId, long refundedCents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var line = await db.AffiliateCommissions.FirstOrDefaultAsync(c => c.PaymentId == paymentId, cancellationToken);
        if (line is null || line.Status is CommissionStatus.Rejected or CommissionStatus.Reversed)
        {
            return 0;
        }

        var reversal = Math.Min(line.NetCents, CommissionMath.ReversalCents(line.CommissionCents, line.AmountPaidCents, refundedCents));
        line.ReversedCents += reversal;
        if (line.NetCents == 0 && line.Status != CommissionStatus.Paid)
        {
            line.Status = CommissionStatus.Reversed;
        }

        return reversal;
    }

    /// <summary>Approves every pending commission whose refund window has ended (the daily job).</summary>
    /// <returns>How many were approved.</returns>
    public async Task<int> ApproveDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.AffiliateCommissions.Where(c => c.Status == CommissionStatus.Pending && c.ApprovableAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CommissionStatus.Approved).SetProperty(c => c.UpdatedAt, now), cancellationToken);
    }

    /// <summary>Rejects a conversion: the referral earns nothing more and its unpaid commissions are rejected.</summary>
    /// <exception cref="KeyNotFoundException">No such referral.</exception>
    /// <exception cref="ArgumentException">No reason given.</exception>
    public async Task RejectReferralAsync(Guid referralId, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("Give a reason for rejecting the conversion.", nameof(reason));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var referral = await db.AffiliateReferrals.FirstOrDefaultAsync(r => r.Id == referralId, cancellationToken) ?? throw new KeyNotFoundException("No such conversion.");
        referral.Status = ReferralStatus.Rejected;
        referral.RejectedReason = reason.Trim().Length > 500 ? reason.Trim()[..500] : reason.Trim();
        await db.AffiliateCommissions.Where(c => c.ReferralId == referralId && (c.Status == CommissionStatus.Pending || c.Status == CommissionStatus.Approved))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CommissionStatus.Rejected), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Records that the affiliate's approved balance was paid (outside Portal): one payout of every approved line.
    /// </summary>
    /// <returns>The payout.</returns>
    /// <exception cref="InvalidOperationException">The approved balance is under the $50 minimum; nothing changes.</exception>
    public async Task<AffiliatePayout> RecordPayoutAsync(Guid affiliateId, string reference, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var affiliate = await db.Affiliates.FirstOrDefaultAsync(a => a.Id == affiliateId, cancellationToken) ?? throw new KeyNotFoundException("No such affiliate.");
        var lines = await db.AffiliateCommissions.Where(c => c.AffiliateId == affiliateId && c.Status == CommissionStatus.Approved).ToListAsync(cancellationToken);
        var amount = lines.Sum(c => c.NetCents);
        if (!CommissionMath.CanPayOut(amount))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The approved balance is ${amount / 100m:0.00}; payouts start at ${CommissionMath.MinimumPayoutCents / 100m:0.00}."));
        }

        var payout = new AffiliatePayout
        {
            AffiliateId = affiliateId, AmountCents = amount, Method = affiliate.PayoutMethod, PaidAt = timeProvider.GetUtcNow(),
            Reference = string.IsNullOrWhiteSpace(reference) ? "manual" : reference.Trim(),
        };
        db.AffiliatePayouts.Add(payout);
        foreach (var line in lines)
        {
            line.Status = CommissionStatus.Paid;
            line.PayoutId = payout.Id;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return payout;
    }

    /// <summary>
    /// The payouts due, as CSV for a bulk payout (PayPal Payouts' columns: recipient, amount, currency, reference, note;
    /// https://developer.paypal.com/docs/payouts/standard/): every approved affiliate whose approved balance is at least $50.
    /// </summary>
    public async Task<string> PayoutsDueCsvAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var due = await db.AffiliateCommissions.Where(c => c.Status == CommissionStatus.Approved)
            .GroupBy(c => c.AffiliateId).Select(g => new { AffiliateId = g.Key, Cents = g.Sum(c => c.CommissionCents - c.ReversedCents) })
            .ToListAsync(cancellationToken);
        var affiliates = await db.Affiliates.ToDictionaryAsync(a => a.Id, cancellationToken);
        var csv = new StringBuilder("recipient,amount,currency,reference,note,method\n");
        foreach (var row in due.Where(d => CommissionMath.CanPayOut(d.Cents)).OrderBy(d => affiliates[d.AffiliateId].Code, StringComparer.Ordinal))
        {
            var a = affiliates[row.AffiliateId];
            csv.Append(Csv(a.PayoutAccount)).Append(',').Append((row.Cents / 100m).ToString("0.00", CultureInfo.InvariantCulture)).Append(",USD,")
                .Append(Csv(a.Code)).Append(",Portal affiliate commission,").Append(a.PayoutMethod).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>The affiliate portal's figures for <paramref name="affiliateId"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such affiliate.</exception>
    public async Task<AffiliateSummary> SummaryAsync(Guid affiliateId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var affiliate = await db.Affiliates.AsNoTracking().FirstOrDefaultAsync(a => a.Id == affiliateId, cancellationToken) ?? throw new KeyNotFoundException("No such affiliate.");
        var clicks = await db.AffiliateClicks.CountAsync(c => c.AffiliateId == affiliateId, cancellationToken);
        var referrals = await db.AffiliateReferrals.AsNoTracking().Where(r => r.AffiliateId == affiliateId).ToListAsync(cancellationToken);
        var lines = await db.AffiliateCommissions.AsNoTracking().Where(c => c.AffiliateId == affiliateId).OrderByDescending(c => c.EarnedAt).ToListAsync(cancellationToken);
        var payouts = await db.AffiliatePayouts.AsNoTracking().Where(p => p.AffiliateId == affiliateId).OrderByDescending(p => p.PaidAt).ToListAsync(cancellationToken);
        var counted = lines.Where(c => c.Status is not CommissionStatus.Rejected).ToList();
        var byMonth = counted.GroupBy(c => new DateOnly(c.EarnedAt.UtcDateTime.Year, c.EarnedAt.UtcDateTime.Month, 1))
            .Select(g => new MonthlyEarnings(g.Key, g.Sum(c => c.NetCents))).OrderByDescending(m => m.Month).ToList();
        return new AffiliateSummary(
            affiliate, clicks,
            referrals.Count(r => r.Kind == ReferralKind.SignUp && r.Status == ReferralStatus.Active),
            referrals.Count(r => r.Kind == ReferralKind.Enrollment && r.Status == ReferralStatus.Active),
            counted.Select(c => c.ReferralId).Distinct().Count(),
            counted.Where(c => c.Status == CommissionStatus.Pending).Sum(c => c.NetCents),
            counted.Where(c => c.Status == CommissionStatus.Approved).Sum(c => c.NetCents),
            payouts.Sum(p => p.AmountCents), byMonth, lines, payouts);
    }

    /// <summary>The latest conversions (referrals) across affiliates, newest first (admin).</summary>
    public async Task<IReadOnlyList<AffiliateReferral>> RecentReferralsAsync(int take, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.AffiliateReferrals.AsNoTracking().OrderByDescending(r => r.CreatedAt).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
    }

    /// <summary>Each affiliate's approved, unpaid balance, cents (admin).</summary>
    public async Task<IReadOnlyDictionary<Guid, long>> ApprovedBalancesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.AffiliateCommissions.Where(c => c.Status == CommissionStatus.Approved).GroupBy(c => c.AffiliateId)
            .Select(g => new { g.Key, Cents = g.Sum(c => c.CommissionCents - c.ReversedCents) }).ToDictionaryAsync(g => g.Key, g => g.Cents, cancellationToken);
    }

    private static async Task<AffiliateCommission?> EarnAsync(PortalDbContext db, AffiliateReferral referral, string paymentId, long amountPaidCents, DateTimeOffset paidAt, CancellationToken ct)
    {
        if (amountPaidCents <= 0 || await db.AffiliateCommissions.AnyAsync(c => c.PaymentId == paymentId, ct))
        {
            return null;
        }

        var line = new AffiliateCommission
        {
            AffiliateId = referral.AffiliateId, ReferralId = referral.Id, PaymentId = paymentId, AmountPaidCents = amountPaidCents,
            CommissionCents = CommissionMath.CommissionCents(amountPaidCents), EarnedAt = paidAt, ApprovableAt = CommissionMath.ApprovableAt(paidAt),
            Status = CommissionStatus.Pending,
        };
        db.AffiliateCommissions.Add(line);
        return line;
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 || value.StartsWith('=') || value.StartsWith('+') || value.StartsWith('-') || value.StartsWith('@')
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
