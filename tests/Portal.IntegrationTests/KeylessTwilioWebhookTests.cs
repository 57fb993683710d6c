using Portal.Fakes.Twilio;
using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Numbers;
using Portal.IntegrationTests.Infrastructure;
using Portal.Voice.Twilio;
using Portal.Web.Telephony;

namespace Portal.IntegrationTests;

/// <summary>Keyless mode with no public URL configured: the generated sandbox token and the request's own host.</summary>
public sealed class KeylessTwilioWebhookFactory : PortalAppFactory
{
    public string KeysPath { get; } = Path.Combine(Path.GetTempPath(), "portal-keys-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("DataProtection:KeysPath", KeysPath);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(KeysPath))
        {
            Directory.Delete(KeysPath, recursive: true);
        }
    }
}

public sealed class KeylessTwilioWebhookTests(KeylessTwilioWebhookFactory app) : IClassFixture<KeylessTwilioWebhookFactory>
{
    [Fact]
    public async Task Voice_SignedWithTheGeneratedSandboxToken_OverTheRequestUrl_IsAnswered()
    {
        var tenant = await app.CreateTenantAsync("Keyless Dental");
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        var credentials = app.Services.GetRequiredService<ISandboxCredentials>();
        Assert.True(credentials.IsGenerated);
        Assert.Equal(credentials.AuthToken, (await File.ReadAllTextAsync(Path.Combine(app.KeysPath, SandboxCredentials.FileName))).Trim());
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var form = new Dictionary<string, string> { ["CallSid"] = callSid, ["CallStatus"] = "ringing", ["From"] = "anonymous", ["To"] = number };

        var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice?attempt=1") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioRequestSigner.Sign(credentials.AuthToken, "http://localhost/twilio/voice?attempt=1",
            form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))));
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("wss://localhost/twilio/media", twiml.Root!.Element("Connect")!.Element("Stream")!.Attribute("url")!.Value);
        await using var scope = app.Services.CreateAsyncScope();
        var conversation = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Conversations.IgnoreQueryFilters().SingleAsync(c => c.CallSid == callSid);
        Assert.Null(conversation.FromNumber); // withheld caller: no callback number offered
        Assert.Null(conversation.CustomerPhone);
        Assert.Equal(number, conversation.ToNumber);
    }
}

/// <summary>The generated sandbox token exists at start-up, before any webhook asks for it.</summary>
public sealed class KeylessSandboxTokenAtStartupTests(KeylessTwilioWebhookFactory app) : IClassFixture<KeylessTwilioWebhookFactory>
{
    [Fact]
    public async Task Startup_WritesTheSharedTokenFile_BeforeAnyWebhookOrResolution()
    {
        _ = app.Server; // starts the app: migrations, seeding, keys; nothing here has asked for the token yet
        var file = Path.Combine(app.KeysPath, SandboxCredentials.FileName);

        Assert.True(File.Exists(file), $"{file} was not written at start-up");
        await using var scope = app.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().PlatformSecrets.AsNoTracking().SingleAsync(s => s.Name == SandboxCredentials.SecretName);
        var stored = scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector(SandboxCredentials.Purpose).Unprotect(row.ProtectedValue);
        Assert.Equal(stored, (await File.ReadAllTextAsync(file)).Trim());
        Assert.Matches("^[0-9a-f]{32}$", stored);
    }
}
