using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Notifications;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Voice;

/// <summary>
/// A message a caller leaves (chat or phone call, through the conversation engine) is stored and announced to the
/// business: an outbox email to its owner and an SMS to the business phone (+12125550188 in
/// <see cref="PortalAppFactory.CreateTenantAsync"/>).
/// </summary>
public sealed class CallerMessageNotificationTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private const string Body = "Please ask them to call me about my crown it feels loose";

    private async Task<List<OutboxMessage>> OutboxAsync(Guid tenantId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.OutboxMessages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.TenantId == tenantId && m.Category == OutboxCategories.CallerMessage).OrderBy(m => m.Kind).ToListAsync();
    }

    private async Task<CallerMessage> StoredMessageAsync(Guid conversationId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.CallerMessages.IgnoreQueryFilters().AsNoTracking().SingleAsync(m => m.ConversationId == conversationId);
    }

    [Fact]
    public async Task ChatMessage_IsStored_AndEmailsTheOwner_AndTextsTheBusinessPhone()
    {
        var tenant = await app.CreateTenantAsync("Message Chat Dental");
        var client = await app.SignInAsync(tenant.Email, tenant.Password);
        var start = await client.PostAsJsonAsync("/api/v1/conversations", new { channel = "test" });
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversationId").GetGuid();
        Assert.Empty(await OutboxAsync(tenant.TenantId));

        JsonElement last = default;
        foreach (var utterance in new[] { "I'd like to leave a message", Body, "John Smith", "646 555 0199" })
        {
            var response = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            last = await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        Assert.Equal("MessageTaken", last.GetProperty("outcome").GetString());
        var stored = await StoredMessageAsync(id);
        var outbox = await OutboxAsync(tenant.TenantId);
        Assert.Equal(2, outbox.Count);
        var email = Assert.Single(outbox, m => m.Kind == OutboxKind.Email);
        Assert.Equal(tenant.Email, email.To);
        Assert.Equal("New message for Message Chat Dental from John Smith (646) 555-0199", email.Subject);
        Assert.Contains(stored.Body, email.Body, StringComparison.Ordinal);
        var sms = Assert.Single(outbox, m => m.Kind == OutboxKind.Sms);
        Assert.Equal("+12125550188", sms.To);
        Assert.Contains("John Smith", sms.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallMessage_UsesTheCallerId_AndEmailsTheOwner()
    {
        var tenant = await app.CreateTenantAsync("Message Call Dental");
        var conversationId = await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            var conversations = sp.GetRequiredService<ConversationService>();
            var (started, _) = await sp.GetRequiredService<CallConversationService>().StartCallAsync(tenant.AgentId,
                new VoiceCallDetails("CA" + Guid.NewGuid().ToString("N"), "+16465550123", "+12125550100", "in-progress"), CancellationToken.None);
            foreach (var utterance in new[] { "can I leave a message", Body, "Maria Garcia" })
            {
                await conversations.ProcessTurnAsync(started.ConversationId, utterance, CancellationToken.None);
            }

            return started.ConversationId;
        });

        var stored = await StoredMessageAsync(conversationId);
        Assert.Equal("+16465550123", stored.CallerPhone);
        var email = Assert.Single(await OutboxAsync(tenant.TenantId), m => m.Kind == OutboxKind.Email);
        Assert.Equal(tenant.Email, email.To);
        Assert.Equal("New message for Message Call Dental from Maria Garcia (646) 555-0123", email.Subject);
        Assert.Contains(Body, email.Body, StringComparison.Ordinal);
    }
}
