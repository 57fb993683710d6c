using Portal.Fakes.Twilio;
using System.Net;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data;
using Portal.Domain.Numbers;
using Portal.IntegrationTests.Infrastructure;
using Portal.Voice.Twilio;
using Portal.Web.Endpoints;

namespace Portal.IntegrationTests.Voice;

/// <summary>Signed Twilio webhook requests against the app, and the admin side of its test database (to break it on purpose).</summary>
public static class TwilioWebhookRequests
{
    public const string PublicBaseUrl = "https://Portal.Example.test";
    public const string AuthToken = "0123456789abcdef0123456789abcdef";

    public static void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Telephony:PublicBaseUrl", PublicBaseUrl);
        builder.UseSetting("Telephony:AuthToken", AuthToken);
    }

    public static string NewCallSid() => "CA" + Guid.NewGuid().ToString("N");

    public static Dictionary<string, string> VoiceForm(string callSid, string to) => new()
    {
        ["AccountSid"] = "AC00000000000000000000000000000001",
        ["CallSid"] = callSid,
        ["CallStatus"] = "ringing",
        ["Direction"] = "inbound",
        ["From"] = "+14155550199",
        ["To"] = to,
    };

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, Dictionary<string, string> form, string signatureUrlSuffix = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioRequestSigner.Sign(AuthToken, PublicBaseUrl + path + signatureUrlSuffix,
            form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))));
        return await client.SendAsync(request);
    }

    /// <summary>A 200 TwiML answer (never a 500 or an exception page), parsed.</summary>
    public static async Task<XDocument> TwimlAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        return XDocument.Parse(body);
    }

    public static IReadOnlyList<string> Verbs(XDocument twiml) => [.. twiml.Root!.Elements().Select(e => e.Name.LocalName)];

    /// <summary>Runs SQL on the app's test database as the admin user (test setup only).</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>The app behind a proxy with a fixed auth token (its own database: one test breaks it).</summary>
public sealed class WebhookFailureFactory : PortalAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        TwilioWebhookRequests.Configure(builder);
    }
}

/// <summary>A failing voice webhook still answers the caller in TwiML; a replayed webhook of an ended call is told so.</summary>
public sealed class TwilioWebhookFailureTests(WebhookFailureFactory app) : IClassFixture<WebhookFailureFactory>
{
    private async Task<string> NumberOfAsync(Guid tenantId) =>
        (await app.InTenantAsync(tenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenantId, CancellationToken.None)))!.E164;

    [Fact]
    public async Task Voice_WhenStoringTheCallFails_AnswersTheApologyAndDialsTheTransferNumber()
    {
        var tenant = await app.CreateTenantAsync("Failing Insert Dental");
        var number = await NumberOfAsync(tenant.TenantId);
        await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<PortalDbContext>().AgentPersonas
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.TransferNumber, "+12125550177")));
        // A forced database failure after routing: every new conversation is refused by a trigger.
        await TwilioWebhookRequests.ExecuteAsync(app.ConnectionString, """
            CREATE FUNCTION refuse_calls() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_calls BEFORE INSERT ON conversations FOR EACH ROW EXECUTE FUNCTION refuse_calls();
            """);
        try
        {
            var response = await TwilioWebhookRequests.PostAsync(app.CreateClient(), "/twilio/voice", TwilioWebhookRequests.VoiceForm(TwilioWebhookRequests.NewCallSid(), number));

            var twiml = await TwilioWebhookRequests.TwimlAsync(response);
            Assert.Equal(["Say", "Dial"], TwilioWebhookRequests.Verbs(twiml));
            Assert.Equal(TwilioWebhookEndpoints.TechnicalDifficultiesTransferMessage, twiml.Root!.Element("Say")!.Value);
            Assert.Equal("+12125550177", twiml.Root.Element("Dial")!.Value.Trim());
        }
        finally
        {
            await TwilioWebhookRequests.ExecuteAsync(app.ConnectionString, "DROP TRIGGER refuse_calls ON conversations; DROP FUNCTION refuse_calls();");
        }
    }

    [Fact]
    public async Task Voice_ReplayedForAnEndedCall_SaysSoAndHangsUp_InsteadOfAStream()
    {
        var tenant = await app.CreateTenantAsync("Replay Dental");
        var number = await NumberOfAsync(tenant.TenantId);
        var callSid = TwilioWebhookRequests.NewCallSid();
        var client = app.CreateClient();
        var first = await TwilioWebhookRequests.TwimlAsync(await TwilioWebhookRequests.PostAsync(client, "/twilio/voice", TwilioWebhookRequests.VoiceForm(callSid, number)));
        Assert.Equal(["Connect"], TwilioWebhookRequests.Verbs(first));
        var status = await TwilioWebhookRequests.PostAsync(client, "/twilio/status", new Dictionary<string, string>
        {
            ["AccountSid"] = "AC00000000000000000000000000000001",
            ["CallSid"] = callSid,
            ["CallStatus"] = "completed",
            ["CallDuration"] = "12",
            ["SequenceNumber"] = "3",
        });
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);

        var replay = await TwilioWebhookRequests.TwimlAsync(await TwilioWebhookRequests.PostAsync(client, "/twilio/voice", TwilioWebhookRequests.VoiceForm(callSid, number)));

        Assert.Equal(["Say", "Hangup"], TwilioWebhookRequests.Verbs(replay));
        Assert.Equal(TwilioWebhookEndpoints.CallEndedMessage, replay.Root!.Element("Say")!.Value);
    }
}

