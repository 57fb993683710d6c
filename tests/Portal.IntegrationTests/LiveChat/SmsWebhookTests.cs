using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.LiveChat;
using Portal.Fakes.Twilio;
using Portal.IntegrationTests.Infrastructure;
using Portal.Voice.Twilio;

namespace Portal.IntegrationTests.LiveChat;

public sealed class SmsWebhookTests(TwilioWebhookFactory app) : IClassFixture<TwilioWebhookFactory>
{
    private const string Path = "/twilio/sms";
    private static int _sid;

    private static Dictionary<string, string> SmsForm(string from, string to, string body) => new()
    {
        ["AccountSid"] = "AC00000000000000000000000000000001",
        ["ApiVersion"] = "2010-04-01",
        ["MessageSid"] = "SM" + Interlocked.Increment(ref _sid).ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..24],
        ["From"] = from,
        ["To"] = to,
        ["Body"] = body,
        ["NumMedia"] = "0",
        ["NumSegments"] = "1",
    };

    private async Task<HttpResponseMessage> PostAsync(Dictionary<string, string> form, bool sign = true)
    {
        var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, sign
            ? TwilioRequestSigner.Sign(TwilioWebhookFactory.AuthToken, TwilioWebhookFactory.PublicBaseUrl + Path, form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
            : "bm90IGEgc2lnbmF0dXJl");
        return await client.SendAsync(request);
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

    private Task<List<string>> TextsToAsync(string to) => app.InTenantAsync(Guid.Empty, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.OutboxMessages.Where(m => m.Kind == OutboxKind.Sms && m.To == to).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Select(m => m.Body).ToListAsync();
    });

    [Fact]
    public async Task ForgedSignature_Is403_AndNothingIsStored()
    {
        var (tenant, number) = await TenantAsync("Sms Forged Dental");
        var response = await PostAsync(SmsForm("+14155550101", number, "What are your hours?"), sign: false);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await TextsToAsync("+14155550101"));
        var conversations = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Conversations.CountAsync(c => c.Channel == Channel.Sms);
        });
        Assert.Equal(0, conversations);
    }

    [Fact]
    public async Task AQuestionByText_IsAnsweredByText_AndARetriedWebhookIsNotAnsweredTwice()
    {
        var (_, number) = await TenantAsync("Sms Hours Dental");
        var form = SmsForm("+14155550102", number, "What are your hours?");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(form)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(form)).StatusCode);
        var reply = Assert.Single(await TextsToAsync("+14155550102"));
        Assert.Contains("8", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_OptsOut_UntilStart()
    {
        var (tenant, number) = await TenantAsync("Sms Stop Dental");
        const string from = "+14155550103";
        await PostAsync(SmsForm(from, number, "STOP"));
        Assert.Contains("unsubscribed", Assert.Single(await TextsToAsync(from)), StringComparison.Ordinal);
        await PostAsync(SmsForm(from, number, "What are your hours?"));
        Assert.Single(await TextsToAsync(from));
        var optOuts = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.SmsOptOuts.Select(o => o.PhoneNumber).ToListAsync();
        });
        Assert.Equal([from], optOuts);

        await PostAsync(SmsForm(from, number, "start"));
        await PostAsync(SmsForm(from, number, "HELP"));
        var texts = await TextsToAsync(from);
        Assert.Equal(3, texts.Count);
        Assert.Contains("resubscribed", texts[1], StringComparison.Ordinal);
        Assert.Contains("Reply STOP", texts[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABookingByText_IsWrittenAndConfirmedByText()
    {
        var (tenant, number) = await TenantAsync("Sms Booking Dental");
        const string from = "+14155550104";
        await PostAsync(SmsForm(from, number, "Hi, I'd like a cleaning the day after tomorrow at 10am"));
        await PostAsync(SmsForm(from, number, "Jamie Rivera"));
        await PostAsync(SmsForm(from, number, "212-555-0143"));
        await PostAsync(SmsForm(from, number, "yes please"));
        var texts = await TextsToAsync(from);
        Assert.True(texts.Count >= 4, string.Join(" | ", texts));
        Assert.All(texts, t => Assert.True(SmsSegments.Units(t, SmsSegments.IsGsm7(t)) <= 160, t));
        var booking = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Bookings.SingleAsync();
        });
        Assert.Equal("Jamie Rivera", booking.CustomerName);
        var conversation = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Conversations.SingleAsync(c => c.Channel == Channel.Sms);
        });
        Assert.Equal(booking.ConversationId, conversation.Id);
        Assert.Equal(ConversationOutcome.Booked, conversation.Outcome);
    }

    [Fact]
    public async Task StaffTakeOverOfATextThread_SilencesTheAgent_AndTextsTheStaffReply()
    {
        var (tenant, number) = await TenantAsync("Sms Takeover Dental");
        const string from = "+14155550105";
        await PostAsync(SmsForm(from, number, "What are your hours?"));
        var conversationId = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Conversations.Where(c => c.Channel == Channel.Sms).Select(c => c.Id).SingleAsync();
        });
        var owner = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Users.Where(u => u.TenantId == tenant.TenantId).Select(u => u.Id).FirstAsync();
        });
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await sp.GetRequiredService<LiveChatStaffService>().TakeOverAsync(conversationId, owner, "Sam Lee", CancellationToken.None);
            return 0;
        });
        await PostAsync(SmsForm(from, number, "Are you open Sunday?"));
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await sp.GetRequiredService<LiveChatStaffService>().WriteAsStaffAsync(conversationId, owner, "Yes, 8 to 8.", CancellationToken.None);
            return 0;
        });
        var texts = await TextsToAsync(from);
        Assert.Equal(3, texts.Count);
        Assert.Equal("Sam from the team has joined.", texts[1]);
        Assert.Equal("Yes, 8 to 8.", texts[2]);
    }
}
