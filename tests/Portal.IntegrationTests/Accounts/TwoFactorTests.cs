using System.Net;
using System.Text.RegularExpressions;

namespace Portal.IntegrationTests.Accounts;

/// <summary>Two-factor sign-in with an authenticator app: enrol with the shown key, sign in with a TOTP code or a recovery code.</summary>
public sealed partial class TwoFactorTests(AccountsAppFactory app) : IClassFixture<AccountsAppFactory>
{
    private static string Ip() => $"10.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}";

    [Fact]
    public async Task EnrolThenSignIn_NeedsTheAuthenticatorCode_OrARecoveryCode()
    {
        var tenant = await app.CreateTenantAsync("Totp Dental");
        var owner = app.Browser(Ip());
        await AccountsAppFactory.LoginAsync(owner, tenant.Email, tenant.Password);
        var page = await owner.GetStringAsync("/Account/Manage/TwoFactor");
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        var key = KeyField().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(key));

        var wrong = await AccountsAppFactory.PostFormAsync(owner, "/Account/Manage/TwoFactor", "enable-2fa", new Dictionary<string, string> { ["Input.Code"] = "000000" == TotpCode.At(key, DateTimeOffset.UtcNow) ? "111111" : "000000" });
        Assert.Contains("That code is not right", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var enabled = await (await AccountsAppFactory.PostFormAsync(owner, "/Account/Manage/TwoFactor", "enable-2fa", new Dictionary<string, string> { ["Input.Code"] = TotpCode.At(key, DateTimeOffset.UtcNow) })).Content.ReadAsStringAsync();
        var codes = RecoveryCodes().Matches(enabled).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(10, codes.Length);

        // Password alone no longer signs in: it leads to the code page, and no session cookie is issued.
        var browser = app.Browser(Ip());
        var login = await AccountsAppFactory.LoginAsync(browser, tenant.Email, tenant.Password, "/bookings");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains("/Account/LoginWith2fa", login.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Null(AccountsAppFactory.AuthCookie(login));
        var bad = await AccountsAppFactory.PostFormAsync(browser, login.Headers.Location.OriginalString, "login-2fa", new Dictionary<string, string> { ["Input.Code"] = "12345x" });
        Assert.Null(AccountsAppFactory.AuthCookie(bad));
        var good = await AccountsAppFactory.PostFormAsync(browser, login.Headers.Location.OriginalString, "login-2fa", new Dictionary<string, string> { ["Input.Code"] = TotpCode.At(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.EndsWith("/bookings", good.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.NotNull(AccountsAppFactory.AuthCookie(good));

        // A recovery code works once.
        var lost = app.Browser(Ip());
        await AccountsAppFactory.LoginAsync(lost, tenant.Email, tenant.Password);
        var recovered = await AccountsAppFactory.PostFormAsync(lost, "/Account/LoginWithRecoveryCode", "login-recovery", new Dictionary<string, string> { ["Input.Code"] = codes[0] });
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        Assert.NotNull(AccountsAppFactory.AuthCookie(recovered));
        var again = app.Browser(Ip());
        await AccountsAppFactory.LoginAsync(again, tenant.Email, tenant.Password);
        var reused = await AccountsAppFactory.PostFormAsync(again, "/Account/LoginWithRecoveryCode", "login-recovery", new Dictionary<string, string> { ["Input.Code"] = codes[0] });
        Assert.Contains("already used", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CodePage_WithoutAPasswordStep_SignsNobodyIn()
    {
        var response = await AccountsAppFactory.PostFormAsync(app.Browser(Ip()), "/Account/LoginWith2fa", "login-2fa", new Dictionary<string, string> { ["Input.Code"] = "123456" });
        Assert.Contains("Your sign-in has expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(AccountsAppFactory.AuthCookie(response));
    }

    [GeneratedRegex("data-testid=\"2fa-key\">([a-z0-9 ]+)<")]
    private static partial Regex KeyField();

    [GeneratedRegex("<div class=\"recovery-code\">([^<]+)</div>")]
    private static partial Regex RecoveryCodes();
}
