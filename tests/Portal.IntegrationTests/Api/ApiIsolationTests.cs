using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Conversations;

namespace Portal.IntegrationTests.Api;

/// <summary>A key of business A never reads or writes anything of business B, on every /api/v1 route.</summary>
public sealed class ApiIsolationTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    [Fact]
    public async Task KeyOfA_NeverReadsOrWritesB()
    {
        var (a, clientA) = await app.TenantWithClientAsync("Iso A Dental");
        var (b, clientB) = await app.TenantWithClientAsync("Iso B Dental");

        // B's resources, made through B's own key.
        var serviceB = await ApiAppFactory.FirstServiceAsync(clientB);
        var bookingB = (await (await clientB.PostAsJsonAsync("/api/v1/bookings", new { serviceId = serviceB, start = ApiAppFactory.LocalStart(5, 10), customerName = "Bea B", customerPhone = "+12125550131" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var conversationB = (await (await clientB.PostAsJsonAsync("/api/v1/conversations", new { channel = "test" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversationId").GetGuid();
        var callB = await app.InTenantAsync(b.TenantId, async sp => (await sp.GetRequiredService<CallConversationService>()
            .StartCallAsync(b.AgentId, new VoiceCallDetails("CA" + Guid.NewGuid().ToString("N"), "+12125550132", "+15555550101", "in-progress"), CancellationToken.None)).Conversation.ConversationId);
        var closedB = (await (await clientB.PostAsJsonAsync("/api/v1/closed-dates", new { date = ApiAppFactory.LocalStart(20, 0)[..10], reason = "B holiday" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var faqB = (await (await clientB.PostAsJsonAsync("/api/v1/knowledge/faqs", new { question = "B secret question?", answer = "B answer." })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var agentB = await clientB.GetFromJsonAsync<JsonElement>("/api/v1/agent");
        var numberB = (await clientB.GetFromJsonAsync<JsonElement>("/api/v1/numbers")).EnumerateArray().Single().GetProperty("e164").GetString()!;
        var hoursB = await clientB.GetStringAsync("/api/v1/hours");

        // Reads by id: 404.
        foreach (var path in new[] { $"/api/v1/bookings/{bookingB}", $"/api/v1/conversations/{conversationB}", $"/api/v1/calls/{callB}", $"/api/v1/calls/{callB}/recordings", $"/api/v1/services/{serviceB}" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await clientA.GetAsync(path)).StatusCode);
        }

        // Lists: nothing of B.
        var lists = string.Join("\n", await Task.WhenAll(new[] { "/api/v1/bookings", "/api/v1/conversations", "/api/v1/calls", "/api/v1/services", "/api/v1/hours", "/api/v1/closed-dates", "/api/v1/knowledge/sources", "/api/v1/agent", "/api/v1/numbers" }
            .Select(p => clientA.GetStringAsync(p))));
        foreach (var secret in new[] { bookingB.ToString(), conversationB.ToString(), callB.ToString(), serviceB.ToString(), closedB.ToString(), faqB.ToString(), "B secret question", "B holiday", agentB.GetProperty("id").GetString()!, numberB })
        {
            Assert.DoesNotContain(secret, lists, StringComparison.Ordinal);
        }

        // Writes on B's ids: 404, and B's data is unchanged.
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.PostAsJsonAsync($"/api/v1/bookings/{bookingB}/reschedule", new { start = ApiAppFactory.LocalStart(5, 15) })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.PostAsync($"/api/v1/bookings/{bookingB}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.PostAsJsonAsync("/api/v1/bookings", new { serviceId = serviceB, start = ApiAppFactory.LocalStart(5, 12), customerName = "Eve", customerPhone = "+12125550133" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.PostAsJsonAsync($"/api/v1/conversations/{conversationB}/turns", new { utterance = "cancel my appointment" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.PostAsync($"/api/v1/conversations/{conversationB}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.DeleteAsync($"/api/v1/closed-dates/{closedB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clientA.PutAsJsonAsync("/api/v1/agent", new { name = "Alf" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clientA.PutAsJsonAsync("/api/v1/hours", new[] { new { dayOfWeek = "Tuesday", opens = "10:00", closes = "11:00" } })).StatusCode);

        var bookingAfter = await clientB.GetFromJsonAsync<JsonElement>($"/api/v1/bookings/{bookingB}");
        Assert.Equal("Confirmed", bookingAfter.GetProperty("status").GetString());
        Assert.Null((await clientB.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversationB}")).GetProperty("conversation").GetProperty("endedAt").GetString());
        Assert.Contains((await clientB.GetFromJsonAsync<JsonElement>("/api/v1/closed-dates")).EnumerateArray(), c => c.GetProperty("id").GetGuid() == closedB);
        Assert.Equal(agentB.GetProperty("name").GetString(), (await clientB.GetFromJsonAsync<JsonElement>("/api/v1/agent")).GetProperty("name").GetString());
        Assert.Equal(hoursB, await clientB.GetStringAsync("/api/v1/hours"));
        Assert.Single((await clientB.GetFromJsonAsync<JsonElement>("/api/v1/bookings")).GetProperty("data").EnumerateArray());
        _ = a;
    }
}
