using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Seeding;

namespace Portal.IntegrationTests.PublicSite;

/// <summary>The landing page: anonymous visitors read it at /, signed-in users keep their dashboard; SEO tags; size budget; legal pages.</summary>
public sealed partial class LandingPageTests(PublicSiteFactory app) : IClassFixture<PublicSiteFactory>
{
    /// <summary>HTML + CSS + JS of the landing page must stay under 200 KB.</summary>
    private const int BudgetBytes = 200 * 1024;

    [Fact]
    public async Task Root_Anonymous_ServesTheLandingPage_WithTitleDescriptionAndOpenGraph()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("<title>Portal · An AI receptionist for your phone line and website</title>", html, StringComparison.Ordinal);
        Assert.Matches("<meta name=\"description\" content=\"[^\"]{50,}\"", html);
        Assert.Contains("property=\"og:title\"", html, StringComparison.Ordinal);
        Assert.Contains("property=\"og:description\"", html, StringComparison.Ordinal);
        Assert.Contains("property=\"og:url\"", html, StringComparison.Ordinal);
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("For agencies", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/Account/Register\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("blazor.web.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("MudBlazor.min.css", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_LandingHtmlCssAndJs_StayUnderTheBudget()
    {
        await SeedDemoAsync(); // the budget counts the demo's chat widget script too
        var client = app.CreateClient();
        var html = await client.GetByteArrayAsync("/");
        var total = html.Length;
        var text = System.Text.Encoding.UTF8.GetString(html);
        var assets = AssetReference().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("/widget.js", assets);
        foreach (var asset in assets)
        {
            total += (await client.GetByteArrayAsync(asset.StartsWith('/') ? asset : "/" + asset)).Length;
        }

        Assert.True(total < BudgetBytes, $"Landing page is {total} bytes (HTML + {assets.Count} CSS/JS files); the budget is {BudgetBytes}.");
    }

    [Fact]
    public async Task Root_SignedIn_StillReachesTheDashboard()
    {
        var tenant = await app.CreateTenantAsync("Landing Dental");
        var owner = await app.SignInAsync(tenant.Email, tenant.Password);
        var html = await owner.GetStringAsync("/");
        Assert.DoesNotContain("Every call answered", html, StringComparison.Ordinal);
        Assert.Contains("blazor.web.js", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_WithTheSeededDemo_OffersTryItInChat_WidgetAllowedOnPortalsOwnOriginOnly()
    {
        await SeedDemoAsync();
        var key = await app.DbAsync(db => db.ChatWidgets.IgnoreQueryFilters()
            .Where(w => db.Tenants.IgnoreQueryFilters().Any(t => t.Id == w.TenantId && t.Name == DemoSeeder.DemoBusinessName)).Select(w => w.PublicKey).SingleAsync());
        var client = app.CreateClient();
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/"));

        Assert.Contains($"<script src=\"/widget.js\" data-agent=\"{key}\" async", html, StringComparison.Ordinal);
        Assert.Contains("data-portal-chat-open", html, StringComparison.Ordinal);
        Assert.Contains("Call the demo agent: +12125550100", html, StringComparison.Ordinal);

        // The widget's hub lets the app's own origin in (the landing page) and still refuses any other website.
        Assert.Equal(HttpStatusCode.OK, (await NegotiateAsync(client, key, client.BaseAddress!.GetLeftPart(UriPartial.Authority))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync(client, key, "https://elsewhere.example")).StatusCode);
    }

    private async Task SeedDemoAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(includeDemo: true, CancellationToken.None);
    }

    private static async Task<HttpResponseMessage> NegotiateAsync(HttpClient client, string key, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/widget/hub/negotiate?agent={key}&negotiateVersion=1");
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("/terms", "Terms of service")]
    [InlineData("/privacy", "Privacy policy")]
    [InlineData("/acceptable-use", "Acceptable use policy")]
    [InlineData("/courses", "Production AI Systems")]
    [InlineData("/affiliates", "20 %")]
    public async Task PublicPages_AnswerAnonymousVisitors(string path, string expected)
    {
        var response = await app.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [GeneratedRegex("(?:href|src)=\"([^\"]+\\.(?:css|js)[^\"]*)\"")]
    private static partial Regex AssetReference();
}
