using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Portal.Data.Entities;
using Portal.Domain.Brain.Mcp;
using Portal.Domain.Conversations;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Brain;

/// <summary>The MCP server at /mcp driven by the SDK's own client (streamable HTTP over the test server), per-business tokens, isolation and 401s.</summary>
public sealed class McpServerTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private Task<string> TokenAsync(Guid tenantId, bool allowBooking) => app.InTenantAsync(tenantId, async sp =>
        (await sp.GetRequiredService<McpTokenService>().CreateAsync("test assistant", allowBooking, CancellationToken.None)).Token);

    private async Task<McpClient> ConnectAsync(string token)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(app.Server.BaseAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }, app.CreateClient(), ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, McpTestClientOptions.Create());
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> args)
    {
        var result = await client.CallToolAsync(tool, args);
        var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        Assert.True(result.IsError != true, $"{tool} failed: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<string> ErrorOfAsync(McpClient client, string tool, Dictionary<string, object?> args)
    {
        var result = await client.CallToolAsync(tool, args);
        Assert.True(result.IsError, $"{tool} was expected to fail");
        return string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));
    }

    private Task<Guid> ChatAsync(Guid tenantId, string said) => app.InTenantAsync(tenantId, async sp =>
    {
        var conversations = sp.GetRequiredService<ConversationService>();
        var started = await conversations.StartAsync(Channel.WebChat, null, CancellationToken.None);
        await conversations.ProcessTurnAsync(started.ConversationId, said, CancellationToken.None);
        return started.ConversationId;
    });

    [Fact]
    public async Task Assistant_ListsTools_SearchesKnowledge_AsksData_AndBooksOnlyWhenConfirmedAndFree()
    {
        var tenant = await app.CreateTenantAsync("Mcp Dental");
        await using var client = await ConnectAsync(await TokenAsync(tenant.TenantId, allowBooking: true));

        var tools = (await client.ListToolsAsync()).Select(t => t.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "search_conversations", "get_conversation", "list_bookings", "find_free_slots", "create_booking", "ask_data", "search_knowledge", "list_knowledge_gaps" }, tools);

        var knowledge = await CallAsync(client, "search_knowledge", new() { ["query"] = "do you accept insurance?" });
        Assert.Contains("Delta Dental", knowledge[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        var profile = await client.ReadResourceAsync("portal://business/profile");
        Assert.Contains("Mcp Dental", profile.Contents.OfType<TextResourceContents>().Single().Text, StringComparison.Ordinal);

        Assert.Equal(0, (await CallAsync(client, "list_bookings", new())).GetArrayLength());

        var slots = await CallAsync(client, "find_free_slots", new() { ["service"] = "Cleaning", ["count"] = 3 });
        var start = slots.GetProperty("starts")[0].GetString()!;
        var booking = new Dictionary<string, object?> { ["service"] = "Cleaning", ["start"] = start, ["customerName"] = "Ann Lee", ["customerPhone"] = "+12125550123" };

        var unconfirmed = await CallAsync(client, "create_booking", booking);
        Assert.False(unconfirmed.GetProperty("booked").GetBoolean());
        Assert.Contains("confirm", unconfirmed.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, (await CallAsync(client, "list_bookings", new())).GetArrayLength());

        booking["confirmed"] = true;
        var booked = await CallAsync(client, "create_booking", booking);
        Assert.True(booked.GetProperty("booked").GetBoolean(), booked.GetProperty("message").GetString());
        Assert.Equal(start, booked.GetProperty("booking").GetProperty("start").GetString());

        var taken = await CallAsync(client, "create_booking", booking);
        Assert.False(taken.GetProperty("booked").GetBoolean());
        Assert.Contains("already booked", taken.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(taken.GetProperty("alternatives").GetArrayLength() > 0);

        var list = await CallAsync(client, "list_bookings", new() { ["from"] = start[..10], ["to"] = start[..10] });
        Assert.Equal("Ann Lee", Assert.Single(list.EnumerateArray()).GetProperty("customerName").GetString());

        var asked = await CallAsync(client, "ask_data", new() { ["question"] = "how many bookings this month" });
        Assert.True(asked.GetProperty("answered").GetBoolean(), asked.GetProperty("sentence").GetString());
    }

    [Fact]
    public async Task ReadOnlyToken_CannotBook()
    {
        var tenant = await app.CreateTenantAsync("Mcp ReadOnly Dental");
        await using var client = await ConnectAsync(await TokenAsync(tenant.TenantId, allowBooking: false));
        var error = await ErrorOfAsync(client, "create_booking", new() { ["service"] = "Cleaning", ["start"] = "2030-01-07T10:00", ["customerName"] = "Ann", ["customerPhone"] = "+12125550123", ["confirmed"] = true });
        Assert.Contains("read-only", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenOfBusinessA_SeesNothingOfBusinessB()
    {
        var a = await app.CreateTenantAsync("Mcp Iso A");
        var b = await app.CreateTenantAsync("Mcp Iso B");
        var conversationB = await ChatAsync(b.TenantId, "Hi, this is Zebracorn Quixote, do you accept insurance?");
        await using var clientB = await ConnectAsync(await TokenAsync(b.TenantId, allowBooking: true));
        await using var clientA = await ConnectAsync(await TokenAsync(a.TenantId, allowBooking: true));

        var slots = await CallAsync(clientB, "find_free_slots", new() { ["service"] = "Cleaning", ["count"] = 1 });
        var start = slots.GetProperty("starts")[0].GetString()!;
        var bookedB = await CallAsync(clientB, "create_booking", new() { ["service"] = "Cleaning", ["start"] = start, ["customerName"] = "Bea B", ["customerPhone"] = "+12125550199", ["confirmed"] = true });
        Assert.True(bookedB.GetProperty("booked").GetBoolean());

        // B sees its own data (so the checks below can fail)...
        Assert.Equal(1, (await CallAsync(clientB, "search_conversations", new() { ["query"] = "Zebracorn" })).GetArrayLength());
        Assert.Equal(1, (await CallAsync(clientB, "list_bookings", new() { ["from"] = start[..10], ["to"] = start[..10] })).GetArrayLength());

        // ...A sees none of it, and the same slot is free for A.
        Assert.Equal(0, (await CallAsync(clientA, "search_conversations", new() { ["query"] = "Zebracorn" })).GetArrayLength());
        Assert.Equal(0, (await CallAsync(clientA, "search_conversations", new())).GetArrayLength());
        Assert.Equal(0, (await CallAsync(clientA, "list_bookings", new() { ["from"] = start[..10], ["to"] = start[..10] })).GetArrayLength());
        Assert.Contains("no such conversation", await ErrorOfAsync(clientA, "get_conversation", new() { ["id"] = conversationB.ToString() }), StringComparison.Ordinal);
        Assert.Contains("Zebracorn", (await CallAsync(clientB, "get_conversation", new() { ["id"] = conversationB.ToString() })).GetRawText(), StringComparison.Ordinal);
        var profileA = (await clientA.ReadResourceAsync("portal://business/profile")).Contents.OfType<TextResourceContents>().Single().Text;
        Assert.Contains("Mcp Iso A", profileA, StringComparison.Ordinal);
        Assert.DoesNotContain("Mcp Iso B", profileA, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutOrWithABadOrRevokedToken_Is401_PointingAtTheResourceMetadata()
    {
        var tenant = await app.CreateTenantAsync("Mcp Auth Dental");
        var http = app.CreateClient();
        const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

        async Task<HttpResponseMessage> PostAsync(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(Initialize, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (token is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            return await http.SendAsync(request);
        }

        var none = await PostAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        var challenge = none.Headers.WwwAuthenticate.ToString();
        Assert.Contains("resource_metadata=\"http://localhost/.well-known/oauth-protected-resource/mcp\"", challenge, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync("pmcp_not-a-real-token")).StatusCode);

        var token = await TokenAsync(tenant.TenantId, allowBooking: false);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(token)).StatusCode);
        var id = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<McpTokenService>().ListAsync(CancellationToken.None))).Single().Id;
        Assert.True(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<McpTokenService>().RevokeAsync(id, CancellationToken.None)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(token)).StatusCode);

        using var metadata = JsonDocument.Parse(await http.GetStringAsync("/.well-known/oauth-protected-resource/mcp"));
        Assert.Equal("http://localhost/mcp", metadata.RootElement.GetProperty("resource").GetString());
        Assert.DoesNotContain(McpTokenService.Hash(token), await http.GetStringAsync("/.well-known/oauth-protected-resource"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenList_AndRevoke_ArePerBusiness_AndOnlyTheHashIsStored()
    {
        var a = await app.CreateTenantAsync("Mcp Tokens A");
        var b = await app.CreateTenantAsync("Mcp Tokens B");
        var tokenA = await TokenAsync(a.TenantId, allowBooking: false);
        var tokenB = await TokenAsync(b.TenantId, allowBooking: true);

        var listA = await app.InTenantAsync(a.TenantId, sp => sp.GetRequiredService<McpTokenService>().ListAsync(CancellationToken.None));
        var listB = await app.InTenantAsync(b.TenantId, sp => sp.GetRequiredService<McpTokenService>().ListAsync(CancellationToken.None));
        Assert.Equal(tokenA[..12], Assert.Single(listA).Prefix);
        Assert.False(await app.InTenantAsync(a.TenantId, sp => sp.GetRequiredService<McpTokenService>().RevokeAsync(Assert.Single(listB).Id, CancellationToken.None)));

        var grant = await app.InTenantAsync(a.TenantId, sp => sp.GetRequiredService<IMcpTokenValidator>().ValidateAsync(tokenB, CancellationToken.None));
        Assert.Equal(new McpGrant(b.TenantId, true), grant);
        var stored = await app.InTenantAsync(b.TenantId, async sp =>
        {
            await using var db = await sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Portal.Data.PortalDbContext>>().CreateDbContextAsync();
            return (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.McpTokens)).TokenHash;
        });
        Assert.Equal(McpTokenService.Hash(tokenB), stored);
        Assert.NotEqual(tokenB, stored);
        await Assert.ThrowsAsync<ArgumentException>(() => app.InTenantAsync(a.TenantId, sp => sp.GetRequiredService<McpTokenService>().CreateAsync("  ", false, CancellationToken.None)));
    }
}
