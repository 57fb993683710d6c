using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Portal.Billing.Stripe;
using Portal.Data.Entities;
using Portal.Domain.Affiliates;
using Portal.Domain.Courses;
using Portal.Web.Public;
using Portal.Web.Public.Courses;

namespace Portal.Web.Endpoints;

/// <summary>
/// The public site's form posts and downloads: course enrolment (to Stripe Checkout, one-time price), the student's
/// lesson completion, quizzes, certificate PDF, session calendar (ICS) and lesson files, the affiliate application and the
/// admin's payout CSV. Pages are static server-rendered; each post answers with a redirect (post/redirect/get).
/// </summary>
public static class PublicSiteEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapPublicSiteEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/courses/{slug}/enroll", EnrollAsync).WithTags("Courses").AllowAnonymous();
        var learn = app.MapGroup("/learn/{token}").WithTags("Courses").AllowAnonymous();
        learn.MapPost("/lessons/{lessonId:guid}/complete", CompleteLessonAsync);
        // Not the quiz page's own path: a static page also answers form posts there, and the two would be ambiguous.
        learn.MapPost("/weeks/{weekId:guid}/quiz/answers", SubmitQuizAsync);
        learn.MapGet("/certificate.pdf", CertificateAsync);
        learn.MapGet("/sessions.ics", CalendarAsync);
        learn.MapGet("/lessons/{lessonId:guid}/file", LessonFileAsync);
        app.MapPost("/affiliates/apply", ApplyAsync).WithTags("Affiliates").RequireAuthorization();
        app.MapGet("/admin/affiliates/payouts.csv", PayoutsCsvAsync).WithTags("Affiliates").RequireAuthorization(Policies.PlatformAdmin);
        return app;
    }

    private static async Task<IResult> EnrollAsync(
        string slug, [FromForm] Guid tierId, [FromForm] string? name, [FromForm] string? email, [FromForm] string? coupon,
        HttpContext context, CourseEnrollments enrollments, CourseCatalog catalog, StripeGateway stripe, AffiliateTracking tracking, ReferralCookie cookie, CancellationToken ct)
    {
        var back = $"/courses/{Uri.EscapeDataString(slug)}";
        Enrollment enrollment;
        try
        {
            enrollment = await enrollments.StartAsync(slug, tierId, name ?? "", email ?? "", coupon, ct);
        }
        catch (ArgumentException ex)
        {
            return Results.Redirect($"{back}?error={Uri.EscapeDataString(ex.Message.Split(" (Parameter", 2)[0])}#enroll");
        }

        var touch = context.Items[ReferralTracking.CurrentTouchKey] as AttributionTouch ?? cookie.Read(context.Request);
        await tracking.AttributeEnrollmentAsync(touch, enrollment.Id, enrollment.Email, ct);
        switch (enrollment.Status)
        {
            case EnrollmentStatus.Waitlisted:
                return Results.Redirect($"{back}/waitlist");
            case EnrollmentStatus.Active:
                return Results.Redirect($"/learn/{enrollment.AccessToken}");
        }

        if (!stripe.IsConfigured)
        {
            await enrollments.AbandonAsync(enrollment.Id, ct);
            return Results.Redirect($"{back}?error={Uri.EscapeDataString("Online payment is not configured on this server (Stripe is not set up). Nothing was charged.")}#enroll");
        }

        var course = await catalog.GetAsync(slug, ct);
        var tier = course!.Tiers.First(t => t.Id == enrollment.TierId);
        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        var (sessionId, url) = await stripe.CreatePaymentCheckoutAsync(enrollment.Id, enrollment.Email, $"{course.Title} · {tier.Name}", enrollment.PriceCents,
            $"{origin}/learn/{enrollment.AccessToken}?paid=true", $"{origin}{back}#enroll", ct);
        await enrollments.AttachCheckoutAsync(enrollment.Id, sessionId, ct);
        // Answer with a page that moves on to Checkout (not a redirect): the form's CSP form-action stays 'self'.
        var safe = WebUtility.HtmlEncode(url);
        return Results.Content($"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={safe}">
            <title>Taking you to secure payment · Portal</title></head><body>
            <p>Taking you to secure payment… <a href="{safe}" id="continue-to-payment">Continue to payment</a></p></body></html>
            """, "text/html; charset=utf-8");
    }

    private static async Task<IResult> CompleteLessonAsync(string token, Guid lessonId, StudentArea area, CancellationToken ct)
    {
        if (!await area.CompleteLessonAsync(token, lessonId, ct))
        {
            return Results.NotFound();
        }

        var view = (await area.OpenAsync(token, ct))!;
        var lessons = view.Course.Weeks.SelectMany(w => w.Lessons.Select(l => (Week: w, Lesson: l))).ToList();
        var index = lessons.FindIndex(x => x.Lesson.Id == lessonId);
        var week = lessons[index].Week;
        // After a week's last lesson comes its quiz; otherwise the next lesson; at the end, the overview.
        if (week.Questions.Count > 0 && week.Lessons[^1].Id == lessonId && !view.PassedWeeks.Contains(week.Id))
        {
            return Results.Redirect($"/learn/{token}/weeks/{week.Id}/quiz");
        }

        return Results.Redirect(index + 1 < lessons.Count ? $"/learn/{token}/lessons/{lessons[index + 1].Lesson.Id}" : $"/learn/{token}");
    }

    private static async Task<IResult> SubmitQuizAsync(string token, Guid weekId, HttpRequest request, StudentArea area, CancellationToken ct)
    {
        var form = await request.ReadFormAsync(ct);
        var answers = new List<int>();
        for (var i = 0; form.TryGetValue($"q{i}", out var value); i++)
        {
            if (!int.TryParse(value, out var choice))
            {
                return Results.Redirect($"/learn/{token}/weeks/{weekId}/quiz?error=true");
            }

            answers.Add(choice);
        }

        try
        {
            var result = await area.SubmitQuizAsync(token, weekId, answers, ct);
            return result is null
                ? Results.NotFound()
                : Results.Redirect($"/learn/{token}/weeks/{weekId}/quiz?score={result.Correct}&of={result.Total}&passed={(result.Passed ? "true" : "false")}");
        }
        catch (ArgumentException)
        {
            return Results.Redirect($"/learn/{token}/weeks/{weekId}/quiz?error=true");
        }
    }

    private static async Task<IResult> CertificateAsync(string token, HttpContext context, StudentArea area, CertificatePdf pdf, CancellationToken ct)
    {
        var view = await area.OpenAsync(token, ct);
        if (view?.Certificate is not { } certificate)
        {
            return Results.NotFound();
        }

        var url = CertificatePdf.VerificationUrl(new Uri($"{context.Request.Scheme}://{context.Request.Host}"), certificate.CredentialId);
        return Results.File(pdf.Render(certificate, url), "application/pdf", $"certificate-{certificate.CredentialId}.pdf");
    }

    private static async Task<IResult> CalendarAsync(string token, StudentArea area, CancellationToken ct)
    {
        var view = await area.OpenAsync(token, ct);
        return view?.Cohort is { } cohort
            ? Results.File(Encoding.UTF8.GetBytes(CohortCalendar.ToIcs(view.Course.Title, cohort)), "text/calendar; charset=utf-8", $"cohort-{cohort.Number}-sessions.ics")
            : Results.NotFound();
    }

    private static async Task<IResult> LessonFileAsync(string token, Guid lessonId, StudentArea area, CancellationToken ct)
    {
        var view = await area.OpenAsync(token, ct);
        var lesson = view?.Course.Weeks.SelectMany(w => w.Lessons).FirstOrDefault(l => l.Id == lessonId);
        return lesson is { FileName: { } fileName, FileContent: { } content }
            ? Results.File(content, fileName.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? "text/markdown; charset=utf-8" : "application/octet-stream", fileName)
            : Results.NotFound();
    }

    private static async Task<IResult> ApplyAsync(
        [FromForm] string? name, [FromForm] string? audience, [FromForm] PayoutMethod payoutMethod, [FromForm] string? payoutAccount,
        ClaimsPrincipal user, AffiliateApplications applications, CancellationToken ct)
    {
        if (!Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return Results.Unauthorized();
        }

        try
        {
            await applications.ApplyAsync(userId, name ?? "", user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "", audience ?? "", payoutMethod, payoutAccount ?? "", ct);
            return Results.Redirect("/affiliates/portal");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return Results.Redirect($"/affiliates?error={Uri.EscapeDataString(ex.Message.Split(" (Parameter", 2)[0])}#apply");
        }
    }

    private static async Task<IResult> PayoutsCsvAsync(AffiliateLedger ledger, TimeProvider clock, CancellationToken ct) =>
        Results.File(Encoding.UTF8.GetBytes(await ledger.PayoutsDueCsvAsync(ct)), "text/csv; charset=utf-8", $"affiliate-payouts-{clock.GetUtcNow():yyyy-MM-dd}.csv");
}
