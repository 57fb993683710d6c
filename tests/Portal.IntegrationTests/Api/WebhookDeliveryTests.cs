using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Webhooks;
using Portal.Fakes;
using Portal.Jobs.Webhooks;

namespace Portal.IntegrationTests.Api;

/// <summary>
/// Outbound webhooks end to end: a receiver on 127.0.0.1 verifies every Standard Webhooks signature with its own
/// implementation, answers 500 twice and then 200; the real delivery job retries, logs attempts and replays; an endpoint
/// failing for 3 days is disabled and the owner emailed; private URLs are refused; businesses never see each other's.
/// </summary>
public sealed class WebhookDeliveryTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private sealed record Received(string Id, string Timestamp, string Signature, string Body);

    /// <summary>Verification as a receiver would write it from the specification, independent of the app's signer.</summary>
    private static bool Verify(string secret, Received r)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        using var hmac = new HMACSHA256(key);
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(r.Id + "." + r.Timestamp + "." + r.Body)));
        return r.Signature.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }

    private static async Task<(LoopbackServer Server, ConcurrentQueue<Received> Seen)> ReceiverAsync(Func<int, int> statusForCall)
    {
        var seen = new ConcurrentQueue<Received>();
        var calls = 0;
        var server = await LoopbackServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            seen.Enqueue(new Received(context.Request.Headers["webhook-id"].ToString(), context.Request.Headers["webhook-timestamp"].ToString(), context.Request.Headers["webhook-signature"].ToString(), body));
            context.Response.StatusCode = statusForCall(Interlocked.Increment(ref calls));
        });
        return (server, seen);
    }

    private Task RunJobAsync(Guid tenantId, Guid deliveryId, bool replay = false) =>
        app.InTenantAsync(tenantId, async sp => { await sp.GetRequiredService<DeliverWebhookJob>().RunAsync(tenantId, deliveryId, replay, CancellationToken.None); return 0; });

    private Task MakeDueAsync(Guid tenantId, Guid deliveryId) => SetNextAttemptAsync(tenantId, deliveryId, DateTimeOffset.UtcNow.AddSeconds(-1));

    private Task SetNextAttemptAsync(Guid tenantId, Guid deliveryId, DateTimeOffset at) =>
        app.InTenantAsync(tenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.WebhookDeliveries.Where(d => d.Id == deliveryId).ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, at));
        });

    private Task<WebhookDelivery> DeliveryAsync(Guid tenantId, Guid deliveryId) =>
        app.InTenantAsync(tenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == deliveryId);
        });

    [Fact]
    public async Task BookingCreated_IsSigned_RetriedAfter500s_LoggedAndReplayable()
    {
        var (tenant, client) = await app.TenantWithClientAsync("Hook Dental");
        var (server, seen) = await ReceiverAsync(n => n <= 2 ? 500 : 200);
        await using var _ = server;
        var (endpoint, secret) = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>()
            .CreateAsync(new Uri(server.BaseUrl, "/hooks").ToString(), "CRM", [WebhookEventTypes.BookingCreated, WebhookEventTypes.BookingCancelled], CancellationToken.None));
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(secret, await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>().GetSecretAsync(endpoint.Id, CancellationToken.None)));

        var service = await ApiAppFactory.FirstServiceAsync(client);
        var created = await client.PostAsJsonAsync("/api/v1/bookings", new { serviceId = service, start = ApiAppFactory.LocalStart(3, 9), customerName = "Hana Hook", customerPhone = "+12125550150" });
        var bookingId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // The booking only queued the delivery; nothing was sent during the request.
        var queued = Assert.Single(app.Queue.For(tenant.TenantId));
        Assert.Null(queued.At);
        Assert.Empty(seen);

        // Each retry is due one step of the schedule after its attempt, read back from the row, so the check does not
        // depend on how long a loaded machine took since.
        await RunJobAsync(tenant.TenantId, queued.DeliveryId);
        var retry = app.Queue.For(tenant.TenantId).Last();
        var afterFirst = await DeliveryAsync(tenant.TenantId, queued.DeliveryId);
        Assert.Equal(afterFirst.LastAttemptAt!.Value + DeliverWebhookJob.RetryDelays[0], retry.At!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(retry.At.Value, afterFirst.NextAttemptAt!.Value, TimeSpan.FromMilliseconds(1));
        await SetNextAttemptAsync(tenant.TenantId, queued.DeliveryId, DateTimeOffset.UtcNow.AddMinutes(1));
        await RunJobAsync(tenant.TenantId, queued.DeliveryId); // not due yet: claims nothing, sends nothing
        Assert.Single(seen);
        await MakeDueAsync(tenant.TenantId, queued.DeliveryId);
        await RunJobAsync(tenant.TenantId, queued.DeliveryId);
        var second = app.Queue.For(tenant.TenantId).Last();
        var afterSecond = await DeliveryAsync(tenant.TenantId, queued.DeliveryId);
        Assert.Equal(afterSecond.LastAttemptAt!.Value + DeliverWebhookJob.RetryDelays[1], second.At!.Value, TimeSpan.FromMilliseconds(1));
        await MakeDueAsync(tenant.TenantId, queued.DeliveryId);
        await RunJobAsync(tenant.TenantId, queued.DeliveryId);

        var received = seen.ToList();
        Assert.Equal(3, received.Count);
        Assert.All(received, r => Assert.True(Verify(secret, r), "signature does not verify"));
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.StartsWith("msg_", received[0].Id, StringComparison.Ordinal);
        using var payload = JsonDocument.Parse(received[0].Body);
        Assert.Equal("booking.created", payload.RootElement.GetProperty("type").GetString());
        Assert.Equal(bookingId, payload.RootElement.GetProperty("data").GetProperty("id").GetGuid());
        Assert.InRange(long.Parse(received[0].Timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        // A forged body does not verify.
        Assert.False(Verify(secret, received[0] with { Body = received[0].Body.Replace("Hana", "Evil", StringComparison.Ordinal) }));

        var delivery = Assert.Single(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>().ListDeliveriesAsync(endpoint.Id, 50, CancellationToken.None)));
        Assert.Equal(WebhookDeliveryStatus.Succeeded, delivery.Status);
        var attempts = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>().ListAttemptsAsync(delivery.Id, CancellationToken.None));
        Assert.Equal(new int?[] { 500, 500, 200 }, attempts.Select(a => a.StatusCode).ToArray());
        Assert.All(attempts, a => Assert.True(a.LatencyMs >= 0));

        // Replay from the page: queued as a replay, sent again with the same id and a fresh valid signature.
        Assert.True(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>().ReplayAsync(delivery.Id, CancellationToken.None)));
        Assert.True(app.Queue.For(tenant.TenantId).Last().Replay);
        await RunJobAsync(tenant.TenantId, delivery.Id, replay: true);
        Assert.Equal(4, seen.Count);
        Assert.Equal(received[0].Id, seen.Last().Id);
        Assert.True(Verify(secret, seen.Last()));
        Assert.True((await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>().ListAttemptsAsync(delivery.Id, CancellationToken.None))).Last().IsReplay);
    }

    [Fact]
    public async Task EndpointFailingFor3Days_IsDisabled_AndTheOwnerEmailed()
    {
        var (tenant, client) = await app.TenantWithClientAsync("Failing Hook Dental");
        var (server, seen) = await ReceiverAsync(_ => 503);
        await using var _ = server;
        var (endpoint, _) = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>()
            .CreateAsync(server.BaseUrl.ToString(), null, [WebhookEventTypes.MessageTaken, WebhookEventTypes.BookingCreated], CancellationToken.None));
        await app.InTenantAsync(tenant.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.FailingSince, DateTimeOffset.UtcNow.AddDays(-3).AddMinutes(-1)));
        });

        var service = await ApiAppFactory.FirstServiceAsync(client);
        await client.PostAsJsonAsync("/api/v1/bookings", new { serviceId = service, start = ApiAppFactory.LocalStart(3, 16), customerName = "Fay Fail", customerPhone = "+12125550151" });
        var queued = Assert.Single(app.Queue.For(tenant.TenantId));
        await RunJobAsync(tenant.TenantId, queued.DeliveryId);

        Assert.Single(seen);
        var info = Assert.Single(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>().ListAsync(CancellationToken.None)));
        Assert.False(info.IsEnabled);
        Assert.NotNull(info.DisabledAt);
        Assert.Equal(WebhookDeliveryStatus.Failed, Assert.Single(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>().ListDeliveriesAsync(null, 10, CancellationToken.None))).Status);
        Assert.Single(app.Queue.For(tenant.TenantId)); // no retry scheduled
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            var mail = await db.OutboxMessages.Where(m => m.TenantId == tenant.TenantId && m.Category == "webhook.disabled").ToListAsync();
            Assert.Contains(mail, m => m.To == tenant.Email && m.Body.Contains(server.BaseUrl.Host, StringComparison.Ordinal));
        }

        // A disabled endpoint gets no new deliveries.
        await client.PostAsJsonAsync("/api/v1/bookings", new { serviceId = service, start = ApiAppFactory.LocalStart(3, 17), customerName = "Fay Fail", customerPhone = "+12125550151" });
        Assert.Single(app.Queue.For(tenant.TenantId));
    }

    [Theory]
    [InlineData("http://example.com/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://169.254.169.254/latest")]
    [InlineData("https://[fd00::1]/hook")]
    [InlineData("https://user:pw@example.com/hook")]
    [InlineData("not a url")]
    public async Task PrivateOrBadUrls_AreRefused_AndNothingIsStored(string url)
    {
        var tenant = await app.CreateTenantAsync("Ssrf Hook Dental");
        await Assert.ThrowsAsync<ArgumentException>(() => app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>()
            .CreateAsync(url, null, [WebhookEventTypes.CallStarted], CancellationToken.None)));
        await Assert.ThrowsAsync<ArgumentException>(() => app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>()
            .CreateAsync("http://127.0.0.1:9/ok", null, ["call.exploded"], CancellationToken.None)));
        Assert.Empty(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WebhookService>().ListAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task BusinessesNeverSeeEachOthersWebhooks()
    {
        var (a, clientA) = await app.TenantWithClientAsync("Hook Iso A");
        var b = await app.CreateTenantAsync("Hook Iso B");
        var (endpointA, _) = await app.InTenantAsync(a.TenantId, sp => sp.GetRequiredService<WebhookService>().CreateAsync("http://127.0.0.1:9/a", null, [WebhookEventTypes.BookingCreated], CancellationToken.None));
        var (endpointB, _) = await app.InTenantAsync(b.TenantId, sp => sp.GetRequiredService<WebhookService>().CreateAsync("http://127.0.0.1:9/b", null, [WebhookEventTypes.BookingCreated], CancellationToken.None));

        var service = await ApiAppFactory.FirstServiceAsync(clientA);
        await clientA.PostAsJsonAsync("/api/v1/bookings", new { serviceId = service, start = ApiAppFactory.LocalStart(3, 12), customerName = "Iso A", customerPhone = "+12125550160" });
        Assert.Single(app.Queue.For(a.TenantId));
        Assert.Empty(app.Queue.For(b.TenantId));
        var deliveryA = Assert.Single(await app.InTenantAsync(a.TenantId, sp => sp.GetRequiredService<WebhookService>().ListDeliveriesAsync(null, 10, CancellationToken.None)));
        Assert.Equal(endpointA.Id, deliveryA.EndpointId);

        await app.InTenantAsync(b.TenantId, async sp =>
        {
            var service = sp.GetRequiredService<WebhookService>();
            var listed = Assert.Single(await service.ListAsync(CancellationToken.None));
            Assert.Equal(endpointB.Id, listed.Id);
            Assert.Empty(await service.ListDeliveriesAsync(endpointA.Id, 10, CancellationToken.None));
            Assert.Empty(await service.ListDeliveriesAsync(null, 10, CancellationToken.None));
            Assert.Empty(await service.ListAttemptsAsync(deliveryA.Id, CancellationToken.None));
            Assert.Null(await service.GetSecretAsync(endpointA.Id, CancellationToken.None));
            Assert.False(await service.ReplayAsync(deliveryA.Id, CancellationToken.None));
            Assert.False(await service.SetEnabledAsync(endpointA.Id, false, CancellationToken.None));
            Assert.False(await service.UpdateAsync(endpointA.Id, "http://127.0.0.1:9/x", null, [WebhookEventTypes.CallStarted], CancellationToken.None));
            Assert.False(await service.DeleteAsync(endpointA.Id, CancellationToken.None));
            return 0;
        });
        Assert.True(Assert.Single(await app.InTenantAsync(a.TenantId, sp => sp.GetRequiredService<WebhookService>().ListAsync(CancellationToken.None))).IsEnabled);
    }
}
