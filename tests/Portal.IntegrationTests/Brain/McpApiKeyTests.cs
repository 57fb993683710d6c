using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Portal.Domain.ApiKeys;
using Portal.Domain.Brain.Mcp;
using Portal.Domain.Security;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Brain;

/// <summary>The owner's API keys as MCP bearer tokens: bound to the key's business, read-only without the write scope, refused once revoked.</summary>
public sealed class McpApiKeyTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private Task<CreatedApiKey> KeyAsync(Guid tenantId, params string[] scopes) => app.InTenantAsync(tenantId, sp =>
        sp.GetRequiredService<ApiKeyService>().CreateAsync("assistant key", scopes, null, CancellationToken.None));

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

    [Fact]
    public async Task ReadKey_ReadsItsOwnBusiness_ButCannotBook()
    {
        var tenant = await app.CreateTenantAsync("Key Mcp Dental");
        var key = await KeyAsync(tenant.TenantId, ApiKeyScopes.Read);
        await using var client = await ConnectAsync(key.Secret);

        var profile = (await client.ReadResourceAsync("portal://business/profile")).Contents.OfType<TextResourceContents>().Single().Text;
        Assert.Contains("Key Mcp Dental", profile, StringComparison.Ordinal);
        var result = await client.CallToolAsync("create_booking", new Dictionary<string, object?>
        {
            ["service"] = "Cleaning", ["start"] = "2030-01-07T10:00", ["customerName"] = "Ann", ["customerPhone"] = "+12125550123", ["confirmed"] = true,
        });
        Assert.True(result.IsError);
        Assert.Contains("read-only", string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteKey_GrantsBooking_ForItsBusinessOnly()
    {
        var a = await app.CreateTenantAsync("Key Mcp A");
        var b = await app.CreateTenantAsync("Key Mcp B");
        var key = await KeyAsync(b.TenantId, ApiKeyScopes.Read, ApiKeyScopes.Write);

        var grant = await app.InTenantAsync(a.TenantId, sp => sp.GetRequiredService<IMcpTokenValidator>().ValidateAsync(key.Secret, CancellationToken.None));

        Assert.Equal(new McpGrant(b.TenantId, AllowBooking: true), grant);
        await using var client = await ConnectAsync(key.Secret);
        var profile = (await client.ReadResourceAsync("portal://business/profile")).Contents.OfType<TextResourceContents>().Single().Text;
        Assert.Contains("Key Mcp B", profile, StringComparison.Ordinal);
        Assert.DoesNotContain("Key Mcp A", profile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedOrForgedKey_Is401()
    {
        var tenant = await app.CreateTenantAsync("Key Mcp Revoked");
        var key = await KeyAsync(tenant.TenantId, ApiKeyScopes.Read);
        var http = app.CreateClient();

        async Task<HttpStatusCode> PostAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
            {
                Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return (await http.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await PostAsync(key.Secret));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(SecretTokens.New(ApiKeyService.KeyPrefix)));
        Assert.True(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<ApiKeyService>().RevokeAsync(key.Key.Id, CancellationToken.None)));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(key.Secret));
    }

    [Fact]
    public void OneHashingHelper_ServesBothKindsOfSecret()
    {
        var secret = SecretTokens.New("pk_");
        Assert.Matches("^pk_[A-Za-z0-9_-]{43}$", secret);
        Assert.Equal(Convert.ToHexStringLower(SecretTokens.Sha256(secret)), McpTokenService.Hash(secret));
        Assert.Equal(64, McpTokenService.Hash("pmcp_x").Length);
    }
}
