using Portal.Fakes.Twilio;
using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
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

/// <summary>The app behind a proxy: Twilio calls <see cref="PublicBaseUrl"/>, which the app cannot see itself.</summary>
public sealed class TwilioWebhookFactory : PortalAppFactory
{
    public const string PublicBaseUrl = "https://Portal.Example.test";
    public const string AuthToken = "0123456789abcdef0123456789abcdef";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Telephony:PublicBaseUrl", PublicBaseUrl);
        builder.UseSetting("Telephony:AuthToken", AuthToken);
    }
}

public sealed class TwilioWebhookTests(TwilioWebhookFactory app) : IClassFixture<TwilioWebhookFactory>
{
    private static int _sidCounter;

    private static string NewCallSid() => "CA" + Interlocked.Increment(ref _sidCounter).ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..24];

    /// <summary>Posts a form exactly as Twilio would: the signature covers the public URL and the sorted form fields.</summary>
    private async Task<HttpResponseMessage> PostSignedAsync(string path, Dictionary<string, string> form, string? signatureOverride = null, bool omitSignature = false)
    {
        var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (!omitSignature)
        {
            var signature = signatureOverride ?? TwilioRequestSigner.Sign(TwilioWebhookFactory.AuthToken, TwilioWebhookFactory.PublicBaseUrl + path,
                form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
            request.Headers.Add(TwilioSignature.HeaderName, signature);
        }

        return await client.SendAsync(request);
    }

    private static Dictionary<string, string> VoiceForm(string callSid, string to, string from = "+14155550199") => new()
    {
        ["AccountSid"] = "AC00000000000000000000000000000001",
        ["ApiVersion"] = "2010-04-01",
        ["CallSid"] = callSid,
        ["CallStatus"] = "ringing",
        ["Called"] = to,
        ["Caller"] = from,
        ["Direction"] = "inbound",
        ["From"] = from,
        ["To"] = to,
    };

    private static Dictionary<string, string> StatusForm(string callSid, string status, int? sequence = null, int? duration = null)
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC00000000000000000000000000000001",
            ["CallSid"] = callSid,
            ["CallStatus"] = status,
            ["CallbackSource"] = "call-progress-events",
            ["Timestamp"] = "Tue, 31 Aug 2010 20:36:44 +0000",
        };
        if (sequence is { } s)
        {
            form["SequenceNumber"] = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (duration is { } d)
        {
            form["CallDuration"] = d.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return form;
    }

    private async Task<(TestTenant Tenant, string Number)> TenantWithNumberAsync(string name)
    {
        var tenant = await app.CreateTenantAsync(name);
        var number = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None));
        Assert.NotNull(number);
        Assert.Equal(PhoneNumberStatus.Assigned, number.Status);
        return (tenant, number.E164);
    }

    /// <summary>All conversations of every tenant (test inspection only).</summary>
    private async Task<List<Conversation>> AllConversationsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.Conversations.IgnoreQueryFilters().AsNoTracking().ToListAsync();
    }

    private async Task<Conversation?> ByCallSidAsync(string callSid) =>
        (await AllConversationsAsync()).SingleOrDefault(c => c.CallSid == callSid);

    private static async Task<XDocument> TwimlAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static void AssertSayAndHangup(XDocument twiml)
    {
        var verbs = twiml.Root!.Elements().Select(e => e.Name.LocalName).ToList();
        Assert.Equal(["Say", "Hangup"], verbs);
        Assert.False(string.IsNullOrWhiteSpace(twiml.Root.Element("Say")!.Value));
    }

    [Fact]
    public async Task Voice_WithValidSignature_ConnectsTheStreamAndCreatesTheVoiceConversation()
    {
        var (tenant, number) = await TenantWithNumberAsync("Webhook Dental");
        var callSid = NewCallSid();

        var twiml = await TwimlAsync(await PostSignedAsync("/twilio/voice", VoiceForm(callSid, number)));

        var stream = twiml.Root!.Element("Connect")!.Element("Stream")!;
        Assert.Equal("wss://portal.example.test/twilio/media", stream.Attribute("url")!.Value);
        var parameters = stream.Elements("Parameter").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);
        Assert.Equal(["conversationId", "token"], parameters.Keys.Order(StringComparer.Ordinal));
        var conversationId = Guid.Parse(parameters["conversationId"]);
        Assert.True("token".Length + parameters["token"].Length < PortalTwiml.MaxStreamParameterLength);

        var conversation = await ByCallSidAsync(callSid);
        Assert.NotNull(conversation);
        Assert.Equal(conversationId, conversation.Id);
        Assert.Equal(tenant.TenantId, conversation.TenantId);
        Assert.Equal(tenant.AgentId, conversation.AgentPersonaId);
        Assert.Equal(Channel.Voice, conversation.Channel);
        Assert.Equal("ringing", conversation.CallStatus);
        Assert.Equal(number, conversation.ToNumber);
        Assert.Equal("+14155550199", conversation.FromNumber);
        Assert.Equal("+14155550199", conversation.CustomerPhone);
        Assert.Null(conversation.EndedAt);

        var grant = app.Services.GetRequiredService<MediaStreamTokens>().Validate(parameters["token"]);
        Assert.NotNull(grant);
        Assert.Equal(callSid, grant.CallSid);
        Assert.Equal(conversationId, grant.ConversationId);
        Assert.Equal(tenant.TenantId, grant.TenantId);
    }

    [Fact]
    public async Task Voice_SameCallSidTwice_ReturnsTheSameConversation()
    {
        var (_, number) = await TenantWithNumberAsync("Retry Dental");
        var callSid = NewCallSid();

        var first = await TwimlAsync(await PostSignedAsync("/twilio/voice", VoiceForm(callSid, number)));
        var second = await TwimlAsync(await PostSignedAsync("/twilio/voice", VoiceForm(callSid, number)));

        static string Id(XDocument d) => d.Descendants("Parameter").Single(p => p.Attribute("name")!.Value == "conversationId").Attribute("value")!.Value;
        Assert.Equal(Id(first), Id(second));
        Assert.Single(await AllConversationsAsync(), c => c.CallSid == callSid);
    }

    [Fact]
    public async Task Voice_ConcurrentRetries_CreateOneConversation()
    {
        var (_, number) = await TenantWithNumberAsync("Race Dental");
        var callSid = NewCallSid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostSignedAsync("/twilio/voice", VoiceForm(callSid, number))));

        var ids = new HashSet<string>();
        foreach (var response in responses)
        {
            var twiml = await TwimlAsync(response);
            ids.Add(twiml.Descendants("Parameter").Single(p => p.Attribute("name")!.Value == "conversationId").Attribute("value")!.Value);
        }

        Assert.Single(ids);
        Assert.Single(await AllConversationsAsync(), c => c.CallSid == callSid);
    }

    [Fact]
    public async Task Webhooks_WithMissingOrForgedSignature_Are403AndWriteNothing()
    {
        var (_, number) = await TenantWithNumberAsync("Forgery Dental");
        var callSid = NewCallSid();
        var form = VoiceForm(callSid, number);
        var before = (await AllConversationsAsync()).Count;

        var missing = await PostSignedAsync("/twilio/voice", form, omitSignature: true);
        var forged = await PostSignedAsync("/twilio/voice", form, signatureOverride: TwilioRequestSigner.Sign("not-the-real-token-at-all", TwilioWebhookFactory.PublicBaseUrl + "/twilio/voice",
            form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))));
        // Signed over the URL the app itself sees instead of the public one Twilio called.
        var wrongUrl = await PostSignedAsync("/twilio/voice", form, signatureOverride: TwilioRequestSigner.Sign(TwilioWebhookFactory.AuthToken, "http://localhost/twilio/voice",
            form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))));
        var tampered = form.ToDictionary();
        var validForOriginal = TwilioRequestSigner.Sign(TwilioWebhookFactory.AuthToken, TwilioWebhookFactory.PublicBaseUrl + "/twilio/voice", form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
        tampered["From"] = "+19995550000";
        var tamperedResponse = await PostSignedAsync("/twilio/voice", tampered, signatureOverride: validForOriginal);

        foreach (var response in new[] { missing, forged, wrongUrl, tamperedResponse })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal(before, (await AllConversationsAsync()).Count);
        Assert.Null(await ByCallSidAsync(callSid));
    }

    [Fact]
    public async Task Status_WithForgedSignature_Is403AndChangesNothing()
    {
        var (_, number) = await TenantWithNumberAsync("Status Forgery Dental");
        var callSid = NewCallSid();
        await TwimlAsync(await PostSignedAsync("/twilio/voice", VoiceForm(callSid, number)));

        var response = await PostSignedAsync("/twilio/status", StatusForm(callSid, "completed", 5, 42), signatureOverride: "RSOYDt4T1cUTdK1PDd93/VVr8B8=");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var conversation = await ByCallSidAsync(callSid);
        Assert.Equal("ringing", conversation!.CallStatus);
        Assert.Null(conversation.EndedAt);
    }

    [Fact]
    public async Task Voice_ToUnknownNumber_SaysSorryAndHangsUp()
    {
        var callSid = NewCallSid();

        var twiml = await TwimlAsync(await PostSignedAsync("/twilio/voice", VoiceForm(callSid, "+19998887777")));

        AssertSayAndHangup(twiml);
        Assert.Null(await ByCallSidAsync(callSid));
    }

    [Fact]
    public async Task Voice_ToSuspendedTenant_SaysSorryAndHangsUp()
    {
        var (tenant, number) = await TenantWithNumberAsync("Suspended Dental");
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var db = sp.GetRequiredService<PortalDbContext>();
            var row = await db.Tenants.SingleAsync();
            row.Status = TenantStatus.Suspended;
            return await db.SaveChangesAsync();
        });
        var callSid = NewCallSid();

        var twiml = await TwimlAsync(await PostSignedAsync("/twilio/voice", VoiceForm(callSid, number)));

        AssertSayAndHangup(twiml);
        Assert.DoesNotContain(await AllConversationsAsync(), c => c.TenantId == tenant.TenantId && c.Channel == Channel.Voice);
    }

    [Fact]
    public async Task Status_InProgressThenCompleted_StoresDurationAndEnds_AndALateRingingChangesNothing()
    {
        var (_, number) = await TenantWithNumberAsync("Status Dental");
        var callSid = NewCallSid();
        await TwimlAsync(await PostSignedAsync("/twilio/voice", VoiceForm(callSid, number)));

        Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync("/twilio/status", StatusForm(callSid, "in-progress", 1))).StatusCode);
        Assert.Equal("in-progress", (await ByCallSidAsync(callSid))!.CallStatus);
        Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync("/twilio/status", StatusForm(callSid, "completed", 2, 42))).StatusCode);
        var completed = await ByCallSidAsync(callSid);
        Assert.Equal("completed", completed!.CallStatus);
        Assert.Equal(42, completed.DurationSeconds);
        Assert.NotNull(completed.EndedAt);
        Assert.Equal(2, completed.LastStatusSequence);
        Assert.Equal(new DateTimeOffset(2010, 8, 31, 20, 36, 44, TimeSpan.Zero), completed.LastStatusAt);
        Assert.Equal(ConversationOutcome.Abandoned, completed.Outcome);

        // Late ringing, with and without a sequence number.
        Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync("/twilio/status", StatusForm(callSid, "ringing", 0))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await PostSignedAsync("/twilio/status", StatusForm(callSid, "ringing"))).StatusCode);

        var after = await ByCallSidAsync(callSid);
        Assert.Equal("completed", after!.CallStatus);
        Assert.Equal(42, after.DurationSeconds);
        Assert.Equal(completed.EndedAt, after.EndedAt);
        Assert.Equal(completed.UpdatedAt, after.UpdatedAt);
    }

    [Fact]
    public async Task Status_DuplicateCompleted_ChangesNothing()
    {
        var (_, number) = await TenantWithNumberAsync("Duplicate Dental");
        var callSid = NewCallSid();
        await TwimlAsync(await PostSignedAsync("/twilio/voice", VoiceForm(callSid, number)));
        await PostSignedAsync("/twilio/status", StatusForm(callSid, "completed", 3, 42));
        var first = await ByCallSidAsync(callSid);

        var again = await PostSignedAsync("/twilio/status", StatusForm(callSid, "completed", 3, 99));
        var laterBusy = await PostSignedAsync("/twilio/status", StatusForm(callSid, "busy", 4, 7));

        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, laterBusy.StatusCode);
        var second = await ByCallSidAsync(callSid);
        Assert.Equal("completed", second!.CallStatus);
        Assert.Equal(42, second.DurationSeconds);
        Assert.Equal(first!.EndedAt, second.EndedAt);
        Assert.Equal(first.UpdatedAt, second.UpdatedAt);
        Assert.Equal(3, second.LastStatusSequence);
    }

    [Fact]
    public async Task Status_OutOfOrderBySequence_KeepsTheLaterEvent()
    {
        var (_, number) = await TenantWithNumberAsync("Order Dental");
        var callSid = NewCallSid();
        await TwimlAsync(await PostSignedAsync("/twilio/voice", VoiceForm(callSid, number)));

        await PostSignedAsync("/twilio/status", StatusForm(callSid, "in-progress", 2));
        await PostSignedAsync("/twilio/status", StatusForm(callSid, "ringing", 1));
        await PostSignedAsync("/twilio/status", StatusForm(callSid, "in-progress", 2));

        var conversation = await ByCallSidAsync(callSid);
        Assert.Equal("in-progress", conversation!.CallStatus);
        Assert.Equal(2, conversation.LastStatusSequence);
        Assert.Null(conversation.EndedAt);
    }

    [Fact]
    public async Task Status_ForUnknownCallSid_Is200AndChangesNothing()
    {
        var before = await AllConversationsAsync();

        var response = await PostSignedAsync("/twilio/status", StatusForm(NewCallSid(), "completed", 2, 10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength ?? 0);
        var after = await AllConversationsAsync();
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(before.Select(c => (c.Id, c.UpdatedAt)).Order(), after.Select(c => (c.Id, c.UpdatedAt)).Order());
    }

    [Fact]
    public void MediaStreamToken_UnprotectsToItsIds_AndRejectsExpiredOrTamperedTokens()
    {
        var tokens = app.Services.GetRequiredService<MediaStreamTokens>();
        var conversationId = Guid.NewGuid();
        var tenantId = Guid.NewGuid();

        var grant = tokens.Validate(tokens.Issue("CA123", conversationId, tenantId));
        Assert.NotNull(grant);
        Assert.Equal(("CA123", conversationId, tenantId), (grant.CallSid, grant.ConversationId, grant.TenantId));
        Assert.InRange(grant.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(100), MediaStreamTokens.Lifetime);

        Assert.Null(tokens.Validate(tokens.Issue("CA123", conversationId, tenantId, DateTimeOffset.UtcNow.AddSeconds(-1))));
        var valid = tokens.Issue("CA123", conversationId, tenantId);
        Assert.Null(tokens.Validate(valid[..^2] + (valid[^2] == 'A' ? "B" : "A") + valid[^1]));
        Assert.Null(tokens.Validate(""));
        Assert.Null(tokens.Validate("not a token"));
    }

    [Fact]
    public void SandboxToken_IsGeneratedOnceAndPersisted()
    {
        var path = Path.Combine(Path.GetTempPath(), "portal-sandbox-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), SandboxCredentials.FileName);
        try
        {
            var first = SandboxCredentials.LoadOrCreate(path);
            var second = SandboxCredentials.LoadOrCreate(path);
            Assert.Equal(32, first.Length);
            Assert.Equal(first, second);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }

        Assert.Equal(TwilioWebhookFactory.AuthToken, app.Services.GetRequiredService<ISandboxCredentials>().AuthToken);
    }

    [Fact]
    public async Task CallToTenantB_NeverCreatesOrTouchesAnythingOfTenantA()
    {
        var (alpha, alphaNumber) = await TenantWithNumberAsync("Isolation Alpha Dental");
        var (bravo, bravoNumber) = await TenantWithNumberAsync("Isolation Bravo Dental");
        var alphaSid = NewCallSid();
        await TwimlAsync(await PostSignedAsync("/twilio/voice", VoiceForm(alphaSid, alphaNumber)));
        var alphaBefore = (await AllConversationsAsync()).Where(c => c.TenantId == alpha.TenantId).OrderBy(c => c.Id).ToList();

        // A normal call to B, with its status updates.
        var bravoSid = NewCallSid();
        var twiml = await TwimlAsync(await PostSignedAsync("/twilio/voice", VoiceForm(bravoSid, bravoNumber)));
        await PostSignedAsync("/twilio/status", StatusForm(bravoSid, "in-progress", 1));
        await PostSignedAsync("/twilio/status", StatusForm(bravoSid, "completed", 2, 30));
        // A hostile replay: B's number with A's CallSid must not hand out A's conversation.
        var replay = await TwimlAsync(await PostSignedAsync("/twilio/voice", VoiceForm(alphaSid, bravoNumber)));

        var bravoCall = await ByCallSidAsync(bravoSid);
        Assert.Equal(bravo.TenantId, bravoCall!.TenantId);
        Assert.Equal(bravo.AgentId, bravoCall.AgentPersonaId);
        var grant = app.Services.GetRequiredService<MediaStreamTokens>().Validate(
            twiml.Descendants("Parameter").Single(p => p.Attribute("name")!.Value == "token").Attribute("value")!.Value);
        Assert.Equal(bravo.TenantId, grant!.TenantId);

        Assert.Empty(replay.Descendants("Stream"));
        // Refused as a fault: the caller may leave a voicemail, filed under B's number (never A's).
        Assert.Equal(["Say", "Record", "Say", "Hangup"], replay.Root!.Elements().Select(e => e.Name.LocalName));
        Assert.Contains("to=" + bravoNumber[1..], replay.Root.Element("Record")!.Attribute("recordingStatusCallback")!.Value, StringComparison.Ordinal);

        var alphaAfter = (await AllConversationsAsync()).Where(c => c.TenantId == alpha.TenantId).OrderBy(c => c.Id).ToList();
        Assert.Equal(alphaBefore.Select(c => (c.Id, c.UpdatedAt, c.CallStatus, c.TurnCount)), alphaAfter.Select(c => (c.Id, c.UpdatedAt, c.CallStatus, c.TurnCount)));
        Assert.All(alphaAfter, c => Assert.Equal(alpha.AgentId, c.AgentPersonaId));
        Assert.DoesNotContain(await AllConversationsAsync(), c => c.TenantId == bravo.TenantId && c.CallSid == alphaSid);
    }
}
