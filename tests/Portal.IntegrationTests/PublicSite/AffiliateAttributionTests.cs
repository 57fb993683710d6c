using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entities;
using Portal.Domain.Affiliates;

namespace Portal.IntegrationTests.PublicSite;

/// <summary>Attribution rules through the real pipeline: first touch kept, 90-day expiry on the app's fake clock, sign-up attributed, no self-referral.</summary>
public sealed partial class AffiliateAttributionTests(PublicSiteFactory app) : IClassFixture<PublicSiteFactory>
{
    private HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<string> SignUpLinkAsync(HttpClient browser, string path = "/pricing") =>
        SignUpHref().Match(await browser.GetStringAsync(path)).Groups[1].Value;

    [Fact]
    public void Rules_FirstTouchKeptWhileLive_ReplacedAfterNinetyDays()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var first = new AttributionTouch("alpha", t0, "newsletter", null, null);
        var later = new AttributionTouch("beta", t0.AddDays(10), null, null, null);
        Assert.Same(first, AttributionRules.Choose(first, later, t0.AddDays(10)));
        Assert.Same(first, AttributionRules.Choose(first, null, t0.AddDays(89)));
        Assert.True(AttributionRules.IsLive(first, t0.AddDays(90).AddSeconds(-1)));
        Assert.False(AttributionRules.IsLive(first, t0.AddDays(90)));
        var afterExpiry = later with { At = t0.AddDays(91) };
        Assert.Same(afterExpiry, AttributionRules.Choose(first, afterExpiry, t0.AddDays(91)));
    }

    [Fact]
    public void Rules_SelfReferral_SameUserFingerprintAndCompanyDomain()
    {
        var affiliate = Guid.NewGuid();
        string[] cards = ["fp_card_1"];
        Assert.Equal(SelfReferral.SameUser, AttributionRules.Check(affiliate, "a@agency.example", cards, affiliate, "other@x.example", null));
        Assert.Equal(SelfReferral.SamePaymentFingerprint, AttributionRules.Check(affiliate, "a@agency.example", cards, Guid.NewGuid(), "b@other.example", "fp_card_1"));
        Assert.Equal(SelfReferral.SameEmailDomain, AttributionRules.Check(affiliate, "a@agency.example", cards, Guid.NewGuid(), "owner@AGENCY.example", "fp_card_2"));
        Assert.Equal(SelfReferral.None, AttributionRules.Check(affiliate, "a@gmail.com", cards, Guid.NewGuid(), "b@gmail.com", null));
        Assert.Equal(SelfReferral.None, AttributionRules.Check(affiliate, "a@agency.example", cards, Guid.NewGuid(), "b@client.example", null));
    }

    [Fact]
    public async Task Visit_FirstTouchKept_LaterDifferentRefIgnored_ExpiresAfterNinetyDays()
    {
        var first = await app.CreateAffiliateAsync($"first-{Guid.NewGuid():N}@affiliates.example");
        var second = await app.CreateAffiliateAsync($"second-{Guid.NewGuid():N}@partners.example");
        var browser = Browser();

        var landing = await browser.GetAsync($"/?ref={first.Code}&utm_source=youtube&utm_campaign=spring");
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Contains(landing.Headers.GetValues("Set-Cookie"), c => c.StartsWith("portal_ref=", StringComparison.Ordinal));
        Assert.Equal($"/Account/Register?ref={first.Code}", await SignUpLinkAsync(browser));

        // A later, different link does not replace the live first touch.
        var other = await browser.GetAsync($"/pricing?ref={second.Code}");
        Assert.False(other.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith("portal_ref=", StringComparison.Ordinal)));
        Assert.Equal($"/Account/Register?ref={first.Code}", await SignUpLinkAsync(browser));

        // 91 days later the first touch has expired; the next link wins.
        // (The fake clock cannot go back; the other tests of this class do not depend on the date.)
        app.Clock.Advance(TimeSpan.FromDays(91));
        Assert.Equal("/Account/Register", await SignUpLinkAsync(browser));
        await browser.GetAsync($"/pricing?ref={second.Code}");
        Assert.Equal($"/Account/Register?ref={second.Code}", await SignUpLinkAsync(browser));

        var clicks = await app.DbAsync(db => db.AffiliateClicks.Where(c => c.AffiliateId == first.Id).ToListAsync());
        var click = Assert.Single(clicks);
        Assert.Equal("youtube", click.UtmSource);
        Assert.Equal("spring", click.UtmCampaign);
    }

    [Fact]
    public async Task Visit_UnknownOrUnapprovedCode_SetsNoCookie()
    {
        var browser = Browser();
        var response = await browser.GetAsync("/?ref=nosuchcode");
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith("portal_ref=", StringComparison.Ordinal)));
        Assert.Equal("/Account/Register", await SignUpLinkAsync(browser));
    }

    [Fact]
    public async Task SignUp_ThroughAffiliateLink_IsAttributedWithUtm_SelfReferralIsNot()
    {
        var affiliate = await app.CreateAffiliateAsync($"aff-{Guid.NewGuid():N}@agency-{Guid.NewGuid():N}.example");
        var browser = Browser();
        await browser.GetAsync($"/?ref={affiliate.Code}&utm_source=blog");
        var email = $"owner-{Guid.NewGuid():N}@clinic.example";
        await RegisterAsync(browser, email);
        var referral = await app.DbAsync(db => db.AffiliateReferrals.SingleAsync(r => r.Email == email));
        Assert.Equal(affiliate.Id, referral.AffiliateId);
        Assert.Equal(ReferralKind.SignUp, referral.Kind);
        Assert.Equal("blog", referral.UtmSource);
        Assert.Equal(SelfReferral.None, referral.Flag);

        // The affiliate's own user is never attributed to themselves.
        await using var scope = app.Services.CreateAsyncScope();
        var tracking = scope.ServiceProvider.GetRequiredService<AffiliateTracking>();
        var touch = new AttributionTouch(affiliate.Code, app.Clock.GetUtcNow(), null, null, null);
        Assert.Null(await tracking.AttributeSignUpAsync(touch, affiliate.UserId, affiliate.Email, CancellationToken.None));
        // Same company domain: attributed but flagged for the admin.
        var colleague = await tracking.AttributeSignUpAsync(touch, Guid.NewGuid(), "colleague@" + AttributionRules.DomainOf(affiliate.Email), CancellationToken.None);
        Assert.Equal(SelfReferral.SameEmailDomain, colleague!.Flag);
    }

    private static async Task RegisterAsync(HttpClient browser, string email)
    {
        var page = await browser.GetStringAsync("/Account/Register");
        var token = Antiforgery().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.DisplayName"] = "Clinic Owner",
            ["Input.Email"] = email,
            ["Input.Password"] = "Test!Passw0rd",
        });
        var response = await browser.PostAsync("/Account/Register", form);
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther, $"Register: {(int)response.StatusCode}");
    }

    [GeneratedRegex("<a class=\"btn btn-small\" href=\"([^\"]+)\">Start free</a>")]
    private static partial Regex SignUpHref();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
