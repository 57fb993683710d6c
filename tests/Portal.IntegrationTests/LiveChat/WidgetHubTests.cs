using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.LiveChat;

namespace Portal.IntegrationTests.LiveChat;

public sealed class WidgetHubTests(WidgetAppFactory app) : IClassFixture<WidgetAppFactory>
{
    private async Task<HttpResponseMessage> NegotiateAsync(string key, string? origin)
    {
        using var client = new HttpClient { BaseAddress = app.ServerAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/widget/hub/negotiate?negotiateVersion=1&agent=" + key);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Negotiate_FromAnotherWebsite_Is403_AndAnAllowedOneGetsCors()
    {
        var (_, key) = await app.CreateWidgetTenantAsync("Origin Dental");

        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync(key, "http://evil.example.test")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync(key, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await NegotiateAsync("wgt_doesnotexist", WidgetAppFactory.AllowedOrigin)).StatusCode);
        var allowed = await NegotiateAsync(key, WidgetAppFactory.AllowedOrigin);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(WidgetAppFactory.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        await using var evil = new WidgetClient(app.ServerAddress, key, "http://evil.example.test");
        await Assert.ThrowsAnyAsync<Exception>(() => evil.StartAsync());
    }

    [Fact]
    public async Task Visitor_AsksTheHours_GetsAStreamedReply_AndResumesAfterReload()
    {
        var (tenant, key) = await app.CreateWidgetTenantAsync("Stream Dental");
        string token;
        await using (var visitor = new WidgetClient(app.ServerAddress, key, WidgetAppFactory.AllowedOrigin))
        {
            var start = await visitor.StartAsync();
            Assert.Equal("#aa3300", start.Colour);
            Assert.Single(start.Lines);
            token = start.Token;
            await visitor.SendAsync("What are your hours?");
            var reply = await visitor.WaitForAsync("reply");
            Assert.Contains("8", reply, StringComparison.Ordinal);
            var deltas = visitor.Texts("delta");
            Assert.True(deltas.Count > 1, "the reply is streamed in several chunks");
            Assert.Equal(reply, string.Concat(deltas));
            Assert.Equal("on", visitor.Texts("typing")[0]);
        }

        // A reload: the same token resumes the same conversation with its history.
        await using var again = new WidgetClient(app.ServerAddress, key, WidgetAppFactory.AllowedOrigin, HttpTransportType.LongPolling);
        var resumed = await again.StartAsync(token);
        Assert.Equal(token, resumed.Token);
        Assert.Equal(["agent", "customer", "agent"], resumed.Lines.Select(l => l.Speaker));
        Assert.Equal("What are your hours?", resumed.Lines[1].Text);

        var stored = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.Conversations.Where(c => c.Channel == Channel.WebChat).Select(c => c.TurnCount).ToListAsync();
        });
        Assert.Equal([3], stored);
        // The token is stored hashed only.
        var hashes = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.WidgetVisitors.Select(v => v.TokenHash).ToListAsync();
        });
        Assert.Equal(VisitorTokens.Hash(token), Assert.Single(hashes));
    }

    [Fact]
    public async Task Takeover_TheAgentNeverRepliesUntilHandedBack()
    {
        var (tenant, key) = await app.CreateWidgetTenantAsync("Takeover Dental");
        var ownerId = await OwnerIdAsync(tenant.TenantId);
        await using var visitor = new WidgetClient(app.ServerAddress, key, WidgetAppFactory.AllowedOrigin);
        var start = await visitor.StartAsync();
        var conversationId = await ConversationIdAsync(tenant.TenantId);

        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var chat = sp.GetRequiredService<LiveChatStaffService>();
            await chat.TakeOverAsync(conversationId, ownerId, "Sam Lee", CancellationToken.None);
            return 0;
        });
        Assert.Equal("Sam from the team has joined.", await visitor.WaitForAsync("message:takenOver"));

        // Send returns once the server has handled the message: had the agent answered, its reply would already be here.
        await visitor.SendAsync("What are your hours?");
        await visitor.SendAsync("Can I book a cleaning tomorrow at 10am?");
        Assert.Empty(visitor.Texts("reply"));
        Assert.Empty(visitor.Texts("delta"));
        Assert.Equal(0, await AgentTurnsAfterAsync(tenant.TenantId, conversationId, 1));

        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var chat = sp.GetRequiredService<LiveChatStaffService>();
            await chat.WriteAsStaffAsync(conversationId, ownerId, "Hi, Sam here. We open at 8.", CancellationToken.None);
            return 0;
        });
        Assert.Equal("Hi, Sam here. We open at 8.", await visitor.WaitForAsync("message:staff"));
        var speakers = await SpeakersAsync(tenant.TenantId, conversationId);
        Assert.Equal([Speaker.Agent, Speaker.Staff, Speaker.Customer, Speaker.Customer, Speaker.Staff], speakers);

        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await sp.GetRequiredService<LiveChatStaffService>().HandBackAsync(conversationId, ownerId, CancellationToken.None);
            return 0;
        });
        await visitor.WaitForAsync("message:handedBack");
        await visitor.SendAsync("What are your hours?");
        Assert.Contains("8", await visitor.WaitForAsync("reply"), StringComparison.Ordinal);
        Assert.Equal(1, await AgentTurnsAfterAsync(tenant.TenantId, conversationId, 1));
        Assert.NotNull(start.Token);
    }

    [Fact]
    public async Task TalkToAPerson_NobodyJoins_TheAgentOffersABookingOrAMessage()
    {
        var (tenant, key) = await app.CreateWidgetTenantAsync("Nobody Dental");
        // The shortest wait the settings allow is 5 s; the test sets 1 s directly to stay quick. The business is open all
        // day, every day, so the test means the same at any hour it runs (out of hours has its own test).
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            await db.BusinessHours.ExecuteDeleteAsync();
            db.BusinessHours.AddRange(Enum.GetValues<DayOfWeek>().Select(d => new BusinessHours { DayOfWeek = d, Opens = TimeOnly.MinValue, Closes = new TimeOnly(23, 59) }));
            await db.SaveChangesAsync();
            return await db.ChatWidgets.ExecuteUpdateAsync(s => s.SetProperty(w => w.HandoverWaitSeconds, 1));
        });
        await using var visitor = new WidgetClient(app.ServerAddress, key, WidgetAppFactory.AllowedOrigin);
        await visitor.StartAsync();
        await visitor.SendAsync("Can I talk to a real person please?");
        Assert.Equal(ChatHandover.WaitingNotice, await visitor.WaitForAsync("reply"));
        var emails = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.OutboxMessages.Where(m => m.TenantId == tenant.TenantId && m.Category == ChatHandover.HandoverEmailCategory).Select(m => m.To).ToListAsync();
        });
        Assert.Equal([tenant.Email], emails);

        Assert.Equal(ChatHandover.NoOneAvailableNotice, await visitor.WaitForAsync("message:agent"));
        // Never a dead end: the agent takes the message.
        await visitor.SendAsync("I'd like to leave a message");
        // The message flow starts: it asks what to pass on or who is calling (the order is the engine's), never "I don't know".
        var taking = await visitor.WaitForAsync("reply", 2);
        Assert.Matches(new System.Text.RegularExpressions.Regex(@"pass on|message|name", System.Text.RegularExpressions.RegexOptions.IgnoreCase), taking);
    }

    [Fact]
    public async Task TalkToAPerson_OutOfHours_TheAgentSaysSoAtOnce()
    {
        var (tenant, key) = await app.CreateWidgetTenantAsync("Closed Dental");
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.BusinessHours.ExecuteDeleteAsync();
        });
        app.Services.GetRequiredService<Portal.Domain.Conversations.BusinessProfileCache>().Invalidate(tenant.TenantId);
        await using var visitor = new WidgetClient(app.ServerAddress, key, WidgetAppFactory.AllowedOrigin);
        await visitor.StartAsync();
        Assert.Equal(ChatHandover.OutOfHoursNotice, await visitor.TalkToPersonAsync());
    }

    [Fact]
    public async Task Inbox_ListsOnlyTheBusinessOwnChats_AndAnotherBusinessCannotTakeOver()
    {
        var (a, keyA) = await app.CreateWidgetTenantAsync("Iso A Dental");
        var (b, _) = await app.CreateWidgetTenantAsync("Iso B Dental");
        await using var visitor = new WidgetClient(app.ServerAddress, keyA, WidgetAppFactory.AllowedOrigin);
        await visitor.StartAsync();
        var conversationId = await ConversationIdAsync(a.TenantId);

        var seenByB = await app.InTenantAsync(b.TenantId, sp => sp.GetRequiredService<LiveChatStaffService>().ListInboxAsync(7, 100, CancellationToken.None));
        Assert.DoesNotContain(seenByB, r => r.ConversationId == conversationId);
        var seenByA = await app.InTenantAsync(a.TenantId, sp => sp.GetRequiredService<LiveChatStaffService>().ListInboxAsync(7, 100, CancellationToken.None));
        Assert.Contains(seenByA, r => r.ConversationId == conversationId);
        var ownerB = await OwnerIdAsync(b.TenantId);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => app.InTenantAsync(b.TenantId, async sp =>
        {
            await sp.GetRequiredService<LiveChatStaffService>().TakeOverAsync(conversationId, ownerB, "Mallory", CancellationToken.None);
            return 0;
        }));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => app.InTenantAsync(b.TenantId, sp => sp.GetRequiredService<LiveChatService>().TranscriptAsync(conversationId, CancellationToken.None)));

        // And the Inbox page itself needs a signed-in business user.
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.ServerAddress };
        var page = await anonymous.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task WidgetScript_IsServed_UnderThirtyKilobytesGzipped_AndNeverWritesHtml()
    {
        using var client = new HttpClient { BaseAddress = app.ServerAddress };
        var script = await client.GetStringAsync("/widget.js");
        using var buffer = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            await gzip.WriteAsync(System.Text.Encoding.UTF8.GetBytes(script));
        }

        Assert.InRange(buffer.Length, 1000, 30 * 1024);
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
        Assert.Contains("attachShadow", script, StringComparison.Ordinal);
        Assert.Contains("aria-live", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_WithBadInput_GetsAClearErrorAndStoresNothing()
    {
        var (tenant, key) = await app.CreateWidgetTenantAsync("Bad Input Dental");
        await using var visitor = new WidgetClient(app.ServerAddress, key, WidgetAppFactory.AllowedOrigin);
        await visitor.StartAsync();
        var error = await Assert.ThrowsAsync<HubException>(() => visitor.SendAsync(new string('a', 1001)));
        Assert.Contains("longer than 1000", error.Message, StringComparison.Ordinal);
        var conversationId = await ConversationIdAsync(tenant.TenantId);
        Assert.Equal([Speaker.Agent], await SpeakersAsync(tenant.TenantId, conversationId));
    }

    private Task<Guid> OwnerIdAsync(Guid tenantId) => app.InTenantAsync(tenantId, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.TenantId == tenantId).Select(u => u.Id).FirstAsync();
    });

    private Task<Guid> ConversationIdAsync(Guid tenantId) => app.InTenantAsync(tenantId, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Conversations.Where(c => c.Channel == Channel.WebChat).Select(c => c.Id).SingleAsync();
    });

    private Task<List<Speaker>> SpeakersAsync(Guid tenantId, Guid conversationId) => app.InTenantAsync(tenantId, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Turns.Where(t => t.ConversationId == conversationId).OrderBy(t => t.Sequence).Select(t => t.Speaker).ToListAsync();
    });

    private Task<int> AgentTurnsAfterAsync(Guid tenantId, Guid conversationId, int sequence) => app.InTenantAsync(tenantId, async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Turns.CountAsync(t => t.ConversationId == conversationId && t.Speaker == Speaker.Agent && t.Sequence > sequence);
    });
}
