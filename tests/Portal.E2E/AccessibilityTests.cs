using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Courses;
using Portal.Domain.Seeding;

namespace Portal.E2E;

/// <summary>
/// axe-core 4.10.3 (https://github.com/dequelabs/axe-core, vendored under Assets/axe with its MPL-2.0 licence) over every
/// sign-in, owner and admin page: any violation of impact "serious" or "critical" (WCAG 2.x A/AA rules and best practices,
/// https://dequeuniversity.com/rules/axe/4.10) fails the test with the rule, its impact and the offending elements.
/// </summary>
public sealed class AccessibilityTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static readonly string AxePath = Path.Combine(AppContext.BaseDirectory, "Assets", "axe", "axe.min.js");

    private async Task<IPage> NewPageAsync(int width = 1400, int height = 1000)
    {
        // The app's Content-Security-Policy allows no inline script; the test injects axe-core itself, so it bypasses CSP.
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.ServerAddress.ToString(), BypassCSP = true, ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(BrowserFixture.WaitTimeoutMs); // a wait for a condition: long only when it fails
        return await context.NewPageAsync();
    }

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(page, new Regex("/admin$|/$|/onboarding$"));
    }

    private static async Task<List<string>> SeriousViolationsAsync(IPage page, string path, bool interactive)
    {
        await page.GotoAsync(path);
        if (interactive)
        {
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        }

        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxePath });
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return JSON.stringify(result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', ')}`));
            }
            """);
        return [.. JsonSerializer.Deserialize<List<string>>(json)!.Select(v => $"{path}: {v}")];
    }

    [Fact]
    public async Task SignInPages_HaveNoSeriousViolations()
    {
        var page = await NewPageAsync();
        var violations = new List<string>();
        foreach (var path in new[] { "/Account/Login", "/Account/Register" })
        {
            violations.AddRange(await SeriousViolationsAsync(page, path, interactive: false));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task OwnerPages_HaveNoSeriousViolations()
    {
        var tenant = await app.CreateTenantAsync("Axe Dental");
        var page = await NewPageAsync();
        await SignInAsync(page, tenant.Email, tenant.Password);
        var violations = new List<string>();
        foreach (var path in new[] { "/", "/agent", "/business", "/knowledge", "/console", "/bookings", "/conversations" })
        {
            violations.AddRange(await SeriousViolationsAsync(page, path, interactive: true));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task AdminPages_HaveNoSeriousViolations()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, DemoSeeder.AdminEmail, DemoSeeder.DemoPassword);
        var violations = new List<string>();
        foreach (var path in new[] { "/admin", "/admin/tenants", "/admin/numbers", "/admin/numbers/buy", "/admin/agents", "/admin/audit", "/admin/health", "/admin/language-model", "/admin/outbox" })
        {
            violations.AddRange(await SeriousViolationsAsync(page, path, interactive: true));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Theory]
    [InlineData(1400, 1000)]
    [InlineData(390, 844)] // a phone
    public async Task PublicPages_HaveNoSeriousViolations_OnDesktopAndPhone(int width, int height)
    {
        var credentialId = await IssueCertificateAsync();
        var page = await NewPageAsync(width, height);
        var violations = new List<string>();
        foreach (var path in new[] { "/", "/pricing", "/courses", "/courses/" + CourseSeeder.Slug, "/certificates/" + credentialId, "/certificates/PAS-NOPE-NOPE-NOPE", "/affiliates", "/terms" })
        {
            violations.AddRange(await SeriousViolationsAsync(page, path, interactive: false));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    /// <summary>A certificate to verify: a free enrolment (100 % coupon) with every lesson and quiz done, through the student area.</summary>
    private async Task<string> IssueCertificateAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var code = "AXE" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await using (var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            db.CourseCoupons.Add(new CourseCoupon { Code = code, PercentOff = 100 });
            await db.SaveChangesAsync();
        }

        var course = (await sp.GetRequiredService<CourseCatalog>().GetAsync(CourseSeeder.Slug, CancellationToken.None))!;
        var enrollment = await sp.GetRequiredService<CourseEnrollments>().StartAsync(CourseSeeder.Slug, course.Tiers[0].Id, "Grace Hopper", $"axe-{Guid.NewGuid():N}@students.example", code, CancellationToken.None);
        var area = sp.GetRequiredService<StudentArea>();
        foreach (var week in course.Weeks)
        {
            foreach (var lesson in week.Lessons)
            {
                await area.CompleteLessonAsync(enrollment.AccessToken, lesson.Id, CancellationToken.None);
            }

            if (week.Questions.Count > 0)
            {
                await area.SubmitQuizAsync(enrollment.AccessToken, week.Id, week.Questions.Select(q => q.CorrectOption).ToList(), CancellationToken.None);
            }
        }

        return (await area.OpenAsync(enrollment.AccessToken, CancellationToken.None))!.Certificate!.CredentialId;
    }
}
