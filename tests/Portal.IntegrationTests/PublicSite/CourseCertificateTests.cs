using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entities;
using Portal.Domain.Courses;
using UglyToad.PdfPig;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;
using Portal.Domain.Seeding;

namespace Portal.IntegrationTests.PublicSite;

/// <summary>
/// The course end to end over HTTP with the fake Stripe: enrol (coupon, affiliate link), pay on the hosted page, complete
/// lessons and quizzes, download the certificate (PdfPig reads the text, ZXing decodes the QR code to the verification
/// URL), verify it, revoke it; the waitlist; an unknown credential id.
/// </summary>
public sealed partial class CourseCertificateTests(PublicSiteFactory app) : IClassFixture<PublicSiteFactory>
{
    private const string CoursePath = "/courses/" + CourseSeeder.Slug;

    private HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task Enrol_Pay_Complete_DownloadCertificate_VerifyAndRevoke()
    {
        var affiliate = await app.CreateAffiliateAsync($"course-{Guid.NewGuid():N}@affiliates.example");
        var browser = Browser();
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"{CoursePath}?ref={affiliate.Code}"));
        Assert.Contains("Week 6: Deployment + Operations", page, StringComparison.Ordinal);
        Assert.Contains("$797", page, StringComparison.Ordinal);
        var beta = TierId().Match(page).Groups[1].Value;
        var name = "Ada Lovelace " + Guid.NewGuid().ToString("N")[..6];
        var email = $"ada-{Guid.NewGuid():N}@students.example";

        // A wrong coupon changes nothing and says why.
        var bad = await EnrolAsync(browser, page, beta, name, email, "NOPE");
        Assert.Equal(HttpStatusCode.Redirect, bad.StatusCode);
        Assert.Contains("coupon", WebUtility.UrlDecode(bad.Headers.Location!.ToString()), StringComparison.OrdinalIgnoreCase);
        Assert.False(await app.DbAsync(db => db.Enrollments.AnyAsync(e => e.Email == email)));

        var response = await EnrolAsync(browser, page, beta, name, email, "launch20");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checkoutUrl = WebUtility.HtmlDecode(CheckoutLink().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value);
        Assert.StartsWith(new Uri(app.Stripe.BaseUrl, "/checkout/cs_test_").ToString(), checkoutUrl, StringComparison.Ordinal);
        var enrollment = await app.DbAsync(db => db.Enrollments.SingleAsync(e => e.Email == email));
        Assert.Equal(EnrollmentStatus.PendingPayment, enrollment.Status);
        Assert.Equal(79_700 - 15_940, enrollment.PriceCents);

        var success = new Uri(await app.Stripe.CompleteCheckoutAsync(new Uri(checkoutUrl).Segments[^1]));
        Assert.All(app.Stripe.Webhooks.Responses, s => Assert.Equal(200, s));
        Assert.Equal($"/learn/{enrollment.AccessToken}", success.AbsolutePath);
        enrollment = await app.DbAsync(db => db.Enrollments.SingleAsync(e => e.Email == email));
        Assert.Equal(EnrollmentStatus.Active, enrollment.Status);
        var commission = await app.DbAsync(db => db.AffiliateCommissions.SingleAsync(c => c.AffiliateId == affiliate.Id));
        Assert.Equal((long)Math.Round(enrollment.PriceCents * 0.2m, MidpointRounding.AwayFromZero), commission.CommissionCents);

        var learn = WebUtility.HtmlDecode(await browser.GetStringAsync(success.PathAndQuery));
        Assert.Contains("0 % complete", learn, StringComparison.Ordinal);
        var ics = await browser.GetStringAsync($"/learn/{enrollment.AccessToken}/sessions.ics");
        Assert.Equal(12, Regex.Count(ics, "BEGIN:VEVENT"));

        // Lesson 1 over HTTP: rendered Markdown with a code block, the video link, then "mark complete".
        var view = await StudentAsync(enrollment.AccessToken);
        var lesson1 = view.Course.Weeks[0].Lessons[0];
        var lessonHtml = await browser.GetStringAsync($"/learn/{enrollment.AccessToken}/lessons/{lesson1.Id}");
        Assert.Contains("<pre><code class=\"language-csharp\">", lessonHtml, StringComparison.Ordinal);
        Assert.Contains("Watch the video", lessonHtml, StringComparison.Ordinal);
        var done = await browser.PostAsync($"/learn/{enrollment.AccessToken}/lessons/{lesson1.Id}/complete", Form(lessonHtml));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);

        // Week 1's quiz over HTTP with wrong answers: scored, not passed (and it does not count).
        var week1 = view.Course.Weeks[0];
        var quizPath = $"/learn/{enrollment.AccessToken}/weeks/{week1.Id}/quiz";
        var quizHtml = await browser.GetStringAsync(quizPath);
        var answers = new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Antiforgery().Match(quizHtml).Groups[1].Value) };
        for (var i = 0; i < week1.Questions.Count; i++)
        {
            answers[$"q{i}"] = ((week1.Questions[i].CorrectOption + 1) % week1.Questions[i].Options.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var scored = await browser.PostAsync(Regex.Match(quizHtml, "<form method=\"post\" action=\"([^\"]+)\" class=\"quiz\"").Groups[1].Value, new FormUrlEncodedContent(answers));
        Assert.Equal(HttpStatusCode.Redirect, scored.StatusCode);
        Assert.Equal($"{quizPath}?score=0&of={week1.Questions.Count}&passed=false", scored.Headers.Location!.ToString());

        // The rest through the student area.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var area = scope.ServiceProvider.GetRequiredService<StudentArea>();
            foreach (var week in view.Course.Weeks)
            {
                foreach (var lesson in week.Lessons)
                {
                    Assert.True(await area.CompleteLessonAsync(enrollment.AccessToken, lesson.Id, CancellationToken.None));
                }

                Assert.True((await area.SubmitQuizAsync(enrollment.AccessToken, week.Id, week.Questions.Select(q => q.CorrectOption).ToList(), CancellationToken.None))!.Passed);
            }
        }

        var certificate = (await StudentAsync(enrollment.AccessToken)).Certificate!;
        Assert.Equal(name, certificate.RecipientName);
        Assert.Equal("Cohort 1", certificate.CohortLabel);
        var pdf = await browser.GetAsync($"/learn/{enrollment.AccessToken}/certificate.pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        using (var document = PdfDocument.Open(bytes))
        {
            var pdfPage = document.GetPage(1);
            // Words joined by spaces, and the raw letters, so neither word splitting nor spacing hides a value.
            var text = string.Join(" ", pdfPage.GetWords().Select(w => w.Text)) + "\n" + pdfPage.Text;
            Assert.Contains(name, text, StringComparison.Ordinal);
            Assert.Contains(certificate.CredentialId, text, StringComparison.Ordinal);
            Assert.Contains("Production AI Systems", text, StringComparison.Ordinal);
            Assert.Equal($"http://localhost/certificates/{certificate.CredentialId}", DecodeQr(pdfPage));
        }

        // A second visitor (no cookies) verifies it publicly; then the admin revokes it.
        var visitor = app.CreateClient();
        var verify = WebUtility.HtmlDecode(await visitor.GetStringAsync($"/certificates/{certificate.CredentialId}"));
        Assert.Contains("Valid certificate", verify, StringComparison.Ordinal);
        Assert.Contains(name, verify, StringComparison.Ordinal);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await Assert.ThrowsAsync<ArgumentException>(() => scope.ServiceProvider.GetRequiredService<CourseCatalog>().RevokeCertificateAsync(certificate.CredentialId, " ", CancellationToken.None));
            await scope.ServiceProvider.GetRequiredService<CourseCatalog>().RevokeCertificateAsync(certificate.CredentialId, "Plagiarised lab work", CancellationToken.None);
        }

        var revoked = WebUtility.HtmlDecode(await visitor.GetStringAsync($"/certificates/{certificate.CredentialId}"));
        Assert.Contains("Certificate revoked", revoked, StringComparison.Ordinal);
        Assert.Contains("Plagiarised lab work", revoked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionsIcs_ParsedByIcalNet_HasEachCohortSessionAtItsTime()
    {
        var code = "FREE" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await app.DbAsync(async db =>
        {
            db.CourseCoupons.Add(new CourseCoupon { Code = code, PercentOff = 100 });
            return await db.SaveChangesAsync();
        });
        var browser = Browser();
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync(CoursePath));
        var email = $"ics-{Guid.NewGuid():N}@students.example";
        // A 100 % coupon makes the enrolment active at once (nothing to pay): straight to the student's area.
        var response = await EnrolAsync(browser, page, TierId().Match(page).Groups[1].Value, "Katherine Johnson", email, code.ToLowerInvariant());
        var enrollment = await app.DbAsync(db => db.Enrollments.SingleAsync(e => e.Email == email));
        Assert.Equal($"/learn/{enrollment.AccessToken}", response.Headers.Location!.ToString());
        var sessions = await app.DbAsync(db => db.CohortSessions.Where(s => s.CohortId == enrollment.CohortId).OrderBy(s => s.StartsAt).ToListAsync());
        Assert.NotEmpty(sessions);

        var ics = await browser.GetAsync($"/learn/{enrollment.AccessToken}/sessions.ics");
        Assert.Equal("text/calendar", ics.Content.Headers.ContentType!.MediaType);
        var calendar = Ical.Net.Calendar.Load(await ics.Content.ReadAsStringAsync());

        Assert.NotNull(calendar);
        var events = calendar.Events.OrderBy(e => e.DtStart!.AsUtc).ToList();
        Assert.Equal(sessions.Count, events.Count);
        for (var i = 0; i < sessions.Count; i++)
        {
            Assert.Equal(sessions[i].StartsAt.UtcDateTime, events[i].DtStart!.AsUtc);
            Assert.Equal(sessions[i].StartsAt.AddMinutes(sessions[i].DurationMinutes).UtcDateTime, events[i].DtEnd!.AsUtc);
            Assert.Equal($"Production AI Systems: {sessions[i].Title}", events[i].Summary);
            Assert.Equal(sessions[i].Id + "@portal", events[i].Uid);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/learn/not-a-token/sessions.ics")).StatusCode);
    }

    [Fact]
    public async Task Verify_UnknownCredentialId_Says404AndNotFound()
    {
        var response = await app.CreateClient().GetAsync("/certificates/PAS-NOPE-NOPE-NOPE");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Certificate not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrol_WhenCohortIsFull_GoesOnTheWaitlist_AndIsNotCharged()
    {
        await app.DbAsync(db => db.CourseCohorts.ExecuteUpdateAsync(s => s.SetProperty(c => c.Capacity, 0)));
        try
        {
            var browser = Browser();
            var page = WebUtility.HtmlDecode(await browser.GetStringAsync(CoursePath));
            Assert.Contains("full: new enrolments join the waitlist", page, StringComparison.Ordinal);
            var email = $"wait-{Guid.NewGuid():N}@students.example";
            var response = await EnrolAsync(browser, page, TierId().Match(page).Groups[1].Value, "Grace Hopper", email, "");
            Assert.Equal($"{CoursePath}/waitlist", response.Headers.Location!.ToString());
            var enrollment = await app.DbAsync(db => db.Enrollments.SingleAsync(e => e.Email == email));
            Assert.Equal(EnrollmentStatus.Waitlisted, enrollment.Status);
            Assert.Null(enrollment.StripeSessionId);
        }
        finally
        {
            await app.DbAsync(db => db.CourseCohorts.ExecuteUpdateAsync(s => s.SetProperty(c => c.Capacity, 25)));
        }
    }

    private async Task<StudentView> StudentAsync(string token)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<StudentArea>().OpenAsync(token, CancellationToken.None))!;
    }

    private static Task<HttpResponseMessage> EnrolAsync(HttpClient browser, string page, string tierId, string name, string email, string coupon) =>
        browser.PostAsync(CoursePath + "/enroll", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery().Match(page).Groups[1].Value, ["tierId"] = tierId, ["name"] = name, ["email"] = email, ["coupon"] = coupon,
        }));

    private static FormUrlEncodedContent Form(string page) =>
        new(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Antiforgery().Match(page).Groups[1].Value) });

    /// <summary>Rasterizes the page's small black filled squares (the QR modules) and decodes them with ZXing.</summary>
    private static string? DecodeQr(UglyToad.PdfPig.Content.Page page)
    {
        var squares = page.Paths.Where(p => p.IsFilled && p.FillColor is { } c && c.ToRGBValues() == (0, 0, 0))
            .Select(p => p.GetBoundingRectangle()).Where(r => r is { } b && b.Width < 10 && b.Height < 10).Select(r => r!.Value).ToList();
        Assert.NotEmpty(squares);
        const int scale = 4, margin = 24;
        var left = squares.Min(r => r.Left);
        var bottom = squares.Min(r => r.Bottom);
        var width = (int)Math.Ceiling((squares.Max(r => r.Right) - left) * scale) + (2 * margin);
        var height = (int)Math.Ceiling((squares.Max(r => r.Top) - bottom) * scale) + (2 * margin);
        var pixels = Enumerable.Repeat((byte)255, width * height).ToArray();
        foreach (var r in squares)
        {
            for (var y = (int)Math.Round((r.Bottom - bottom) * scale); y < (int)Math.Round((r.Top - bottom) * scale); y++)
            {
                for (var x = (int)Math.Round((r.Left - left) * scale); x < (int)Math.Round((r.Right - left) * scale); x++)
                {
                    pixels[((height - 1 - margin - y) * width) + margin + x] = 0; // PDF y grows upwards
                }
            }
        }

        var source = new RGBLuminanceSource(pixels, width, height, RGBLuminanceSource.BitmapFormat.Gray8);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)))?.Text;
    }

    [GeneratedRegex("<input type=\"radio\" name=\"tierId\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex TierId();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("<a href=\"([^\"]+)\" id=\"continue-to-payment\"")]
    private static partial Regex CheckoutLink();
}
