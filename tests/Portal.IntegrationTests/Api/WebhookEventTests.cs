using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Numbers;
using Portal.Domain.Webhooks;
using Portal.Fakes;
using Portal.Fakes.Twilio;
using Portal.Jobs.Webhooks;
using Portal.Voice.Twilio;

namespace Portal.IntegrationTests.Api;

/// <summary>
/// Every event type the product raises, each triggered through its real path (the signed Twilio voice and status
/// webhooks, chat turns and the REST API) and delivered, signed, by the real delivery job to a receiver on 127.0.0.1.
/// Deliveries are asynchronous: a chat turn completes while the receiver is down, and the delivery follows later.
/// </summary>
public sealed class WebhookEventTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private sealed record Received(string Id, string Timestamp, string Signature, string Body)
    {
        public JsonElement Root => JsonDocument.Parse(Body).RootElement;

        public string Type => Root.GetProperty("type").GetString()!;

        public JsonElement Data => Root.GetProperty("data");
    }

    /// <summary>Standard Webhooks verification written from the specification, independent of the app's signer.</summary>
    private static bool Verify(string secret, Received r)
    {
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(r.Id + "." + r.Timestamp + "." + r.Body)));
        return r.Signature.Split(' ').Contains(expected, StringComparer.Ordinal);
    }

    private static async Task<(LoopbackServer Server, ConcurrentQueue<Received> Seen)> ReceiverAsync()
    {
        var seen = new ConcurrentQueue<Received>();
        var server = await LoopbackServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            seen.Enqueue(new Received(context.Request.Headers["webhook-id"].ToString(), context.Request.Headers["webhook-timestamp"].ToString(),
                context.Request.Headers["webhook-signature"].ToString(), body));
            context.Response.StatusCode = 200;
        });
        return (server, seen);
    }

    /// <summary>Runs the delivery job for every delivery queued for the tenant since <paramref name="from"/>; returns the new count.</summary>
    private async Task<int> DeliverQueuedAsync(Guid tenantId, int from)
    {
        var queued = app.Queue.For(tenantId);
        foreach (var item in queued.Skip(from))
        {
            await app.InTenantAsync(tenantId, async sp => { await sp.GetRequiredService<DeliverWebhookJob>().RunAsync(tenantId, item.DeliveryId, item.Replay, CancellationToken.None); return 0; });
        }

        return queued.Count;
    }

    /// <summary>Posts a form signed as Twilio signs it (the URL the app sees plus the sorted fields).</summary>
    private async Task<HttpResponseMessage> PostTwilioAsync(string path, Dictionary<string, string> form)
    {
        var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioRequestSigner.Sign(ApiAppFactory.TwilioAuthToken, new Uri(client.BaseAddress!, path).ToString(),
            form.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))));
        return await client.SendAsync(request);
    }

    private static async Task<Guid> StartChatAsync(HttpClient client)
    {
        var started = await client.PostAsJsonAsync("/api/v1/conversations", new { channel = "web_chat" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        return (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversationId").GetGuid();
    }

    private static async Task<JsonElement> TurnAsync(HttpClient client, Guid conversationId, string utterance)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/turns", new { utterance });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task EveryEventType_RaisedThroughItsRealPath_IsDeliveredSigned()
    {
        var (tenant, client) = await app.TenantWithClientAsync("Every Event Dental");
        var (server, seen) = await ReceiverAsync();
        await using var _ = server;
        var (_, secret) = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>()
            .CreateAsync(new Uri(server.BaseUrl, "/all").ToString(), "Everything", WebhookEventTypes.All.Select(e => e.Type).ToList(), CancellationToken.None));
        var number = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<NumberPool>().HeldByAsync(tenant.TenantId, CancellationToken.None)))!.E164;
        var delivered = 0;

        // A phone call: Twilio's voice webhook starts it, its status callback ends it.
        var callSid = "CA" + Guid.NewGuid().ToString("N");
        var voice = await PostTwilioAsync("/twilio/voice", new() { ["CallSid"] = callSid, ["CallStatus"] = "ringing", ["From"] = "+12125550177", ["To"] = number, ["Direction"] = "inbound" });
        Assert.Equal(HttpStatusCode.OK, voice.StatusCode);
        Assert.NotNull(XDocument.Parse(await voice.Content.ReadAsStringAsync()).Root);
        delivered = await DeliverQueuedAsync(tenant.TenantId, delivered);
        var status = await PostTwilioAsync("/twilio/status", new() { ["CallSid"] = callSid, ["CallStatus"] = "completed", ["SequenceNumber"] = "3", ["CallDuration"] = "42" });
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        delivered = await DeliverQueuedAsync(tenant.TenantId, delivered);

        // Chats through the REST API: an unanswerable question (a knowledge gap), a message left, then the chat ended.
        var gapChat = await StartChatAsync(client);
        Assert.Contains("don't know", (await TurnAsync(client, gapChat, "Do you offer hyperbaric oxygen therapy?")).GetProperty("reply").GetString(), StringComparison.OrdinalIgnoreCase);
        var messageChat = await StartChatAsync(client);
        JsonElement last = default;
        foreach (var utterance in new[] { "I'd like to leave a message", "Please ask them to call me about my crown it feels loose", "John Smith", "646 555 0199" })
        {
            last = await TurnAsync(client, messageChat, utterance);
        }

        Assert.Equal("MessageTaken", last.GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/v1/conversations/{gapChat}/end", null)).StatusCode);

        // A booking made, moved and cancelled through the REST API.
        var serviceId = await ApiAppFactory.FirstServiceAsync(client);
        var created = await client.PostAsJsonAsync("/api/v1/bookings", new { serviceId, start = ApiAppFactory.LocalStart(4, 10), customerName = "Evan Event", customerPhone = "+12125550178" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var bookingId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/bookings/{bookingId}/reschedule", new { start = ApiAppFactory.LocalStart(4, 15) })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/bookings/{bookingId}/cancel", null)).StatusCode);
        await DeliverQueuedAsync(tenant.TenantId, delivered);

        var received = seen.ToList();
        Assert.All(received, r => Assert.True(Verify(secret, r), $"{r.Type} signature does not verify"));
        Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
        var byType = received.GroupBy(r => r.Type).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(WebhookEventTypes.All.Select(e => e.Type).Order(), byType.Keys.Order());

        var callId = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<PortalDbContext>().Conversations.Where(c => c.CallSid == callSid).Select(c => c.Id).SingleAsync());
        var started = Assert.Single(byType[WebhookEventTypes.CallStarted]).Data;
        Assert.Equal((callId, callSid, number), (started.GetProperty("id").GetGuid(), started.GetProperty("callSid").GetString(), started.GetProperty("to").GetString()));
        var completed = Assert.Single(byType[WebhookEventTypes.CallCompleted]).Data;
        Assert.Equal((callId, "completed", 42), (completed.GetProperty("id").GetGuid(), completed.GetProperty("status").GetString(), completed.GetProperty("durationSeconds").GetInt32()));
        var gap = Assert.Single(byType[WebhookEventTypes.KnowledgeGap]).Data;
        Assert.Equal(gapChat, gap.GetProperty("conversationId").GetGuid());
        Assert.Contains("hyperbaric", gap.GetProperty("question").GetString(), StringComparison.OrdinalIgnoreCase);
        var message = Assert.Single(byType[WebhookEventTypes.MessageTaken]).Data;
        Assert.Equal((messageChat, "John Smith"), (message.GetProperty("conversationId").GetGuid(), message.GetProperty("callerName").GetString()));
        Assert.Contains(byType[WebhookEventTypes.ConversationEnded], r => r.Data.GetProperty("id").GetGuid() == gapChat);
        Assert.Equal(bookingId, Assert.Single(byType[WebhookEventTypes.BookingCreated]).Data.GetProperty("id").GetGuid());
        var moved = Assert.Single(byType[WebhookEventTypes.BookingRescheduled]).Data;
        Assert.Equal(bookingId, moved.GetProperty("id").GetGuid());
        Assert.NotEqual(Assert.Single(byType[WebhookEventTypes.BookingCreated]).Data.GetProperty("startUtc").GetDateTimeOffset(), moved.GetProperty("startUtc").GetDateTimeOffset());
        var cancelled = Assert.Single(byType[WebhookEventTypes.BookingCancelled]).Data;
        Assert.Equal((bookingId, "Cancelled"), (cancelled.GetProperty("id").GetGuid(), cancelled.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task ChatTurn_CompletesWhileTheReceiverIsDown_AndTheSignedDeliveryFollowsWhenItIsBack()
    {
        var (tenant, client) = await app.TenantWithClientAsync("Receiver Down Dental");
        // Nothing listens on the discard port: every connection is refused.
        var (endpoint, secret) = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>()
            .CreateAsync("http://127.0.0.1:9/down", null, [WebhookEventTypes.KnowledgeGap], CancellationToken.None));

        var chat = await StartChatAsync(client);
        var reply = await TurnAsync(client, chat, "Do you offer hyperbaric oxygen therapy?");
        Assert.Contains("don't know", reply.GetProperty("reply").GetString(), StringComparison.OrdinalIgnoreCase);
        var queued = Assert.Single(app.Queue.For(tenant.TenantId));
        var pending = Assert.Single(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>().ListDeliveriesAsync(endpoint.Id, 10, CancellationToken.None)));
        Assert.Equal(WebhookDeliveryStatus.Pending, pending.Status);

        // The job's attempt fails to connect and schedules a retry.
        await DeliverQueuedAsync(tenant.TenantId, 0);
        var retry = app.Queue.For(tenant.TenantId).Last();
        Assert.NotNull(retry.At);
        var failed = Assert.Single(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>().ListAttemptsAsync(queued.DeliveryId, CancellationToken.None)));
        Assert.Null(failed.StatusCode);

        // The receiver is back (at its new address): the retry delivers the same message, signed.
        var (server, seen) = await ReceiverAsync();
        await using var _ = server;
        Assert.True(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>()
            .UpdateAsync(endpoint.Id, new Uri(server.BaseUrl, "/up").ToString(), null, [WebhookEventTypes.KnowledgeGap], CancellationToken.None)));
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.WebhookDeliveries.Where(d => d.Id == queued.DeliveryId).ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        });
        await DeliverQueuedAsync(tenant.TenantId, 1);

        var received = Assert.Single(seen);
        Assert.True(Verify(secret, received));
        Assert.Equal((WebhookEventTypes.KnowledgeGap, chat), (received.Type, received.Data.GetProperty("conversationId").GetGuid()));
        Assert.Equal(WebhookDeliveryStatus.Succeeded,
            Assert.Single(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>().ListDeliveriesAsync(endpoint.Id, 10, CancellationToken.None))).Status);
    }
}
