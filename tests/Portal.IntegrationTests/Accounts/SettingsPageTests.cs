using System.Net;
using Portal.Domain.ApiKeys;

namespace Portal.IntegrationTests.Accounts;

/// <summary>The owner's Settings area, the change-password page and the not-found page.</summary>
public sealed class SettingsPageTests(AccountsAppFactory app) : IClassFixture<AccountsAppFactory>
{
    private static string Ip() => $"10.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}";

    [Theory]
    [InlineData("/settings")]
    [InlineData("/settings/api-keys")]
    [InlineData("/api-keys")]
    public async Task Settings_AsOwner_ShowsProfileAndOnlyTheirOwnKeys(string path)
    {
        var a = await app.CreateTenantAsync("Settings A");
        var b = await app.CreateTenantAsync("Settings B");
        await app.CreateKeyAsync(b.TenantId, ApiKeyScopes.Read);
        var owner = app.Browser(Ip());
        Assert.Equal(HttpStatusCode.Redirect, (await AccountsAppFactory.LoginAsync(owner, a.Email, a.Password)).StatusCode);
        var response = await owner.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Settings", html, StringComparison.Ordinal);
        Assert.Contains("API keys", html, StringComparison.Ordinal);
        Assert.DoesNotContain("api-key-row-name", html, StringComparison.Ordinal); // B's key is not listed
    }

    [Fact]
    public async Task Settings_Anonymous_GoesToLogin()
    {
        var response = await app.Browser(Ip()).GetAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/team/whatever/deep")]
    public async Task UnknownRoute_ShowsTheAppsNotFoundPage(string path)
    {
        var response = await app.Browser(Ip()).GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_KeepsThisSession_AndEndsOthers()
    {
        var a = await app.CreateTenantAsync("Change Dental");
        var other = AccountsAppFactory.AuthCookie(await AccountsAppFactory.LoginAsync(app.Browser(Ip()), a.Email, a.Password))!;
        var browser = app.Browser(Ip());
        await AccountsAppFactory.LoginAsync(browser, a.Email, a.Password);

        var wrong = await AccountsAppFactory.PostFormAsync(browser, "/Account/Manage/ChangePassword", "change-password",
            new Dictionary<string, string> { ["Input.CurrentPassword"] = "Wrong!Passw0rd", ["Input.NewPassword"] = "Changed!Passw0rd" });
        Assert.Contains("The current password is not right.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var changed = await AccountsAppFactory.PostFormAsync(browser, "/Account/Manage/ChangePassword", "change-password",
            new Dictionary<string, string> { ["Input.CurrentPassword"] = a.Password, ["Input.NewPassword"] = "Changed!Passw0rd" });
        Assert.Contains("Your password has been changed", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await app.GetWithCookieAsync("/settings", other)).StatusCode);
    }
}
