using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace Portal.E2E;

/// <summary>
/// The MCP OAuth consent page in a real browser (ADR-025): a registered app asks for access, the signed-out owner signs in
/// and lands on the consent page naming the app, the business and where it returns. Screenshot to <c>docs/screenshots/</c>.
/// </summary>
public sealed class McpOAuthConsentTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private const string Redirect = "http://127.0.0.1:8123/callback";

    private static readonly string Docs = Path.GetFullPath(Path.Combine(BrowserFixture.ScreenshotDirectory, "..", "..", "docs", "screenshots"));

    [Fact]
    public async Task SignedOutOwner_SignsIn_AndSeesTheConsentPage()
    {
        var tenant = await app.CreateTenantAsync("Harbor View Dental");
        using var http = new HttpClient { BaseAddress = app.ServerAddress };
        var registered = await http.PostAsJsonAsync("/connect/register", new { client_name = "Claude", redirect_uris = new[] { Redirect } });
        var clientId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_id").GetString()!;
        var authorize = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = Redirect, ["scope"] = "mcp:read mcp:book", ["state"] = "s1",
            ["code_challenge"] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", ["code_challenge_method"] = "S256",
            ["resource"] = new Uri(app.ServerAddress, "/mcp").AbsoluteUri,
        });
        Directory.CreateDirectory(Docs);

        var page = await app.NewPageAsync();
        // Signed out: the sign-in page first, then back to the authorization and on to the consent page.
        await page.GotoAsync(authorize);
        await BrowserFixture.WaitForUrlAsync(page, new Regex("/Account/Login"));
        await page.FillAsync("#email", tenant.Email);
        await page.FillAsync("#password", tenant.Password);
        await page.ClickAsync("button[type=submit]");
        await page.Locator("[data-testid=consent-title]").WaitForAsync();
        Assert.Contains("Claude", await page.Locator("[data-testid=consent-title]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Harbor View Dental", await page.Locator("[data-testid=consent-business]").InnerTextAsync());
        Assert.Equal("127.0.0.1:8123", await page.Locator("[data-testid=consent-redirect-host]").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Docs, "mcp-oauth-consent.png"), FullPage = true });
    }
}
