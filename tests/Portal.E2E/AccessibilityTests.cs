using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Courses;
using Portal.Domain.Seeding;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.E2E;

/// <summary>
/// axe-core 4.10.3 (https://github.com/dequelabs/axe-core, vendored under Assets/axe with its MPL-2.0 licence) over every
/// routable page (sign-in and other anonymous account pages, owner, admin, agency and public pages on desktop and phone): any violation of impact
/// "moderate", "serious" or "critical" (WCAG 2.x A/AA rules and best practices, https://dequeuniversity.com/rules/axe/4.10;
/// moderate includes heading-order and page-has-heading-one: one h1 per page, section headings h2) fails the test with the
/// rule, its impact and the offending elements. Only "minor" findings pass.
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
        await BrowserFixture.WaitForUrlAsync(page, new Regex("/admin$|/agency$|/$|/onboarding$"));
    }

    private static async Task<List<string>> ViolationsAsync(IPage page, string path, bool interactive)
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
                .filter(v => v.impact === 'serious' || v.impact === 'critical' || v.impact === 'moderate')
                .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', ')}`));
            }
            """);
        return [.. JsonSerializer.Deserialize<List<string>>(json)!.Select(v => $"{path}: {v}")];
    }

    [Fact]
    public async Task SignInPages_HaveNoAxeViolations()
    {
        var page = await NewPageAsync();
        var violations = new List<string>();
        foreach (var path in new[] { "/Account/Login", "/Account/Register", "/Account/ForgotPassword", "/Account/AgencySignup", "/Account/AccessDenied" })
        {
            violations.AddRange(await ViolationsAsync(page, path, interactive: false));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task OwnerPages_HaveNoAxeViolations()
    {
        var tenant = await app.CreateTenantAsync("Axe Dental");
        var (customerId, conversationId) = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var customer = await CustomerScreenshotSeed.SeedAsync(db, tenant.TenantId, tenant.AgentId);
            return (customer, await db.Conversations.Where(c => c.CustomerId == customer).Select(c => c.Id).FirstAsync());
        });
        var page = await NewPageAsync();
        await SignInAsync(page, tenant.Email, tenant.Password);
        var violations = new List<string>();
        var interactivePaths = new[]
        {
            "/", "/agent", "/business", "/knowledge", "/console", "/bookings", "/conversations", "/conversations/" + conversationId,
            "/analytics", "/ask", "/billing", "/customers", "/customers/" + customerId, "/inbox", "/team", "/api-keys", "/account",
            "/settings", "/settings/profile", "/settings/api-keys", "/settings/webhooks", "/settings/team", "/settings/notifications", "/settings/chat-widget",
        };
        foreach (var path in interactivePaths)
        {
            violations.AddRange(await ViolationsAsync(page, path, interactive: true));
        }

        // Account management and the MCP consent page are static server-rendered (no circuit). Without an OAuth request the
        // consent page renders its "this link is not valid" state, which is what a stray visitor sees.
        foreach (var path in new[] { "/Account/Manage/ChangePassword", "/Account/Manage/TwoFactor", "/connect/consent" })
        {
            violations.AddRange(await ViolationsAsync(page, path, interactive: false));
        }

        // A new owner without a business lands on onboarding.
        var newOwner = await NewPageAsync();
        var email = await CreateUserAsync(Roles.BusinessOwner);
        await SignInAsync(newOwner, email, PortalAppFactory.Password);
        violations.AddRange(await ViolationsAsync(newOwner, "/onboarding", interactive: true));

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task AdminPages_HaveNoAxeViolations()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, DemoSeeder.AdminEmail, DemoSeeder.DemoPassword);
        var violations = new List<string>();
        foreach (var path in new[] { "/admin", "/admin/tenants", "/admin/numbers", "/admin/numbers/buy", "/admin/agents", "/admin/audit", "/admin/health", "/admin/language-model", "/admin/outbox",
            "/admin/affiliates", "/admin/agencies", "/admin/analytics", "/admin/billing", "/admin/courses" })
        {
            violations.AddRange(await ViolationsAsync(page, path, interactive: true));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task AgencyPages_HaveNoAxeViolations()
    {
        var (email, agencyId) = await CreateAgencyAsync("Axe Agency");
        var client = await app.CreateTenantAsync("Axe Agency Client");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            // The business becomes the agency's client (as AgencyClients.CreateAsync stamps it); read across the tenant filter.
            await db.Tenants.IgnoreQueryFilters().Where(t => t.Id == client.TenantId).ExecuteUpdateAsync(u => u.SetProperty(t => t.AgencyId, agencyId));
        }

        var page = await NewPageAsync();
        await SignInAsync(page, email, PortalAppFactory.Password);
        var violations = new List<string>();
        foreach (var path in new[] { "/agency", "/agency/billing", "/agency/brand", "/agency/clients", "/agency/clients/" + client.TenantId, "/agency/team" })
        {
            violations.AddRange(await ViolationsAsync(page, path, interactive: true));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Theory]
    [InlineData(1400, 1000)]
    [InlineData(390, 844)] // a phone
    public async Task PublicPages_HaveNoAxeViolations_OnDesktopAndPhone(int width, int height)
    {
        var (token, credentialId, course) = await IssueCertificateAsync();
        var week = course.Weeks.First(w => w.Questions.Count > 0);
        var page = await NewPageAsync(width, height);
        var violations = new List<string>();
        foreach (var path in new[] { "/", "/pricing", "/courses", "/courses/" + CourseSeeder.Slug, "/certificates/" + credentialId, "/certificates/PAS-NOPE-NOPE-NOPE", "/affiliates", "/terms",
            "/welcome", "/privacy", "/acceptable-use", "/courses/" + CourseSeeder.Slug + "/waitlist", "/affiliates/portal",
            "/learn/" + token, $"/learn/{token}/lessons/{course.Weeks[0].Lessons[0].Id}", $"/learn/{token}/weeks/{week.Id}/quiz" })
        {
            violations.AddRange(await ViolationsAsync(page, path, interactive: false));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    /// <summary>A certificate to verify: a free enrolment (100 % coupon) with every lesson and quiz done, through the student area.</summary>
    private async Task<(string Token, string CredentialId, Course Course)> IssueCertificateAsync()
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

        return (enrollment.AccessToken, (await area.OpenAsync(enrollment.AccessToken, CancellationToken.None))!.Certificate!.CredentialId, course);
    }

    /// <summary>A confirmed user with <paramref name="role"/> and no business yet; returns the email (password <see cref="PortalAppFactory.Password"/>).</summary>
    private async Task<string> CreateUserAsync(string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var email = $"axe-{Guid.NewGuid():N}@test.example";
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Axe Owner" };
        Assert.True((await users.CreateAsync(user, PortalAppFactory.Password)).Succeeded);
        await users.AddToRoleAsync(user, role);
        return email;
    }

    /// <summary>An active agency and its owner, created the way a platform admin does (as AgencyAppFactory.CreateAgencyAsync); returns the owner's email and the agency id.</summary>
    private async Task<(string Email, Guid AgencyId)> CreateAgencyAsync(string name)
    {
        var email = await CreateUserAsync(Roles.AgencyOwner);
        await using var scope = app.Services.CreateAsyncScope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email))!;
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var agency = new Agency { Name = name, Status = AgencyStatus.Active, EmailSenderName = name };
        db.Agencies.Add(agency);
        db.AgencyMembers.Add(new AgencyMember { AgencyId = agency.Id, UserId = user.Id, Role = AgencyRole.Owner });
        await db.SaveChangesAsync();
        return (email, agency.Id);
    }
}
