using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Affiliates;

namespace Portal.Domain.Courses;

/// <summary>
/// Enrolment: validates the form, applies a coupon, takes a cohort seat or puts the student on the waitlist when the
/// cohort is full. Payment happens in Stripe Checkout (one-time price); <see cref="CourseCheckout"/> activates the
/// enrolment when Checkout reports it paid.
/// </summary>
public sealed class CourseEnrollments(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider)
{
    /// <summary>Starts an enrolment.</summary>
    /// <param name="slug">Course slug.</param>
    /// <param name="tierId">Chosen tier.</param>
    /// <param name="name">Student's name (printed on the certificate).</param>
    /// <param name="email">Student's email.</param>
    /// <param name="couponCode">Coupon, or empty.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The enrolment: <see cref="EnrollmentStatus.Waitlisted"/>, <see cref="EnrollmentStatus.PendingPayment"/>, or Active when free.</returns>
    /// <exception cref="ArgumentException">A field is invalid (message names it); nothing is stored.</exception>
    public async Task<Enrollment> StartAsync(string slug, Guid tierId, string name, string email, string? couponCode, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > Course.TitleMaxLength)
        {
            throw new ArgumentException("Enter your name as it should appear on the certificate.", nameof(name));
        }

        email = email?.Trim() ?? "";
        if (!System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || email.Length > 256)
        {
            throw new ArgumentException("Enter a valid email address.", nameof(email));
        }

        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        var course = await db.Courses.AsNoTracking().FirstOrDefaultAsync(c => c.Slug == slug && c.IsPublished, cancellationToken) ?? throw new ArgumentException("No such course.", nameof(slug));
        var tier = await db.CourseTiers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tierId && t.CourseId == course.Id, cancellationToken) ?? throw new ArgumentException("Choose a tier.", nameof(tierId));
        CourseCoupon? coupon = null;
        if (!string.IsNullOrWhiteSpace(couponCode))
        {
            var code = couponCode.Trim().ToUpperInvariant();
            coupon = await db.CourseCoupons.FirstOrDefaultAsync(c => c.Code == code, cancellationToken);
            if (coupon is null || (coupon.ValidUntil is { } until && until < now) || (coupon.MaxRedemptions is { } max && coupon.Redemptions >= max))
            {
                throw new ArgumentException("This coupon is not valid.", nameof(couponCode));
            }
        }

        var enrollment = new Enrollment
        {
            CourseId = course.Id, TierId = tier.Id, Name = name.Trim(), Email = email, AccessToken = NewToken(), ListPriceCents = tier.PriceCents,
            PriceCents = coupon is null ? tier.PriceCents : tier.PriceCents - ((tier.PriceCents * coupon.PercentOff) + 50) / 100, CouponCode = coupon?.Code,
            Status = EnrollmentStatus.PendingPayment,
        };
        if (tier.IsCohort)
        {
            var cohorts = await db.CourseCohorts.AsNoTracking().Where(c => c.CourseId == course.Id).OrderBy(c => c.Number).ToListAsync(cancellationToken);
            foreach (var cohort in cohorts)
            {
                var taken = await db.Enrollments.CountAsync(e => e.CohortId == cohort.Id && (e.Status == EnrollmentStatus.Active || e.Status == EnrollmentStatus.PendingPayment), cancellationToken);
                if (taken < cohort.Capacity)
                {
                    enrollment.CohortId = cohort.Id;
                    break;
                }
            }

            if (enrollment.CohortId is null)
            {
                enrollment.Status = EnrollmentStatus.Waitlisted;
                enrollment.CohortId = cohorts.LastOrDefault()?.Id;
            }
        }

        if (enrollment.Status == EnrollmentStatus.PendingPayment && enrollment.PriceCents == 0)
        {
            enrollment.Status = EnrollmentStatus.Active;
            enrollment.PaidAt = now;
        }

        db.Enrollments.Add(enrollment);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return enrollment;
    }

    /// <summary>Records the Checkout session created for a pending enrolment.</summary>
    public async Task AttachCheckoutAsync(Guid enrollmentId, string sessionId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Enrollments.Where(e => e.Id == enrollmentId && e.Status == EnrollmentStatus.PendingPayment)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.StripeSessionId, sessionId), cancellationToken);
    }

    /// <summary>Drops a pending enrolment whose Checkout could not start (its seat is freed).</summary>
    public async Task AbandonAsync(Guid enrollmentId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await db.Enrollments.Where(e => e.Id == enrollmentId && e.Status == EnrollmentStatus.PendingPayment)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EnrollmentStatus.Cancelled), cancellationToken);
    }

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Applies a paid one-time Checkout session to its enrolment (called by the Stripe webhook, in its transaction).</summary>
public static class CourseCheckout
{
    /// <summary>
    /// Activates the enrolment paid by <paramref name="sessionId"/>, counts its coupon and earns its affiliate's commission.
    /// Idempotent: an already active enrolment changes nothing.
    /// </summary>
    /// <returns>The outcome recorded with the webhook event.</returns>
    public static async Task<string> CompleteAsync(PortalDbContext db, string sessionId, long amountTotalCents, DateTimeOffset paidAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var enrollment = await db.Enrollments.FirstOrDefaultAsync(e => e.StripeSessionId == sessionId, cancellationToken);
        if (enrollment is null)
        {
            return "unknown checkout session";
        }

        if (enrollment.Status == EnrollmentStatus.Active)
        {
            return "stale";
        }

        enrollment.Status = EnrollmentStatus.Active;
        enrollment.PaidAt = paidAt;
        if (enrollment.CouponCode is { } code)
        {
            await db.CourseCoupons.Where(c => c.Code == code).ExecuteUpdateAsync(s => s.SetProperty(c => c.Redemptions, c => c.Redemptions + 1), cancellationToken);
        }

        await AffiliateLedger.EarnForEnrollmentAsync(db, enrollment.Id, sessionId, amountTotalCents, paidAt, cancellationToken);
        return "enrolment paid";
    }
}
