using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.LiveChat;
using Portal.Fakes.Twilio;
using Portal.IntegrationTests.Infrastructure;
using Portal.Telephony;
using Portal.Voice.Twilio;

namespace Portal.IntegrationTests.LiveChat;

/// <summary>The real app with Twilio keys, its REST API pointed at <see cref="FakeTwilioServer"/> on 127.0.0.1.</summary>
public sealed class TwilioSmsFactory : PortalAppFactory
{
    internal FakeTwilioServer Twilio { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        Twilio = await FakeTwilioServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Twilio is not null)
        {
            await Twilio.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Telephony:PublicBaseUrl", TwilioWebhookFactory.PublicBaseUrl);
        builder.UseSetting("Telephony:AuthToken", TwilioWebhookFactory.AuthToken);
        builder.UseSetting("Twilio:AccountSid", FakeTwilioServer.AccountSid);
        builder.UseSetting("Twilio:AuthToken", FakeTwilioServer.AuthToken);
        builder.UseSetting("Twilio:BaseUrl", Twilio.BaseUrl.ToString());
        builder.UseSetting("Twilio:RetryBaseDelay", "00:00:00.010");
        builder.UseSetting("Twilio:MaxRetryDelay", "00:00:02");
    }
}

public sealed class TwilioSmsReplyTests(TwilioSmsFactory app) : IClassFixture<TwilioSmsFactory>
{
    private const string Path = "/twilio/sms";

    private async Task<HttpResponseMessage> PostAsync(string from, string to, string body)
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = FakeTwilioServer.AccountSid,
            ["ApiVersion"] = "2010-04-01",
            ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"),
            ["From"] = from,
            ["To"] = to,
            ["Body"] = body,
            ["NumMedia"] = "0",
            ["NumSegments"] = "1",
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioRequestSigner.Sign(TwilioWebhookFactory.AuthToken, TwilioWebhookFactory.PublicBaseUrl + Path,
            form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))));
        return await app.CreateClient().SendAsync(request);
    }

    private async Task<(TestTenant Tenant, string Number)> TenantAsync(string name)
    {
        var tenant = await app.CreateTenantAsync(name);
        var number = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.PhoneNumbers.Where(p => p.TenantId == tenant.TenantId).Select(p => p.E164).FirstAsync();
        });
        return (tenant, number);
    }

    private Task<List<(string Category, string Body)>> OutboxTextsToAsync(string to) => app.InTenantAsync(Guid.Empty, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var rows = await db.OutboxMessages.Where(m => m.Kind == OutboxKind.Sms && m.To == to).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => new { m.Category, m.Body }).ToListAsync();
        return rows.Select(r => (r.Category, r.Body)).ToList();
    });

    private List<(string To, string From, string Body)> SentTo(string to) => app.Twilio.Messages.Where(m => m.To == to).ToList();

    [Fact]
    public async Task AQuestionByText_IsAnsweredThroughTheMessagesApi_FromTheBusinessNumber()
    {
        var (_, number) = await TenantAsync("Twilio Sms Hours Dental");
        const string customer = "+14155550201";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(customer, number, "What are your hours?")).StatusCode);

        var sent = Assert.Single(SentTo(customer));
        Assert.Equal(number, sent.From);
        Assert.Contains("8", sent.Body, StringComparison.Ordinal);
        var request = Assert.Single(app.Twilio.RequestsTo("POST", "/Messages.json"), r => r.Form.GetValueOrDefault("To") == customer);
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/Messages.json", request.Path);
        Assert.Equal(FakeTwilioServer.ExpectedAuthorization, request.Authorization);
        Assert.Empty(await OutboxTextsToAsync(customer));
    }

    [Fact]
    public async Task ALongStaffReply_IsSentAsSegmentSizedMessages_InOrder()
    {
        var (tenant, number) = await TenantAsync("Twilio Sms Long Dental");
        const string customer = "+14155550202";
        await PostAsync(customer, number, "What are your hours?");
        var (conversationId, owner) = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var conversation = await db.Conversations.Where(c => c.Channel == Channel.Sms).Select(c => c.Id).SingleAsync();
            var user = await db.Users.Where(u => u.TenantId == tenant.TenantId).Select(u => u.Id).FirstAsync();
            return (conversation, user);
        });
        var words = string.Join(' ', Enumerable.Range(1, 60).Select(i => $"word{i}"));
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var live = sp.GetRequiredService<LiveChatStaffService>();
            await live.TakeOverAsync(conversationId, owner, "Sam Lee", CancellationToken.None);
            await live.WriteAsStaffAsync(conversationId, owner, words, CancellationToken.None);
            return 0;
        });

        var sent = SentTo(customer).Select(m => m.Body).ToList();
        var expected = SmsSegments.Split(words);
        Assert.True(expected.Count >= 3, $"{expected.Count} parts");
        Assert.Equal(expected, sent.Skip(sent.Count - expected.Count));
        Assert.All(expected, part => Assert.True(part.Length <= 153, part));
        Assert.Equal(words, string.Join(' ', expected));
        Assert.All(SentTo(customer), m => Assert.Equal(number, m.From));
    }

    [Fact]
    public async Task AReplyTwilioRefuses_IsKeptInTheOutbox_NotLost()
    {
        var (_, number) = await TenantAsync("Twilio Sms Refused Dental");
        const string customer = "+14155550203";
        app.Twilio.MessageRefusedTimes = 1;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(customer, number, "What are your hours?")).StatusCode);

        Assert.Empty(SentTo(customer));
        var kept = Assert.Single(await OutboxTextsToAsync(customer));
        Assert.Equal(TwilioSmsSender.UndeliveredCategory, kept.Category);
        Assert.Contains("8", kept.Body, StringComparison.Ordinal);
    }
}
