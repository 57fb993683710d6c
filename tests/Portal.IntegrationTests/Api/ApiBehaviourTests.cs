using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Portal.IntegrationTests.Api;

/// <summary>Idempotency-Key replay and conflicts, cursor pagination, and the per-key 429 with Retry-After.</summary>
public sealed class ApiBehaviourTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    [Fact]
    public async Task IdempotencyKey_ReplaysTheFirstResponse_AndRefusesAnotherBody()
    {
        var (_, client) = await app.TenantWithClientAsync("Idem Dental");
        var service = await ApiAppFactory.FirstServiceAsync(client);
        var body = new { serviceId = service, start = ApiAppFactory.LocalStart(4, 9), customerName = "Ida Mae", customerPhone = "+12125550120" };

        async Task<HttpResponseMessage> PostAsync(object b, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/bookings") { Content = JsonContent.Create(b) };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        var first = await PostAsync(body, "booking-1");
        var second = await PostAsync(body, "booking-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.True(second.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Single() == "true");
        Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/v1/bookings")).GetProperty("data").EnumerateArray());

        var conflicting = await PostAsync(body with { start = ApiAppFactory.LocalStart(4, 11) }, "booking-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflicting.StatusCode);
        Assert.Equal("application/problem+json", conflicting.Content.Headers.ContentType?.MediaType);
        Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/v1/bookings")).GetProperty("data").EnumerateArray());

        // A new key is a new request: the slot is now taken, so 409, and that answer is replayed too.
        var other = await PostAsync(body, "booking-2");
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(body, "booking-2")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(body, new string('k', 300))).StatusCode);

        // Keys are per API key: another key of the same business with the same Idempotency-Key runs its own request.
        var (tenantB, clientB) = await app.TenantWithClientAsync("Idem Other Dental");
        _ = tenantB;
        using var requestB = new HttpRequestMessage(HttpMethod.Post, "/api/v1/conversations") { Content = JsonContent.Create(new { channel = "test" }) };
        requestB.Headers.Add("Idempotency-Key", "booking-1");
        Assert.Equal(HttpStatusCode.Created, (await clientB.SendAsync(requestB)).StatusCode);
    }

    [Fact]
    public async Task Lists_PageWithOpaqueCursors()
    {
        var (_, client) = await app.TenantWithClientAsync("Paging Dental");
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var started = await client.PostAsJsonAsync("/api/v1/conversations", new { channel = "test" });
            ids.Add((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversationId").GetGuid());
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/conversations?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            var data = page.GetProperty("data").EnumerateArray().ToList();
            Assert.True(data.Count <= 2);
            seen.AddRange(data.Select(d => d.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(ids.OrderBy(x => x), seen.OrderBy(x => x));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/conversations?cursor=not-a-cursor")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/bookings?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/bookings?limit=1000")).StatusCode);
    }

    [Fact]
    public async Task Key_OverItsBudget_Gets429WithRetryAfter()
    {
        var (_, client) = await app.TenantWithClientAsync("Budget Dental");
        HttpResponseMessage last = null!;
        for (var i = 0; i <= ApiAppFactory.KeyLimit; i++)
        {
            last = await client.GetAsync("/api/v1/services");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.True(last.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
    }
}