/// <summary>Its own database, made unreachable by the test.</summary>
public sealed class DatabaseDownFactory : PortalAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        TwilioWebhookRequests.Configure(builder);
    }
}

/// <summary>With the database unreachable, the voice webhook still answers in TwiML, never a 500 with details.</summary>
public sealed class DatabaseDownWebhookTests(DatabaseDownFactory app) : IClassFixture<DatabaseDownFactory>
{
    [Fact]
    public async Task Voice_WhenTheDatabaseIsDown_AnswersTheApologyInTwiml()
    {
        var tenant = await app.CreateTenantAsync("Database Down Dental");
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;
        // Forced database failure: no new connections, and every open one (the app's pooled ones) killed.
        await TwilioWebhookRequests.ExecuteAsync(TestDatabase.AdminConnectionString, $"""
            ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false;
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid();
            """);
        try
        {
            var response = await TwilioWebhookRequests.PostAsync(app.CreateClient(), "/twilio/voice", TwilioWebhookRequests.VoiceForm(TwilioWebhookRequests.NewCallSid(), number));

            var twiml = await TwilioWebhookRequests.TwimlAsync(response);
            Assert.Equal(["Say", "Record", "Say", "Hangup"], TwilioWebhookRequests.Verbs(twiml));
            Assert.Equal(TwilioVoicemailEndpoints.TechnicalDifficultiesVoicemailMessage, twiml.Root!.Element("Say")!.Value);
            var callback = new Uri(twiml.Root!.Element("Record")!.Attribute("recordingStatusCallback")!.Value);
            Assert.Equal(TwilioWebhookRequests.PublicBaseUrl.ToLowerInvariant() + "/twilio/voicemail?to=" + number[1..] + "&from=14155550199", callback.AbsoluteUri.ToLowerInvariant());
        }
        finally
        {
            await TwilioWebhookRequests.ExecuteAsync(TestDatabase.AdminConnectionString, $"ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS true;");
        }
    }

    [Fact]
    public async Task VoicemailLeftDuringAnOutage_IsStoredAsAMessageForTheOwner()
    {
        var tenant = await app.CreateTenantAsync("Voicemail Dental");
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        var callSid = TwilioWebhookRequests.NewCallSid();
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC00000000000000000000000000000001",
            ["CallSid"] = callSid,
            ["RecordingSid"] = "RE" + Guid.NewGuid().ToString("N"),
            ["RecordingUrl"] = "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Recordings/RE1",
            ["RecordingDuration"] = "17",
            ["RecordingStatus"] = "completed",
        };

        var response = await TwilioWebhookRequests.PostAsync(app.CreateClient(), $"/twilio/voicemail?to={number[1..]}&from=14155550199", form);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var message = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.CallerMessages.SingleAsync();
        });
        Assert.Equal("+14155550199", message.CallerPhone);
        Assert.Contains("(17 s)", message.Body, StringComparison.Ordinal);
        Assert.Contains(form["RecordingUrl"], message.Body, StringComparison.Ordinal);

        var forged = await TwilioWebhookRequests.PostAsync(app.CreateClient(), $"/twilio/voicemail?to={number[1..]}&from=14155550199", form, signatureUrlSuffix: "&x=1");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }
}
