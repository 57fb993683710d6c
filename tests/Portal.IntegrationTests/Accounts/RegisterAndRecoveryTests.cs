using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Identity;
using Portal.Web.Accounts;

namespace Portal.IntegrationTests.Accounts;

/// <summary>Registration without account enumeration, its field messages, email confirmation and the forgot/reset password flow through the outbox.</summary>
public sealed class RegisterAndRecoveryTests(AccountsAppFactory app) : IClassFixture<AccountsAppFactory>
{
    private static string Ip() => $"10.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(1, 250)}";

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string email, string password, string name = "Pat Owner") =>
        AccountsAppFactory.PostFormAsync(client, "/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = name,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    [Fact]
    public async Task Register_NewAndExistingEmail_GetTheSameAnswer_AndTheOwnerIsEmailed()
    {
        var tenant = await app.CreateTenantAsync("Existing Dental");
        var fresh = await RegisterAsync(app.Browser(Ip()), $"{Guid.NewGuid():N}@new.example", "Fresh!Passw0rd");
        var existing = await RegisterAsync(app.Browser(Ip()), tenant.Email, "Another!Passw0rd");

        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
        Assert.Equal(fresh.StatusCode, existing.StatusCode);
        Assert.Equal(fresh.Headers.Location, existing.Headers.Location);
        Assert.EndsWith("/Account/RegisterConfirmation", existing.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var mail = Assert.Single(await app.EmailsToAsync(tenant.Email));
        Assert.Equal(AccountEmailCategories.AlreadyRegistered, mail.Category);
        // The existing account's password is unchanged.
        Assert.Equal(HttpStatusCode.Redirect, (await AccountsAppFactory.LoginAsync(app.Browser(Ip()), tenant.Email, tenant.Password)).StatusCode);
    }

    [Fact]
    public async Task Register_ThenConfirmationLink_SignsInAndGoesToOnboarding()
    {
        var email = $"{Guid.NewGuid():N}@new.example";
        var browser = app.Browser(Ip());
        Assert.Equal(HttpStatusCode.Redirect, (await RegisterAsync(browser, email, "Fresh!Passw0rd")).StatusCode);
        var mail = Assert.Single(await app.EmailsToAsync(email));
        Assert.Equal(AccountEmailCategories.Confirm, mail.Category);

        var confirm = await browser.GetAsync(AccountsAppFactory.LinkIn(mail.Body));
        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        var home = await browser.GetAsync("/");
        Assert.EndsWith("/onboarding", home.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email))!.EmailConfirmed);
    }

    [Fact]
    public async Task ConfirmEmail_WithABadCode_SaysSoAndSignsNobodyIn()
    {
        var response = await app.Browser(Ip()).GetAsync($"/Account/ConfirmEmail?userId={Guid.NewGuid()}&code=bm9wZQ");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not valid or has expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(AccountsAppFactory.AuthCookie(response));
    }

    [Fact]
    public async Task Register_With300CharacterEmail_ShowsAFieldMessage()
    {
        var email = new string('a', 290) + "@x.example";
        var response = await RegisterAsync(app.Browser(Ip()), email, "Fresh!Passw0rd");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("An email address has at most 256 characters.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithAnEnyeInTheEmail_IsAccepted()
    {
        var email = $"peña.{Guid.NewGuid():N}@example.com";
        var response = await RegisterAsync(app.Browser(Ip()), email, "Fresh!Passw0rd");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email));
    }

    [Fact]
    public async Task Register_WithAPasswordOver100Characters_SaysAtMost100()
    {
        var html = await (await RegisterAsync(app.Browser(Ip()), $"{Guid.NewGuid():N}@new.example", "Aa1!" + new string('x', 100))).Content.ReadAsStringAsync();
        Assert.Contains("The password must be at most 100 characters.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("at least 8 characters.", html.Replace("(at least 8 characters, with", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithAWeakPassword_ShowsEachErrorOnce()
    {
        var html = await (await RegisterAsync(app.Browser(Ip()), $"{Guid.NewGuid():N}@new.example", "abcdefgh")).Content.ReadAsStringAsync();
        const string digit = "Passwords must have at least one digit";
        Assert.Contains(digit, html, StringComparison.Ordinal);
        Assert.Equal(html.IndexOf(digit, StringComparison.Ordinal), html.LastIndexOf(digit, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForgotPassword_LinkFromTheOutbox_ResetsThePassword_AndEndsOldSessions()
    {
        var tenant = await app.CreateTenantAsync("Forgot Dental");
        var old = AccountsAppFactory.AuthCookie(await AccountsAppFactory.LoginAsync(app.Browser(Ip()), tenant.Email, tenant.Password))!;

        var browser = app.Browser(Ip());
        var sent = await AccountsAppFactory.PostFormAsync(browser, "/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = tenant.Email });
        Assert.Contains("If an account uses that address", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // An unknown address gets the same answer and no email.
        var unknownEmail = $"{Guid.NewGuid():N}@nobody.example";
        var unknown = await AccountsAppFactory.PostFormAsync(browser, "/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = unknownEmail });
        Assert.Contains("If an account uses that address", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await app.EmailsToAsync(unknownEmail));

        var mail = Assert.Single(await app.EmailsToAsync(tenant.Email));
        var link = AccountsAppFactory.LinkIn(mail.Body);
        var code = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + link).Query)["code"]!;
        var reset = await AccountsAppFactory.PostFormAsync(browser, link, "reset-password", new Dictionary<string, string>
        {
            ["Input.Code"] = code,
            ["Input.Email"] = tenant.Email,
            ["Input.Password"] = "Brand!New0pass",
        });
        Assert.Contains("Your password has been changed", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await app.GetWithCookieAsync("/conversations", old)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AccountsAppFactory.LoginAsync(app.Browser(Ip()), tenant.Email, "Brand!New0pass")).StatusCode);
        // The link is single-use: the security stamp changed.
        var again = await AccountsAppFactory.PostFormAsync(app.Browser(Ip()), link, "reset-password", new Dictionary<string, string>
        {
            ["Input.Code"] = code, ["Input.Email"] = tenant.Email, ["Input.Password"] = "Other!New0pass",
        });
        Assert.Contains("not valid or has expired", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
