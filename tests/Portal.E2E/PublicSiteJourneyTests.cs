using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Billing;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Affiliates;
using Portal.Domain.Courses;
using Portal.Domain.Seeding;
using Portal.IntegrationTests.Infrastructure;
using UglyToad.PdfPig;

namespace Portal.E2E;

/// <summary>
/// The public site as a new visitor meets it, in Chromium against the real server and the fake Stripe (hosted Checkout
/// and signed webhooks): the landing page (with the demo business's chat), pricing's annual/monthly toggle, the course
/// from enrolment and payment to the certificate verified in another browser; and the affiliate programme from a referral
/// link to a sign-up, a paid invoice's 20 % commission in the affiliate's portal and its reversal by a refund.
/// Screenshots of the public pages go to <c>docs/screenshots</c> (desktop, and the landing and pricing pages at 390 px).
/// </summary>
public sealed partial class PublicSiteJourneyTests(BillingBrowserFixture app) : IClassFixture<BillingBrowserFixture>
{
    private async Task<IPage> VisitorAsync(int width = 1280, int height = 900)
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.ServerAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(BrowserFixture.WaitTimeoutMs); // a wait for a condition: long only when it fails
        return await context.NewPageAsync();
    }

    private static Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(BillingBrowserFixture.Screenshots, $"public-{name}.png"), FullPage = true });

    private static async Task AssertNoSidewaysScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{page.Url} scrolls sideways at {page.ViewportSize?.Width} px");

    [Fact]
    public async Task Visitor_ReadsLandingAndPricing_EnrolsAndPays_CompletesTheCourse_AndASecondBrowserVerifiesTheCertificate()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(includeDemo: true, CancellationToken.None);
        }

        var page = await VisitorAsync();
        try
        {
            // Landing: what Portal does, the demo agent's number, and its chat (the demo business's widget) answering.
            await page.GotoAsync("/");
            await BrowserFixture.Expect(page.Locator("h1")).ToHaveTextAsync("Every call answered. Every booking made.");
            await BrowserFixture.Expect(page.Locator("[data-testid=call-demo]")).ToContainTextAsync("+12125550100");
            await page.Locator("[data-testid=try-chat]").ClickAsync();
            await page.Locator("[data-portal-widget] .panel:not([hidden]) textarea").FillAsync("What are your opening hours?");
            var greeted = await page.Locator("[data-portal-widget] .msg.agent").CountAsync();
            await page.Locator("[data-portal-widget] textarea").PressAsync("Enter");
            await page.WaitForFunctionAsync($"() => document.querySelector('[data-portal-widget]').shadowRoot.querySelectorAll('.msg.agent').length > {greeted}");
            await page.Locator("[data-portal-widget] .x").ClickAsync();
            await Shot(page, "landing");

            // Pricing: annual by default; the toggle shows the monthly prices instead.
            await page.ClickAsync("nav >> text=Pricing");
            var annual = page.Locator("[data-testid=price-annual-Growth]");
            var monthly = page.Locator("[data-testid=price-monthly-Growth]");
            await BrowserFixture.Expect(annual).ToBeVisibleAsync();
            await BrowserFixture.Expect(monthly).ToBeHiddenAsync();
            var annualText = await annual.InnerTextAsync();
            await Shot(page, "pricing");
            await page.ClickAsync("[data-testid=toggle-monthly]");
            await BrowserFixture.Expect(monthly).ToBeVisibleAsync();
            await BrowserFixture.Expect(annual).ToBeHiddenAsync();
            Assert.NotEqual(annualText, await monthly.InnerTextAsync());
            await page.ClickAsync("[data-testid=toggle-annual]");
            await BrowserFixture.Expect(annual).ToBeVisibleAsync();

            // The course: catalogue → course page → enrol → the fake Stripe's hosted Checkout → the student's area.
            await page.ClickAsync("nav >> text=Course");
            await page.ClickAsync("text=View the course");
            await BrowserFixture.WaitForUrlAsync(page, url => url.EndsWith("/courses/" + CourseSeeder.Slug, StringComparison.Ordinal));
            await BrowserFixture.Expect(page.Locator("h3", new() { HasTextString = "Week 6" })).ToBeVisibleAsync();
            await Shot(page, "course");
            var name = "Ada Lovelace " + Guid.NewGuid().ToString("N")[..6];
            var email = $"ada-{Guid.NewGuid():N}@students.example";
            await page.FillAsync("#name", name);
            await page.FillAsync("#email", email);
            await page.ClickAsync("[data-testid=enroll-submit]");
            await BrowserFixture.WaitForUrlAsync(page, url => url.StartsWith(app.Stripe.BaseUrl + "checkout/cs_test_", StringComparison.Ordinal));
            await page.ClickAsync("#pay");
            await BrowserFixture.WaitForUrlAsync(page, new Regex("/learn/[^/?]+\\?paid=true$"));
            await BrowserFixture.Expect(page.Locator("[data-testid=progress]")).ToContainTextAsync("0 % complete");
            var token = new Uri(page.Url).Segments[^1].TrimEnd('/');

            // Every lesson marked complete and every weekly quiz passed, in the browser.
            StudentView view;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                view = (await scope.ServiceProvider.GetRequiredService<StudentArea>().OpenAsync(token, CancellationToken.None))!;
            }

            var first = view.Course.Weeks[0].Lessons[0];
            await page.ClickAsync($"a[href='/learn/{token}/lessons/{first.Id}']");
            await BrowserFixture.Expect(page.Locator("article h1")).ToHaveTextAsync(first.Title);
            await Shot(page, "lesson");
            foreach (var week in view.Course.Weeks)
            {
                foreach (var lesson in week.Lessons)
                {
                    await page.GotoAsync($"/learn/{token}/lessons/{lesson.Id}");
                    await page.ClickAsync("[data-testid=complete-lesson]");
                    await BrowserFixture.WaitForUrlAsync(page, url => !url.EndsWith($"/lessons/{lesson.Id}", StringComparison.Ordinal));
                }

                if (week.Questions.Count > 0)
                {
                    await page.GotoAsync($"/learn/{token}/weeks/{week.Id}/quiz");
                    for (var i = 0; i < week.Questions.Count; i++)
                    {
                        await page.CheckAsync($"input[name=q{i}][value='{week.Questions[i].CorrectOption}']");
                    }

                    await page.ClickAsync("[data-testid=submit-quiz]");
                    await BrowserFixture.Expect(page.Locator("[data-testid=quiz-result]")).ToContainTextAsync("Passed.");
                }
            }

            await page.GotoAsync($"/learn/{token}");
            await BrowserFixture.Expect(page.Locator("[data-testid=progress]")).ToContainTextAsync("100 % complete");
            var credentialId = await page.Locator("[data-testid=credential-id]").InnerTextAsync();
            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=download-certificate]"));
            var pdfPath = Path.Combine(Path.GetTempPath(), $"certificate-{Guid.NewGuid():N}.pdf");
            await download.SaveAsAsync(pdfPath);
            using (var pdf = PdfDocument.Open(pdfPath))
            {
                var text = string.Join(" ", pdf.GetPage(1).GetWords().Select(w => w.Text)) + "\n" + pdf.GetPage(1).Text;
                Assert.Contains(credentialId, text, StringComparison.Ordinal);
                Assert.Contains(name, text, StringComparison.Ordinal);
            }

            File.Delete(pdfPath);

            // Anyone (another browser, no cookies) verifies it at its public URL.
            var stranger = await VisitorAsync();
            await stranger.GotoAsync($"/certificates/{credentialId}");
            await BrowserFixture.Expect(stranger.Locator("[data-testid=verify-status]")).ToHaveTextAsync("Valid certificate");
            await BrowserFixture.Expect(stranger.Locator("[data-testid=verify-name]")).ToHaveTextAsync(name);
            await Shot(stranger, "certificate-verification");
            await stranger.GotoAsync("/certificates/PAS-NOPE-NOPE-NOPE");
            await BrowserFixture.Expect(stranger.Locator("[data-testid=verify-status]")).ToHaveTextAsync("Certificate not found");
            // The not-found page goes interactive; its words must survive that render too (it has no request there).
            await stranger.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await BrowserFixture.Expect(stranger.Locator("[data-testid=verify-status]")).ToHaveTextAsync("Certificate not found");
            await BrowserFixture.Expect(stranger.Locator("main")).ToContainTextAsync("PAS-NOPE-NOPE-NOPE");

            // On a phone (390 px wide) the landing and pricing pages fit the screen.
            var phone = await VisitorAsync(390, 844);
            foreach (var (path, shot) in new[] { ("/", "landing-mobile"), ("/pricing", "pricing-mobile") })
            {
                await phone.GotoAsync(path);
                await AssertNoSidewaysScrollAsync(phone);
                await Shot(phone, shot);
            }
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "public-journey-failure.png"), FullPage = true });
            throw;
        }
    }

    [Fact]
    public async Task AffiliateLink_SignUp_PaidInvoiceEarnsTwentyPercentInThePortal_RefundReversesIt()
    {
        var affiliateEmail = $"partner-{Guid.NewGuid():N}@affiliates.example";
        var code = await CreateAffiliateAsync(affiliateEmail);

        // A visitor arrives through the affiliate's link and signs up from the landing page's call to action.
        var visitor = await VisitorAsync();
        await visitor.GotoAsync($"/?ref={code}&utm_source=e2e");
        await visitor.ClickAsync("[data-testid=cta-signup]");
        await BrowserFixture.WaitForUrlAsync(visitor, url => url.Contains("/Account/Register", StringComparison.Ordinal));
        var ownerEmail = $"owner-{Guid.NewGuid():N}@clinic.example";
        await visitor.FillAsync("#name", "Riley Owner");
        await visitor.FillAsync("#email", ownerEmail);
        await visitor.FillAsync("#password", PortalAppFactory.Password);
        await visitor.ClickAsync("button[type=submit]");
        await visitor.Locator("[data-testid=register-confirmation]").WaitForAsync();

        // The new owner creates the business (onboarding's first step).
        await visitor.GotoAsync("/Account/Login");
        await visitor.FillAsync("#email", ownerEmail);
        await visitor.FillAsync("#password", PortalAppFactory.Password);
        await visitor.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(visitor, new Regex("/onboarding$"));
        await visitor.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await visitor.FillAsync("#business-name", "Referred Smiles Dental");
        await visitor.FillAsync("#business-address", "7 Referral Road, Brooklyn, NY 11201");
        await visitor.Locator("[data-testid=template-services]").WaitForAsync();
        await visitor.ClickAsync("[data-testid=wizard-next]");
        await visitor.Locator("[data-testid=pick-number]").First.WaitForAsync();
        var tenantId = await DbAsync(db => db.Users.Where(u => u.Email == ownerEmail).Select(u => u.TenantId).SingleAsync());
        Assert.NotNull(tenantId);
        var referral = await DbAsync(db => db.AffiliateReferrals.SingleAsync(r => r.Email == ownerEmail));
        Assert.Equal("e2e", referral.UtmSource);

        // The business subscribes through Checkout; the next month's invoice (paid, $199) earns 20 % for the affiliate.
        var checkout = await app.InTenantAsync(tenantId.Value, sp => sp.GetRequiredService<BillingService>()
            .StartCheckoutAsync(Plan.Growth, app.ServerAddress + "billing?checkout=success", app.ServerAddress + "billing", CancellationToken.None));
        await app.Stripe.CompleteCheckoutAsync(new Uri(checkout!).Segments[^1]);
        var customer = await DbAsync(db => db.BillingAccounts.IgnoreQueryFilters().Where(a => a.TenantId == tenantId).Select(a => a.StripeCustomerId!).SingleAsync());
        var invoice = (string)(await app.Stripe.PayInvoiceAsync(customer, 19_900))["id"]!;
        Assert.All(app.Stripe.Webhooks.Responses, status => Assert.Equal(200, status));

        var affiliate = await VisitorAsync();
        await affiliate.GotoAsync("/Account/Login");
        await affiliate.FillAsync("#email", affiliateEmail);
        await affiliate.FillAsync("#password", PortalAppFactory.Password);
        await affiliate.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(affiliate, url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        await affiliate.GotoAsync("/affiliates/portal");
        await BrowserFixture.Expect(affiliate.Locator("[data-testid=stat-signups]")).ToHaveTextAsync("1");
        await BrowserFixture.Expect(affiliate.Locator("[data-testid=stat-conversions]")).ToHaveTextAsync("1");
        await BrowserFixture.Expect(affiliate.Locator("[data-testid=stat-pending]")).ToHaveTextAsync("$39.80");
        await BrowserFixture.Expect(affiliate.Locator("[data-testid=commission-status]")).ToHaveTextAsync("Pending");
        await Shot(affiliate, "affiliate-portal");

        // A full refund of that invoice reverses the commission.
        await app.Stripe.RefundInvoiceAsync(invoice, 19_900);
        await affiliate.ReloadAsync();
        await BrowserFixture.Expect(affiliate.Locator("[data-testid=commission-status]")).ToHaveTextAsync("Reversed");
        await BrowserFixture.Expect(affiliate.Locator("[data-testid=stat-pending]")).ToHaveTextAsync("$0");
    }

    private async Task<string> CreateAffiliateAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Pat Partner" };
        Assert.True((await users.CreateAsync(user, PortalAppFactory.Password)).Succeeded);
        var applications = scope.ServiceProvider.GetRequiredService<AffiliateApplications>();
        var affiliate = await applications.ApplyAsync(user.Id, "Pat Partner", email, "A newsletter for dental practices", PayoutMethod.PayPal, email, CancellationToken.None);
        await applications.DecideAsync(affiliate.Id, true, DateTimeOffset.UtcNow, CancellationToken.None);
        return (await applications.ForUserAsync(user.Id, CancellationToken.None))!.Code;
    }

    private async Task<T> DbAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }
}
