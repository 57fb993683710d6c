using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Portal.Data.Identity;
using Portal.Domain.Agencies;
using Portal.Fakes.Email;
using Portal.Web.Accounts;

namespace Portal.IntegrationTests.Agencies;

/// <summary>The agency app sending email through SMTP to a <see cref="FakeSmtpServer"/> on 127.0.0.1 (MailKit runs for real).</summary>
public sealed class AgencySmtpFactory : AgencyAppFactory
{
    public FakeSmtpServer Smtp { get; } = new FakeSmtpServer().Start();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Email:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Email:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Email:Smtp:Sender", "Portal <no-reply@portal.test>");
        builder.UseSetting("Email:Smtp:Security", "None");
    }
}

/// <summary>An email to an agency's client leaves with the agency's sender name as the From display name, never Portal's.</summary>
public sealed class AgencySenderNameTests(AgencySmtpFactory app) : IClassFixture<AgencySmtpFactory>
{
    [Fact]
    public async Task ClientsEmail_IsFromTheAgencysSenderName_WithNoTraceOfPortal()
    {
        var agency = await app.CreateAgencyAsync("Northwind Reception");
        await app.AsOwnerAsync(agency, async sp =>
        {
            await sp.GetRequiredService<AgencySettings>().UpdateAsync(new AgencyBrandSettings("Northwind Reception", "#00796B", "#F9A825", "help@northwind.test", null,
                "Northwind Care Team", null, "© Northwind Reception LLC", null, null, null, null), CancellationToken.None);
            return 0;
        });
        var (_, clientEmail) = await app.CreateClientAsync(agency, "Lakeside Smiles");

        // A real account email of the client's owner: the password-reset link.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var user = (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(clientEmail))!;
            await scope.ServiceProvider.GetRequiredService<AccountMailer>().SendPasswordResetAsync(user, "https://app.northwind.test/", CancellationToken.None);
        }

        var mail = await app.Smtp.WaitForAsync(clientEmail, TimeSpan.FromSeconds(30), m => m.Data.Contains("ResetPassword", StringComparison.Ordinal));
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(mail.Data));
        var message = await MimeMessage.LoadAsync(stream);
        var from = Assert.Single(message.From.Mailboxes);
        Assert.Equal(("Northwind Care Team", "no-reply@portal.test"), (from.Name, from.Address));
        // The header as sent: the display name (RFC 5322 §3.4 phrase, quoting optional for atoms) and the sender's address.
        Assert.Matches(new System.Text.RegularExpressions.Regex("^From: \"?Northwind Care Team\"? <no-reply@portal\\.test>\r?$", System.Text.RegularExpressions.RegexOptions.Multiline), mail.Data);
        Assert.Equal("Reset your Northwind Reception password", message.Subject);
        Assert.Contains("— Northwind Care Team", message.TextBody, StringComparison.Ordinal);
        // Nowhere in the message as sent (headers and body) does Portal's name appear.
        Assert.DoesNotContain("Portal", mail.Data, StringComparison.Ordinal);

        // A business that is no agency's client still gets Portal's own sender.
        var plain = await app.CreateTenantAsync("Plain Dental");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var user = (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(plain.Email))!;
            await scope.ServiceProvider.GetRequiredService<AccountMailer>().SendPasswordResetAsync(user, "https://portal.test/", CancellationToken.None);
        }

        var plainMail = await app.Smtp.WaitForAsync(plain.Email, TimeSpan.FromSeconds(30), m => m.Data.Contains("ResetPassword", StringComparison.Ordinal));
        using var plainStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(plainMail.Data));
        Assert.Equal("Portal", Assert.Single((await MimeMessage.LoadAsync(plainStream)).From.Mailboxes).Name);
    }
}
