using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.ApiKeys;
using Portal.Domain.Webhooks;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Api;

/// <summary>
/// The app for REST API and webhook tests: a per-key budget of <see cref="KeyLimit"/> requests an hour, loopback webhook
/// receivers allowed (the explicit test option), and a webhook queue that records what would go to Hangfire so tests run
/// the real delivery job themselves.
/// </summary>
public sealed class ApiAppFactory : PortalAppFactory
{
    public const int KeyLimit = 120;

    /// <summary>Twilio auth token the voice and status webhooks are signed with.</summary>
    public const string TwilioAuthToken = "0123456789abcdef0123456789abcdef";

    public RecordingWebhookQueue Queue { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Accounts:ApiKeys:PermitLimit", KeyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Accounts:ApiKeys:WindowSeconds", "3600");
        builder.UseSetting("Webhooks:AllowLoopback", "true");
        builder.UseSetting("Telephony:AuthToken", TwilioAuthToken);
        builder.ConfigureTestServices(services => services.AddSingleton<IWebhookDeliveryQueue>(Queue));
    }

    /// <summary>A key with read and write scopes for the tenant, created through the Settings page's service.</summary>
    public async Task<string> KeyAsync(Guid tenantId, params string[] scopes) =>
        (await InTenantAsync(tenantId, sp => sp.GetRequiredService<ApiKeyService>().CreateAsync("Test key", scopes.Length == 0 ? ApiKeyScopes.All : scopes, null, CancellationToken.None))).Secret;

    /// <summary>A client with no cookies sending <c>Authorization: Bearer <paramref name="key"/></c>.</summary>
    public HttpClient ApiClient(string key)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A business with a read/write key's client.</summary>
    public async Task<(TestTenant Tenant, HttpClient Client)> TenantWithClientAsync(string name)
    {
        var tenant = await CreateTenantAsync(name);
        return (tenant, ApiClient(await KeyAsync(tenant.TenantId)));
    }

    /// <summary>The first service id of the tenant (from the API).</summary>
    public static async Task<Guid> FirstServiceAsync(HttpClient client)
    {
        var services = await client.GetFromJsonAsync<JsonElement>("/api/v1/services");
        return services.EnumerateArray().First(s => s.GetProperty("isActive").GetBoolean()).GetProperty("id").GetGuid();
    }

    /// <summary>A business-local start <paramref name="days"/> days ahead at <paramref name="hour"/>:00 (the test tenants open 8-20 daily).</summary>
    public static string LocalStart(int days, int hour)
    {
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, ny).DateTime);
        return today.AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + $"T{hour:00}:00";
    }
}

/// <summary>Records deliveries handed to the job system instead of running them (the tests run the job).</summary>
public sealed class RecordingWebhookQueue : IWebhookDeliveryQueue
{
    public ConcurrentQueue<(Guid TenantId, Guid DeliveryId, DateTimeOffset? At, bool Replay)> Items { get; } = new();

    public void Enqueue(Guid tenantId, Guid deliveryId) => Items.Enqueue((tenantId, deliveryId, null, false));

    public void Schedule(Guid tenantId, Guid deliveryId, DateTimeOffset at) => Items.Enqueue((tenantId, deliveryId, at, false));

    public void EnqueueReplay(Guid tenantId, Guid deliveryId) => Items.Enqueue((tenantId, deliveryId, null, true));

    public List<(Guid TenantId, Guid DeliveryId, DateTimeOffset? At, bool Replay)> For(Guid tenantId) => Items.Where(i => i.TenantId == tenantId).ToList();
}
