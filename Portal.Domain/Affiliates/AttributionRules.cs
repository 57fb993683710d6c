using Portal.Data.Entities;

namespace Portal.Domain.Affiliates;

/// <summary>
/// One visit through an affiliate link: the referral code and the UTM parameters of the first visit
/// (https://en.wikipedia.org/wiki/UTM_parameters), and when it happened.
/// </summary>
/// <param name="Code">The affiliate's referral code.</param>
/// <param name="At">When the visit happened (UTC).</param>
/// <param name="UtmSource">utm_source, or null.</param>
/// <param name="UtmMedium">utm_medium, or null.</param>
/// <param name="UtmCampaign">utm_campaign, or null.</param>
public sealed record AttributionTouch(string Code, DateTimeOffset At, string? UtmSource, string? UtmMedium, string? UtmCampaign);

/// <summary>
/// The affiliate programme's attribution rules, pure: first-touch wins for <see cref="Window"/> (a later different code
/// does not replace a live one; an expired one is replaced), and the self-referral checks.
/// </summary>
public static class AttributionRules
{
    /// <summary>How long a referral visit keeps its claim: 90 days.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(90);

    /// <summary>Most characters of a referral code.</summary>
    public const int CodeMaxLength = Affiliate.CodeMaxLength;

    /// <summary>Mail providers anyone can use: sharing one of them is not a sign of self-referral.</summary>
    private static readonly HashSet<string> PublicMailDomains = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "icloud.com", "me.com",
        "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.net", "mail.com", "zoho.com", "yandex.com", "fastmail.com",
    };

    /// <summary>Whether <paramref name="touch"/> is still within the window at <paramref name="now"/>.</summary>
    public static bool IsLive(AttributionTouch touch, DateTimeOffset now) =>
        touch is not null && now >= touch.At && now - touch.At < Window;

    /// <summary>
    /// The touch to keep after a visit: the existing one while it is live (first touch), otherwise the incoming one.
    /// </summary>
    /// <param name="existing">The touch already recorded (the cookie), or null.</param>
    /// <param name="incoming">This visit's touch, or null when the visit carries no code.</param>
    /// <param name="now">Now.</param>
    public static AttributionTouch? Choose(AttributionTouch? existing, AttributionTouch? incoming, DateTimeOffset now) =>
        existing is not null && IsLive(existing, now) ? existing : incoming;

    /// <summary>Whether <paramref name="code"/> has the shape of a referral code (letters, digits, '-' and '_').</summary>
    public static bool IsWellFormedCode(string? code) =>
        !string.IsNullOrEmpty(code) && code.Length <= CodeMaxLength && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Checks a referral for self-referral.</summary>
    /// <param name="affiliateUserId">The affiliate's user.</param>
    /// <param name="affiliateEmail">The affiliate's email.</param>
    /// <param name="affiliateFingerprints">Payment method fingerprints seen on the affiliate's own payments.</param>
    /// <param name="referredUserId">The referred user, or null (a guest enrolment).</param>
    /// <param name="referredEmail">The referred email.</param>
    /// <param name="referredFingerprint">The referred payment's card fingerprint, or null.</param>
    /// <returns>The strongest sign found: same user first, then fingerprint, then domain.</returns>
    public static SelfReferral Check(
        Guid affiliateUserId, string affiliateEmail, IReadOnlyCollection<string> affiliateFingerprints,
        Guid? referredUserId, string? referredEmail, string? referredFingerprint)
    {
        ArgumentNullException.ThrowIfNull(affiliateFingerprints);
        if (referredUserId == affiliateUserId)
        {
            return SelfReferral.SameUser;
        }

        if (referredFingerprint is not null && affiliateFingerprints.Contains(referredFingerprint))
        {
            return SelfReferral.SamePaymentFingerprint;
        }

        var affiliateDomain = DomainOf(affiliateEmail);
        var referredDomain = DomainOf(referredEmail);
        return affiliateDomain is not null && !PublicMailDomains.Contains(affiliateDomain)
            && string.Equals(affiliateDomain, referredDomain, StringComparison.OrdinalIgnoreCase)
            ? SelfReferral.SameEmailDomain
            : SelfReferral.None;
    }

    /// <summary>The domain of an email address (after the last '@'), lower case, or null.</summary>
    public static string? DomainOf(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        return at < 0 || at == email!.Length - 1 ? null : email[(at + 1)..].Trim().ToLowerInvariant();
    }
}
