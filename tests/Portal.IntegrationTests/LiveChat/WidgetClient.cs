using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.LiveChat;
using Portal.IntegrationTests.Infrastructure;
using Portal.Web.LiveChat;

namespace Portal.IntegrationTests.LiveChat;

/// <summary>A website visitor's widget connection driven with the SignalR .NET client, recording every server event.</summary>
public sealed class WidgetClient : IAsyncDisposable
{
    private readonly HubConnection _connection;

    public ConcurrentQueue<(string Target, string? Text)> Events { get; } = new();

    public WidgetClient(Uri server, string widgetKey, string origin, HttpTransportType transport = HttpTransportType.WebSockets)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, WidgetEdge.HubPath + "?agent=" + Uri.EscapeDataString(widgetKey)), o =>
            {
                o.Headers["Origin"] = origin;
                o.Transports = transport;
            })
            .Build();
        _connection.On<string>("delta", d => Events.Enqueue(("delta", d)));
        _connection.On<string>("reply", r => Events.Enqueue(("reply", r)));
        _connection.On<bool>("typing", t => Events.Enqueue(("typing", t ? "on" : "off")));
        _connection.On<WidgetPush>("message", m => Events.Enqueue(("message:" + m.Kind, m.Text)));
    }

    public async Task<WidgetStart> StartAsync(string? token = null)
    {
        await _connection.StartAsync();
        return await _connection.InvokeAsync<WidgetStart>("Start", token);
    }

    public Task SendAsync(string text) => _connection.InvokeAsync("Send", text);

    public Task<string> TalkToPersonAsync() => _connection.InvokeAsync<string>("TalkToPerson");

    public IReadOnlyList<string?> Texts(string target) => Events.Where(e => e.Target == target).Select(e => e.Text).ToList();

    /// <summary>Waits (polling, bounded) until an event of <paramref name="target"/> arrives; returns its text.</summary>
    public async Task<string?> WaitForAsync(string target, int count = 1, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            var hits = Texts(target);
            if (hits.Count >= count)
            {
                return hits[count - 1];
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No '{target}' event #{count} within {timeoutSeconds}s; got: {string.Join(" | ", Events.Select(e => e.Target))}");
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

/// <summary>The app on Kestrel (real WebSockets on loopback) with generous widget limits.</summary>
public class WidgetAppFactory : PortalAppFactory
{
    public const string AllowedOrigin = "http://shop.allowed.test:8123";

    protected override bool UseRealServer => true;

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("LiveChat:MessagesPerVisitorPerMinute", "50");
        builder.UseSetting("LiveChat:MessagesPerIpPerMinute", "10000");
        builder.UseSetting("LiveChat:ConnectionsPerIpPerMinute", "10000");
    }

    /// <summary>A business with its widget allowed on <see cref="AllowedOrigin"/>; returns the tenant and the widget key.</summary>
    public async Task<(TestTenant Tenant, string Key)> CreateWidgetTenantAsync(string name)
    {
        var tenant = await CreateTenantAsync(name);
        var settings = await InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<WidgetSettingsService>().SaveAsync(AllowedOrigin, "#aa3300", 120, CancellationToken.None));
        return (tenant, settings.PublicKey);
    }
}
