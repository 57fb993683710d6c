using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;
using Portal.Web.Accounts;

namespace Portal.IntegrationTests.Accounts;

/// <summary>Sign-in security: throttling that cannot lock out others, no enumeration, revoked sessions, safe ReturnUrl.</summary>
public sealed class SignInSecurityTests(AccountsAppFactory app) : IClassFixture<AccountsAppFactory>
{
    private const string WrongPasswordMessage = "That email and password don&#x27;t match an account.";

    private static string Ip() => $"10.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}";

    [Fact]
    public async Task WrongPasswords_FromOneNetwork_ThrottleOnlyThatNetwork_OwnerElsewhereSignsIn()
    {
        var tenant = await app.CreateTenantAsync("Throttle Dental");
        var attacker = app.Browser(Ip());
        for (var i = 0; i < AccountsAppFactory.PerAccountLimit; i++)
        {
            var html = await (await AccountsAppFactory.LoginAsync(attacker, tenant.Email, "Wrong!Passw0rd")).Content.ReadAsStringAsync();
            Assert.Contains(WrongPasswordMessage, html, StringComparison.Ordinal);
        }

        // Even the right password is refused from the attacker's network now...
        var blocked = await AccountsAppFactory.LoginAsync(attacker, tenant.Email, tenant.Password);
        Assert.Equal(HttpStatusCode.OK, blocked.StatusCode);
        Assert.Contains("Too many attempts for this account", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // ...but the owner on another network is not locked out.
        var owner = await AccountsAppFactory.LoginAsync(app.Browser(Ip()), tenant.Email, tenant.Password);
        Assert.Equal(HttpStatusCode.Redirect, owner.StatusCode);
        Assert.NotNull(AccountsAppFactory.AuthCookie(owner));
    }

    [Fact]
    public async Task ManyAttemptsFromOneAddress_Get429WithRetryAfter()
    {
        var client = app.Browser(Ip());
        HttpResponseMessage? last = null;
        for (var i = 0; i <= AccountsAppFactory.PerIpLimit; i++)
        {
            last = await AccountsAppFactory.LoginAsync(client, $"{Guid.NewGuid():N}@nobody.example", "Wrong!Passw0rd");
            if (last.StatusCode == HttpStatusCode.TooManyRequests)
            {
                break;
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.True(last.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After missing");
        // Another address is not affected.
        Assert.Contains(WrongPasswordMessage, await (await AccountsAppFactory.LoginAsync(app.Browser(Ip()), "x@nobody.example", "Wrong!Passw0rd")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownAccount_GetsTheSameAnswer_AndStillRunsThePasswordHasher()
    {
        var tenant = await app.CreateTenantAsync("Enum Dental");
        var client = app.Browser(Ip());
        var before = app.Hasher.Verifications;
        var unknown = await AccountsAppFactory.LoginAsync(client, $"{Guid.NewGuid():N}@nobody.example", "Wrong!Passw0rd");
        Assert.Equal(before + 1, app.Hasher.Verifications);
        var known = await AccountsAppFactory.LoginAsync(client, tenant.Email, "Wrong!Passw0rd");
        Assert.Equal(before + 2, app.Hasher.Verifications);
        Assert.Equal(known.StatusCode, unknown.StatusCode);
        Assert.Contains(WrongPasswordMessage, await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(WrongPasswordMessage, await known.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Throttled unknown and known accounts answer alike too.
        for (var i = 0; i < AccountsAppFactory.PerAccountLimit; i++)
        {
            await AccountsAppFactory.LoginAsync(client, "ghost@nobody.example", "Wrong!Passw0rd");
        }

        Assert.Contains("Too many attempts for this account", await (await AccountsAppFactory.LoginAsync(client, "ghost@nobody.example", "x")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_RevokesACopiedSessionCookie()
    {
        var tenant = await app.CreateTenantAsync("Logout Dental");
        var browser = app.Browser(Ip());
        var login = await AccountsAppFactory.LoginAsync(browser, tenant.Email, tenant.Password);
        var stolen = AccountsAppFactory.AuthCookie(login)!;
        Assert.NotNull(stolen);
        Assert.Equal(HttpStatusCode.OK, (await app.GetWithCookieAsync("/conversations", stolen)).StatusCode);

        var logout = await AccountsAppFactory.PostFormAsync(browser, "/", "", new Dictionary<string, string>(), "/Account/Logout");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        // "/" shows a signed-out visitor the landing page, so an owner page shows the revocation.
        var replay = await app.GetWithCookieAsync("/conversations", stolen);
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.Contains("/Account/Login", replay.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordChange_RevokesOtherSessions()
    {
        var tenant = await app.CreateTenantAsync("Stamp Dental");
        var login = await AccountsAppFactory.LoginAsync(app.Browser(Ip()), tenant.Email, tenant.Password);
        var other = AccountsAppFactory.AuthCookie(login)!;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByEmailAsync(tenant.Email))!;
            Assert.True((await users.ChangePasswordAsync(user, tenant.Password, "Changed!Passw0rd")).Succeeded);
        }

        var replay = await app.GetWithCookieAsync("/conversations", other);
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("http:/evil.example")]
    public async Task SignIn_WithAForeignReturnUrl_SignsInAndGoesHome(string returnUrl)
    {
        var tenant = await app.CreateTenantAsync("Return Dental");
        var response = await AccountsAppFactory.LoginAsync(app.Browser(Ip()), tenant.Email, tenant.Password, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal));
        Assert.NotNull(AccountsAppFactory.AuthCookie(response));
    }

    [Fact]
    public async Task SignIn_WithALocalReturnUrl_GoesThere()
    {
        var tenant = await app.CreateTenantAsync("Local Return Dental");
        var response = await AccountsAppFactory.LoginAsync(app.Browser(Ip()), tenant.Email, tenant.Password, "/bookings?week=2");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/bookings?week=2", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("/ok/path?x=1", "/ok/path?x=1")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData(null, "/")]
    public void SafeReturnUrl_KeepsOnlyLocalPaths(string? input, string expected) => Assert.Equal(expected, SafeReturnUrl.Normalize(input));
}
