using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Domain.Seeding;
using Portal.Web.Telephony;

namespace Portal.E2E;

/// <summary>
/// In keyless mode the platform admin finds the sandbox auth token on /admin/health, masked until revealed, with
/// the call-simulator command that uses it.
/// </summary>
public sealed class AdminHealthPageTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task HealthPage_ShowsTheSandboxTokenMasked_RevealShowsIt_WithTheSimulatorCommand()
    {
        var token = app.Services.GetRequiredService<ISandboxCredentials>().AuthToken;
        var page = await app.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", DemoSeeder.AdminEmail);
        await page.FillAsync("#password", DemoSeeder.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await BrowserFixture.WaitForUrlAsync(page, new Regex("/admin$|/$"));

        await page.GotoAsync("/admin/health");
        var value = page.Locator("[data-testid=sandbox-token-value]");
        await value.WaitForAsync();
        Assert.EndsWith(token[^4..], await value.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);

        // Reveal once the circuit is live (the button is inert in the prerendered page).
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.ClickAsync("[data-testid=sandbox-token-reveal]");
        await page.Locator("[data-testid=sandbox-token-value]", new() { HasText = token }).WaitForAsync();
        Assert.Contains($"--auth-token {token}", await page.Locator("[data-testid=sandbox-simulator-command]").InnerTextAsync(), StringComparison.Ordinal);
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "admin-health-sandbox-token.png"), FullPage = true });
    }
}
