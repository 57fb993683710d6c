using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Seeding;
using Portal.IntegrationTests.Accounts;

namespace Portal.E2E;

/// <summary>
/// Accounts and teams in headless Chromium: an owner with two-factor sign-in forgets the password, resets it through
/// the link the platform admin reads on the outbox page and signs in with an authenticator code; invites a staff
/// member, who accepts and sees conversations but not billing or settings; creates an API key, calls
/// <c>GET /api/v1/conversations</c> with it, revokes it and gets 401. Screenshots of the Team and Notifications tabs go
/// to <c>docs/screenshots/</c>.
/// </summary>
public sealed partial class AccountsTeamJourneyTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private const string NewPassword = "Journey!New1pass";

    [Fact]
    public async Task ForgotPassword_Reset_TwoFactor_InviteStaff_ApiKey()
    {
        var owner = await app.NewPageAsync();
        var admin = await app.NewPageAsync();
        var staff = await app.NewPageAsync();
        try
        {
            await JourneyAsync(owner, admin, staff);
        }
        catch
        {
            await Shot(owner, "accounts-failure-owner");
            await Shot(admin, "accounts-failure-admin");
            await Shot(staff, "accounts-failure-staff");
            throw;
        }
    }

    private async Task JourneyAsync(IPage owner, IPage admin, IPage staff)
    {
        var tenant = await app.CreateTenantAsync("Journey Dental");
        var key = await EnableTwoFactorAsync(tenant.Email);

        // Forgot password: the answer never says whether the account exists.
        await owner.GotoAsync("/Account/ForgotPassword");
        await owner.FillAsync("#email", tenant.Email);
        await owner.ClickAsync("button[type=submit]");
        await owner.GetByText("If an account uses that address").WaitForAsync();

        // Keyless mode: the platform admin reads the link on the outbox page.
        await admin.GotoAsync("/Account/Login");
        await admin.FillAsync("#email", DemoSeeder.AdminEmail);
        await admin.FillAsync("#password", DemoSeeder.DemoPassword);
        await admin.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(admin, new Regex("/admin$|/$"));
        await admin.GotoAsync("/admin/outbox");
        await Interactive(admin);
        await admin.FillAsync(Input("filter-search"), tenant.Email);
        var resetLink = admin.Locator("a[href*='/Account/ResetPassword']").First;
        await resetLink.WaitForAsync();
        var href = await resetLink.GetAttributeAsync("href");

        await owner.GotoAsync(href!);
        await owner.FillAsync("#password", NewPassword);
        await owner.ClickAsync("button[type=submit]");
        await owner.Locator("[data-testid=reset-done]").WaitForAsync();

        // Sign in with the new password, then the authenticator code.
        await owner.GotoAsync("/Account/Login");
        await owner.FillAsync("#email", tenant.Email);
        await owner.FillAsync("#password", NewPassword);
        await owner.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(owner, new Regex("LoginWith2fa"));
        await owner.FillAsync("#code", TotpCode.At(key, DateTimeOffset.UtcNow));
        await owner.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(owner, new Regex("/$"));

        // Invite a staff member from Settings → Team.
        var staffEmail = $"{Guid.NewGuid():N}@staff.example";
        await owner.GotoAsync("/settings/team");
        await Interactive(owner);
        await owner.Locator("[data-testid=permissions-table]").WaitForAsync();
        await owner.FillAsync(Input("invite-email"), staffEmail);
        await owner.ClickAsync("[data-testid=invite-send]");
        await owner.Locator("[data-testid=invitation-email]", new() { HasText = staffEmail }).WaitForAsync();
        // The form is cleared for the next invitation, without a validation error, and the expiry reads as words.
        Assert.Equal("", await owner.InputValueAsync(Input("invite-email")));
        Assert.Equal(0, await owner.GetByText("Enter their email.").CountAsync());
        Assert.True(await owner.GetByText(new Regex(@"^Expires \w{3}, ")).First.IsVisibleAsync());
        await Shot(owner, "settings-team", docs: true);

        // The staff member opens the emailed link, creates an account and lands on the dashboard.
        var invitation = await InvitationLinkAsync(staffEmail);
        await staff.GotoAsync(invitation);
        await staff.GetByText("Journey Dental").First.WaitForAsync();
        await staff.FillAsync("#name", "Sam Staff");
        await staff.FillAsync("#password", "Staff!Passw0rd");
        await staff.ClickAsync("[data-testid=accept-register]");
        await BrowserFixture.WaitForUrlAsync(staff, new Regex("/$"));
        await Interactive(staff);
        // Staff see conversations and bookings, not billing, the agent or settings.
        Assert.True(await staff.Locator("nav a[href='/conversations'], a[href='/conversations']").First.IsVisibleAsync());
        Assert.Equal(0, await staff.Locator(".mud-navmenu a[href='/billing']").CountAsync());
        Assert.Equal(0, await staff.Locator(".mud-navmenu a[href='/settings']").CountAsync());
        Assert.Equal(0, await staff.Locator(".mud-navmenu a[href='/agent']").CountAsync());
        await staff.GotoAsync("/conversations");
        await Interactive(staff);
        Assert.Contains("/conversations", staff.Url, StringComparison.Ordinal);
        await staff.GotoAsync("/billing");
        await BrowserFixture.WaitForUrlAsync(staff, new Regex("AccessDenied"));
        await Shot(staff, "accounts-staff-access-denied");

        // The owner sees the new member and sets who gets which notification.
        await owner.GotoAsync("/settings/team");
        await Interactive(owner);
        await owner.Locator("[data-testid=member-name]", new() { HasText = "Sam Staff" }).WaitForAsync();
        await owner.GotoAsync("/settings/notifications");
        await Interactive(owner);
        await owner.Locator("[data-testid=notification-row]").Nth(2).WaitForAsync();
        await Shot(owner, "settings-notifications", docs: true);

        // An API key: create, call the API with it, revoke, 401.
        await owner.GotoAsync("/settings/api-keys");
        await Interactive(owner);
        await owner.FillAsync(Input("api-key-name"), "Journey CRM");
        await owner.ClickAsync("[data-testid=api-key-create]");
        var secret = await owner.Locator("[data-testid=api-key-secret] input, input[data-testid=api-key-secret]").First.InputValueAsync();
        Assert.StartsWith("pk_", secret, StringComparison.Ordinal);
        using var api = new HttpClient { BaseAddress = app.ServerAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/conversations")).StatusCode);
        await owner.ClickAsync("[data-testid=api-key-revoke]");
        // The confirmation dialog's own button (the table's "Revoke" sits under the dialog's overlay).
        await owner.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await owner.GetByText("Revoked").First.WaitForAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/conversations")).StatusCode);
    }

    private async Task<string> EnableTwoFactorAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    private async Task<string> InvitationLinkAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var body = await db.OutboxMessages.Where(m => m.To == email).OrderByDescending(m => m.CreatedAt).Select(m => m.Body).FirstAsync();
        return AccountsAppFactory.LinkIn(body);
    }

    private static string Input(string testId) => $"input[data-testid={testId}], [data-testid={testId}] input";

    private static Task Interactive(IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    private static async Task Shot(IPage page, string name, bool docs = false)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });
        if (docs)
        {
            var dir = Path.Combine(BrowserFixture.ScreenshotDirectory, "..", "..", "docs", "screenshots");
            Directory.CreateDirectory(dir);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, $"{name}.png"), FullPage = true });
        }
    }
}
