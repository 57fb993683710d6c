using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests;

public sealed class ConversationApiTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private static async Task<Guid> StartAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/conversations", new { channel = "test" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("greeting").GetString()));
        return body.GetProperty("conversationId").GetGuid();
    }

    private static async Task<JsonElement> SayAsync(HttpClient client, Guid id, string utterance)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task BookingConversation_OverTheApi_WritesTheBookingAndEveryTurn()
    {
        var tenant = await app.CreateTenantAsync("Api Dental");
        var client = await app.SignInAsync(tenant.Email, tenant.Password);
        var id = await StartAsync(client);

        var reply = await SayAsync(client, id, "Hi, I'd like a cleaning the day after tomorrow at 10am");
        Assert.Contains("name", reply.GetProperty("reply").GetString(), StringComparison.OrdinalIgnoreCase);
        await SayAsync(client, id, "Jamie Rivera");
        reply = await SayAsync(client, id, "212-555-0143");
        Assert.Contains("Shall I book", reply.GetProperty("reply").GetString(), StringComparison.Ordinal);
        reply = await SayAsync(client, id, "yes please");
        Assert.Equal("Booked", reply.GetProperty("outcome").GetString());
        Assert.Contains(reply.GetProperty("actions").EnumerateArray(), a => a.GetProperty("kind").GetString() == "BookingCreated");

        var bookings = (await client.GetFromJsonAsync<JsonElement>("/api/v1/bookings")).GetProperty("data");
        var booking = Assert.Single(bookings.EnumerateArray());
        Assert.Equal("Cleaning", booking.GetProperty("service").GetString());
        Assert.Equal("Jamie Rivera", booking.GetProperty("customerName").GetString());
        Assert.Equal("+12125550143", booking.GetProperty("customerPhone").GetString());
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var local = TimeZoneInfo.ConvertTime(booking.GetProperty("startUtc").GetDateTimeOffset(), ny);
        Assert.Equal(new TimeOnly(10, 0), TimeOnly.FromDateTime(local.DateTime));
        Assert.Equal(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, ny).DateTime).AddDays(2), DateOnly.FromDateTime(local.DateTime));

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{id}");
        var turns = detail.GetProperty("turns").EnumerateArray().ToList();
        Assert.Equal(9, turns.Count); // greeting + 4 exchanges
        Assert.Equal("Agent", turns[0].GetProperty("speaker").GetString());
        Assert.Equal("Customer", turns[1].GetProperty("speaker").GetString());
        Assert.Equal("Jamie Rivera", detail.GetProperty("conversation").GetProperty("customerName").GetString());
    }

    [Fact]
    public async Task Turn_WithEmptyOrHugeUtterance_Is400AndStoresNothing()
    {
        var tenant = await app.CreateTenantAsync("Validation Dental");
        var client = await app.SignInAsync(tenant.Email, tenant.Password);
        var id = await StartAsync(client);

        var empty = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance = "   " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var huge = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance = new string('a', 5000) });
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        var malformed = await client.PostAsync($"/api/v1/conversations/{id}/turns", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{id}");
        Assert.Single(detail.GetProperty("turns").EnumerateArray()); // the greeting only
    }

    [Fact]
    public async Task EndedConversation_RefusesMoreTurns_With409()
    {
        var tenant = await app.CreateTenantAsync("Ended Dental");
        var client = await app.SignInAsync(tenant.Email, tenant.Password);
        var id = await StartAsync(client);
        var bye = await SayAsync(client, id, "that's all, bye");
        Assert.True(bye.GetProperty("ended").GetBoolean());
        var after = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance = "hello?" });
        Assert.Equal(HttpStatusCode.Conflict, after.StatusCode);
    }

    [Fact]
    public async Task Api_WithoutSignIn_Is401()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/conversations", new { channel = "test" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/bookings")).StatusCode);
    }

    [Fact]
    public async Task Health_ReportsHealthy()
    {
        var client = app.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/health"));
    }
}
