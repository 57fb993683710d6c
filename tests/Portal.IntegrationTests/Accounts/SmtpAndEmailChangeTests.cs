using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Portal.Fakes.Email;
using Portal.Web.Accounts;

namespace Portal.IntegrationTests.Accounts;

/// <summary>The app with <c>Email:Smtp</c> pointing at a <see cref="FakeSmtpServer"/> on 127.0.0.1 (MailKit runs for real).</summary>
public sealed class SmtpAppFactory : TeamAppFactory
{
    public FakeSmtpServer Smtp { get; } = new FakeSmtpServer { UserName = "portal-mailer", Password = "smtp-secret" }.Start();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        builder.UseSetting("Email:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Email:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Email:Smtp:UserName", "portal-mailer");
        builder.UseSetting("Email:Smtp:Password", "smtp-secret");
        builder.UseSetting("Email:Smtp:Sender", "Portal <no-reply@portal.test>");
        builder.UseSetting("Email:Smtp:Security", "None");
    }
}

/// <summary>Email through SMTP when configured (reset password end to end) and the change-email flow.</summary>
public sealed class SmtpAndEmailChangeTests(SmtpAppFactory fixture) : IClassFixture<SmtpAppFactory>
{
    private TeamAppFactory App => fixture;

    [Fact]
    public async Task ForgotPassword_WithSmtpConfigured_SendsTheResetEmailThroughSmtp_AndTheLinkWorks()
    {
        var owner = await App.CreateTenantAsync("Smtp Dental");
        var forgot = await AccountsAppFactory.PostFormAsync(App.Browser(), "/Account/ForgotPassword", "forgot-password",
            new Dictionary<string, string> { ["Input.Email"] = owner.Email });
        Assert.True(forgot.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect);

        // The business's other emails (the "number is live" notice) go to the owner by SMTP too: wait for the reset one.
        var received = await fixture.Smtp.WaitForAsync(owner.Email, TimeSpan.FromSeconds(60), m => m.Data.Contains("Reset your Portal password", StringComparison.Ordinal));
        Assert.Equal("no-reply@portal.test", received.From);
        Assert.Equal("portal-mailer", received.AuthenticatedAs);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(received.Data));
        var message = await MimeMessage.LoadAsync(stream);
        Assert.Equal("Reset your Portal password", message.Subject);
        // Not stored: one-time links never sit in the outbox table when SMTP is on.
        Assert.Empty(await App.OutboxToAsync(owner.Email));

        var link = AccountsAppFactory.LinkIn(message.TextBody!);
        var browser = App.Browser();
        var code = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + link).Query)["code"]!;
        var reset = await AccountsAppFactory.PostFormAsync(browser, link, "reset-password",
            new Dictionary<string, string> { ["Input.Code"] = code, ["Input.Email"] = owner.Email, ["Input.Password"] = "Brand!New1pass" });
        Assert.Contains("Your password has been changed", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await AccountsAppFactory.LoginAsync(App.Browser(), owner.Email, "Brand!New1pass")).StatusCode);
    }

    [Fact]
    public async Task ChangeEmail_SendsALinkToTheNewAddress_ThenEndsEverySession_AndTheNewAddressSignsIn()
    {
        var owner = await App.CreateTenantAsync("Change Email Dental");
        var session = await App.SignInAsync(owner.Email, owner.Password);
        var newEmail = $"{Guid.NewGuid():N}@new.example";
        await App.AsUserAsync(owner.TenantId, owner.Email, async sp =>
        {
            await sp.GetRequiredService<AccountProfile>().RequestEmailChangeAsync(newEmail, "http://localhost/", CancellationToken.None);
            return 0;
        });
        // Nothing changes until the link is opened.
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/settings")).StatusCode);
        var received = await fixture.Smtp.WaitForAsync(newEmail, TimeSpan.FromSeconds(30));
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(received.Data));
        var link = AccountsAppFactory.LinkIn((await MimeMessage.LoadAsync(stream)).TextBody!);

        var confirmed = await App.Browser().GetStringAsync(link);
        Assert.Contains($"Your email is now {newEmail}", WebUtility.HtmlDecode(confirmed), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AccountsAppFactory.LoginAsync(App.Browser(), newEmail, owner.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AccountsAppFactory.LoginAsync(App.Browser(), owner.Email, owner.Password)).StatusCode); // the old address no longer signs in
    }

    [Theory]
    [InlineData("not an email")]
    [InlineData("")]
    public async Task ChangeEmail_BadAddress_IsRefused_AndNothingIsSent(string address)
    {
        var owner = await App.CreateTenantAsync("Bad Change Dental");
        var before = fixture.Smtp.Received.Count;
        var error = await Assert.ThrowsAsync<ArgumentException>(() => App.AsUserAsync(owner.TenantId, owner.Email, async sp =>
        {
            await sp.GetRequiredService<AccountProfile>().RequestEmailChangeAsync(address, "http://localhost/", CancellationToken.None);
            return 0;
        }));
        Assert.StartsWith("Enter one valid email address.", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, fixture.Smtp.Received.Count);
        Assert.Equal(owner.Email, await App.DbAsync(db => db.Users.Where(u => u.Email == owner.Email).Select(u => u.Email).SingleAsync()));
    }
}
