using System.Net;
using Microsoft.AspNetCore.SignalR;

namespace Portal.IntegrationTests.LiveChat;

/// <summary>Tight limits: 3 messages per visitor, 6 per IP, 8 connections per IP per minute.</summary>
public sealed class RateLimitedWidgetAppFactory : WidgetAppFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("LiveChat:MessagesPerVisitorPerMinute", "3");
        builder.UseSetting("LiveChat:MessagesPerIpPerMinute", "5");
        builder.UseSetting("LiveChat:ConnectionsPerIpPerMinute", "8");
    }
}

public sealed class WidgetRateLimitTests(RateLimitedWidgetAppFactory app) : IClassFixture<RateLimitedWidgetAppFactory>
{
    [Fact]
    public async Task Messages_AreLimitedPerVisitor_ThenPerIp_AndConnectionsPerIp()
    {
        var (_, key) = await app.CreateWidgetTenantAsync("Limits Dental");
        await using var first = new WidgetClient(app.ServerAddress, key, WidgetAppFactory.AllowedOrigin);
        await first.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await first.SendAsync("What are your hours?");
        }

        var perVisitor = await Assert.ThrowsAsync<HubException>(() => first.SendAsync("What are your hours?"));
        Assert.Contains("too quickly", perVisitor.Message, StringComparison.Ordinal);

        // A second visitor from the same address has its own allowance, until the address's (5) is used up.
        await using var second = new WidgetClient(app.ServerAddress, key, WidgetAppFactory.AllowedOrigin);
        await second.StartAsync();
        await second.SendAsync("Where are you?");
        await second.SendAsync("Where are you?");
        var perIp = await Assert.ThrowsAsync<HubException>(() => second.SendAsync("Where are you?"));
        Assert.Contains("too quickly", perIp.Message, StringComparison.Ordinal);

        // Connections: 2 used above; the next 6 negotiations pass, then 429.
        using var http = new HttpClient { BaseAddress = app.ServerAddress };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/widget/hub/negotiate?negotiateVersion=1&agent=" + key);
            request.Headers.Add("Origin", WidgetAppFactory.AllowedOrigin);
            statuses.Add((await http.SendAsync(request)).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 6).Append(HttpStatusCode.TooManyRequests), statuses);
    }
}
