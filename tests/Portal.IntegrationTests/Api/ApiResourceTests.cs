using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Conversations;

namespace Portal.IntegrationTests.Api;

/// <summary>Curl-like requests with an API key against each resource of the public REST API.</summary>
public sealed class ApiResourceTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    [Fact]
    public async Task Bookings_CreateRescheduleCancel_WithTheAgentsRules()
    {
        var (_, client) = await app.TenantWithClientAsync("Api Bookings Dental");
        var service = await ApiAppFactory.FirstServiceAsync(client);

        var created = await client.PostAsJsonAsync("/api/v1/bookings", new { serviceId = service, start = ApiAppFactory.LocalStart(3, 10), customerName = "Ana Lopez", customerPhone = "+12125550111" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var booking = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = booking.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/bookings/{id}", created.Headers.Location!.ToString());
        Assert.Equal("Confirmed", booking.GetProperty("status").GetString());

        // The same slot again is refused by the agent's availability rules, with alternatives.
        var taken = await client.PostAsJsonAsync("/api/v1/bookings", new { serviceId = service, start = ApiAppFactory.LocalStart(3, 10), customerName = "Bo Chen", customerPhone = "+12125550112" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        var problem = await taken.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Taken", problem.GetProperty("reason").GetString());
        Assert.NotEmpty(problem.GetProperty("alternatives").EnumerateArray());
        // Outside opening hours (the test business opens 8-20).
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/v1/bookings", new { serviceId = service, start = ApiAppFactory.LocalStart(3, 3), customerName = "Bo Chen", customerPhone = "+12125550112" })).StatusCode);
        // Bad input: field errors, nothing booked.
        var bad = await client.PostAsJsonAsync("/api/v1/bookings", new { serviceId = service, start = "tomorrow", customerName = "", customerPhone = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("start", out _));
        var badPhone = await client.PostAsJsonAsync("/api/v1/bookings", new { serviceId = service, start = ApiAppFactory.LocalStart(3, 12), customerName = "Cy", customerPhone = "12" });
        Assert.Equal(HttpStatusCode.BadRequest, badPhone.StatusCode);
        Assert.True((await badPhone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("customerPhone", out _));
        Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/v1/bookings")).GetProperty("data").EnumerateArray());

        var moved = await client.PostAsJsonAsync($"/api/v1/bookings/{id}/reschedule", new { start = ApiAppFactory.LocalStart(3, 14) });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var start = (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("startUtc").GetDateTimeOffset();
        Assert.Equal(14, TimeZoneInfo.ConvertTime(start, ny).Hour);

        var cancelled = await client.PostAsync($"/api/v1/bookings/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("Cancelled", (await client.GetFromJsonAsync<JsonElement>($"/api/v1/bookings/{id}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/v1/bookings/{id}/cancel", null)).StatusCode);
        Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/v1/bookings?status=cancelled")).GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/bookings/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Conversations_StartTurnListGet()
    {
        var (_, client) = await app.TenantWithClientAsync("Api Chat Dental");
        var started = await client.PostAsJsonAsync("/api/v1/conversations", new { channel = "web_chat" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversationId").GetGuid();
        var turn = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance = "What are your hours?" });
        Assert.Equal(HttpStatusCode.OK, turn.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace((await turn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reply").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance = "" })).StatusCode);
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{id}");
        Assert.True(detail.GetProperty("turns").GetArrayLength() >= 3);
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/conversations?channel=web_chat");
        Assert.Contains(list.GetProperty("data").EnumerateArray(), c => c.GetProperty("id").GetGuid() == id);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/v1/conversations?channel=voice")).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Calls_ListAndGet_WithRecordings()
    {
        var (tenant, client) = await app.TenantWithClientAsync("Api Calls Dental");
        var callId = await app.InTenantAsync(tenant.TenantId, async sp => (await sp.GetRequiredService<CallConversationService>()
            .StartCallAsync(tenant.AgentId, new VoiceCallDetails("CA" + Guid.NewGuid().ToString("N"), "+12125550199", "+15555550100", "in-progress"), CancellationToken.None)).Conversation.ConversationId);
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/calls");
        var call = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal(callId, call.GetProperty("id").GetGuid());
        Assert.Equal("+12125550199", call.GetProperty("from").GetString());
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}");
        Assert.Equal(callId, detail.GetProperty("call").GetProperty("id").GetGuid());
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}/recordings")).GetArrayLength());
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/v1/calls?status=completed")).GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/calls?outcome=nonsense")).StatusCode);
    }

    [Fact]
    public async Task ServicesHoursAndClosedDates()
    {
        var (_, client) = await app.TenantWithClientAsync("Api Hours Dental");
        Assert.NotEmpty((await client.GetFromJsonAsync<JsonElement>("/api/v1/services")).EnumerateArray());
        Assert.Equal(7, (await client.GetFromJsonAsync<JsonElement>("/api/v1/hours")).GetArrayLength());

        var put = await client.PutAsJsonAsync("/api/v1/hours", new[] { new { dayOfWeek = "Monday", opens = "09:00", closes = "12:00" }, new { dayOfWeek = "Monday", opens = "13:00", closes = "17:00" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>("/api/v1/hours")).GetArrayLength());
        var overlap = await client.PutAsJsonAsync("/api/v1/hours", new[] { new { dayOfWeek = "Monday", opens = "09:00", closes = "12:00" }, new { dayOfWeek = "Monday", opens = "11:00", closes = "17:00" } });
        Assert.Equal(HttpStatusCode.BadRequest, overlap.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync("/api/v1/hours", new[] { new { dayOfWeek = "Funday", opens = "09:00", closes = "12:00" } })).StatusCode);
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>("/api/v1/hours")).GetArrayLength());

        var date = ApiAppFactory.LocalStart(10, 0)[..10];
        var added = await client.PostAsJsonAsync("/api/v1/closed-dates", new { date, reason = "Staff training" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var closedId = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/v1/closed-dates", new { date })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/v1/closed-dates", new { date = "2001-01-01" })).StatusCode);
        Assert.Contains((await client.GetFromJsonAsync<JsonElement>("/api/v1/closed-dates")).EnumerateArray(), c => c.GetProperty("date").GetString() == date);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/closed-dates/{closedId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/v1/closed-dates/{closedId}")).StatusCode);
    }

    [Fact]
    public async Task Knowledge_AddFaq_UploadFile_ListSources()
    {
        var (_, client) = await app.TenantWithClientAsync("Api Knowledge Dental");
        var faq = await client.PostAsJsonAsync("/api/v1/knowledge/faqs", new { question = "Do you take walk-ins?", answer = "Yes, before noon." });
        Assert.Equal(HttpStatusCode.Created, faq.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/v1/knowledge/faqs", new { question = "", answer = "x" })).StatusCode);

        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent("Parking is free behind the building."u8.ToArray()), "file", "parking.txt");
        var upload = await client.PostAsync("/api/v1/knowledge/files", form);
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        using var exe = new MultipartFormDataContent();
        exe.Add(new ByteArrayContent([0x4d, 0x5a]), "file", "tool.exe");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/v1/knowledge/files", exe)).StatusCode);

        var sources = (await client.GetFromJsonAsync<JsonElement>("/api/v1/knowledge/sources")).GetProperty("data").EnumerateArray().ToList();
        Assert.Contains(sources, s => s.GetProperty("title").GetString() == "Do you take walk-ins?");
        Assert.Contains(sources, s => s.GetProperty("kind").GetString() == "File" && s.GetProperty("sourceName").GetString() == "parking.txt");
        Assert.All((await client.GetFromJsonAsync<JsonElement>("/api/v1/knowledge/sources?kind=file")).GetProperty("data").EnumerateArray(), s => Assert.Equal("File", s.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Agent_GetAndUpdate_AndNumbers()
    {
        var (_, client) = await app.TenantWithClientAsync("Api Agent Dental");
        var agent = await client.GetFromJsonAsync<JsonElement>("/api/v1/agent");
        var updated = await client.PutAsJsonAsync("/api/v1/agent", new { name = "Maya", personality = "Professional", transferNumber = "(212) 555-0177" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var body = await updated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Maya", body.GetProperty("name").GetString());
        Assert.Equal("+12125550177", body.GetProperty("transferNumber").GetString());
        Assert.Equal(agent.GetProperty("greeting").GetString(), body.GetProperty("greeting").GetString());

        var bad = await client.PutAsJsonAsync("/api/v1/agent", new { name = "Zed", personality = "Grumpy" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("Maya", (await client.GetFromJsonAsync<JsonElement>("/api/v1/agent")).GetProperty("name").GetString());

        var numbers = await client.GetFromJsonAsync<JsonElement>("/api/v1/numbers");
        var number = Assert.Single(numbers.EnumerateArray());
        Assert.Equal("Assigned", number.GetProperty("status").GetString());
        Assert.Equal(agent.GetProperty("id").GetGuid(), number.GetProperty("agentId").GetGuid());
    }
}
