using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Affiliates;

/// <summary>What a referral visit did.</summary>
public enum AffiliateVisitOutcome
{
    /// <summary>Counted: the code is approved and the visitor within limits.</summary>
    Counted,

    /// <summary>The same visitor came through the same affiliate in the last day: not counted again, cookie rules still apply.</summary>
    Repeat,

    /// <summary>Unknown, unapproved, or over the stuffing limit: ignored, no cookie.</summary>
    Ignored,
}

/// <summary>
/// Counts affiliate link visits and attributes sign-ups and enrolments to the first touch. Cookie-stuffing limits: a
/// visit is counted (and may set the cookie) only for an approved code, at most once a day per visitor and affiliate,
/// and a visitor arriving through more than <see cref="MaxCodesPerVisitorPerDay"/> different codes in a day is ignored.
/// </summary>
public sealed class AffiliateTracking(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider)
{
    /// <summary>Most different affiliates one visitor may arrive through in 24 hours before further codes are ignored.</summary>
    public const int MaxCodesPerVisitorPerDay = 3;

    /// <summary>Records a visit through <paramref name="touch"/>'s code.</summary>
    /// <param name="touch">The visit (code, UTM, time).</param>
    /// <param name="visitorHash">SHA-256 hex of the visitor's address and user agent.</param>
    /// <param name="path">Page landed on.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<AffiliateVisitOutcome> RecordVisitAsync(AttributionTouch touch, string visitorHash, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(touch);
        if (!AttributionRules.IsWellFormedCode(touch.Code))
        {
            return AffiliateVisitOutcome.Ignored;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var affiliateId = await db.Affiliates.Where(a => a.Code == touch.Code && a.Status == AffiliateStatus.Approved).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(cancellationToken);
        if (affiliateId is not { } id)
        {
            return AffiliateVisitOutcome.Ignored;
        }

        var since = timeProvider.GetUtcNow().AddDays(-1);
        var recent = await db.AffiliateClicks.Where(c => c.VisitorHash == visitorHash && c.At >= since).Select(c => c.AffiliateId).Distinct().ToListAsync(cancellationToken);
        if (recent.Contains(id))
        {
            return AffiliateVisitOutcome.Repeat;
        }

        if (recent.Count >= MaxCodesPerVisitorPerDay)
        {
            return AffiliateVisitOutcome.Ignored;
        }

        db.AffiliateClicks.Add(new AffiliateClick
        {
            AffiliateId = id, At = timeProvider.GetUtcNow(), VisitorHash = visitorHash, Path = Cut(path, 200),
            UtmSource = CutOrNull(touch.UtmSource), UtmMedium = CutOrNull(touch.UtmMedium), UtmCampaign = CutOrNull(touch.UtmCampaign),
        });
        await db.SaveChangesAsync(cancellationToken);
        return AffiliateVisitOutcome.Counted;
    }

    /// <summary>
    /// Attributes a new user's sign-up to the first touch, when it is live and its affiliate approved. The same user as the
    /// affiliate is never attributed; a same-domain email is attributed but flagged for the admin.
    /// </summary>
    /// <returns>The referral, or null when nothing was attributed.</returns>
    public Task<AffiliateReferral?> AttributeSignUpAsync(AttributionTouch? touch, Guid userId, string email, CancellationToken cancellationToken) =>
        AttributeAsync(touch, ReferralKind.SignUp, userId, null, email, cancellationToken);

    /// <summary>Attributes a course enrolment to the first touch (same rules as sign-ups).</summary>
    /// <returns>The referral, or null when nothing was attributed.</returns>
    public Task<AffiliateReferral?> AttributeEnrollmentAsync(AttributionTouch? touch, Guid enrollmentId, string email, CancellationToken cancellationToken) =>
        AttributeAsync(touch, ReferralKind.Enrollment, null, enrollmentId, email, cancellationToken);

    private async Task<AffiliateReferral?> AttributeAsync(AttributionTouch? touch, ReferralKind kind, Guid? userId, Guid? enrollmentId, string email, CancellationToken ct)
    {
        var now = timeProvider.GetUtcNow();
        if (touch is null || !AttributionRules.IsLive(touch, now) || !AttributionRules.IsWellFormedCode(touch.Code))
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(ct);
        var affiliate = await db.Affiliates.FirstOrDefaultAsync(a => a.Code == touch.Code && a.Status == AffiliateStatus.Approved, ct);
        if (affiliate is null)
        {
            return null;
        }

        var fingerprints = Array.Empty<string>();
        var flag = AttributionRules.Check(affiliate.UserId, affiliate.Email, fingerprints, userId, email, null);
        if (flag == SelfReferral.SameUser)
        {
            return null;
        }

        if ((userId is { } u && await db.AffiliateReferrals.AnyAsync(r => r.ReferredUserId == u, ct))
            || (enrollmentId is { } e && await db.AffiliateReferrals.AnyAsync(r => r.EnrollmentId == e, ct)))
        {
            return null; // first attribution stands
        }

        var referral = new AffiliateReferral
        {
            AffiliateId = affiliate.Id, Kind = kind, ReferredUserId = userId, EnrollmentId = enrollmentId, Email = Cut(email, 256), TouchAt = touch.At,
            UtmSource = CutOrNull(touch.UtmSource), UtmMedium = CutOrNull(touch.UtmMedium), UtmCampaign = CutOrNull(touch.UtmCampaign), Flag = flag,
        };
        db.AffiliateReferrals.Add(referral);
        await db.SaveChangesAsync(ct);
        return referral;
    }

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..max];

    private static string? CutOrNull(string? value) => string.IsNullOrWhiteSpace(value) ? null : Cut(value.Trim(), 100);
}
