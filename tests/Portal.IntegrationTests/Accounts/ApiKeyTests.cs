using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.ApiKeys;

namespace Portal.IntegrationTests.Accounts;

/// <summary>API keys: Bearer authentication on /api/v1, scopes, revocation, per-key rate limits, and tenant isolation.</summary>
public sealed class ApiKeyTests(AccountsAppFactory app) : IClassFixture<AccountsAppFactory>
{
    private static async Task<Guid> StartConversationAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/conversations", new { channel = "test" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversationId").GetGuid();
    }

    [Fact]
    public async Task KeyOfA_ReadsAsData_AndNeverBs()
    {
        var a = await app.CreateTenantAsync("Key A Dental");
        var b = await app.CreateTenantAsync("Key B Dental");
        var keyA = await app.CreateKeyAsync(a.TenantId, ApiKeyScopes.Read, ApiKeyScopes.Write);
        var keyB = await app.CreateKeyAsync(b.TenantId, ApiKeyScopes.Read, ApiKeyScopes.Write);
        var clientA = app.ApiClient(keyA.Secret);
        var clientB = app.ApiClient(keyB.Secret);
        var conversationA = await StartConversationAsync(clientA);
        var conversationB = await StartConversationAsync(clientB);

        Assert.Equal(HttpStatusCode.OK, (await clientA.GetAsync($"/api/v1/conversations/{conversationA}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientA.GetAsync($"/api/v1/conversations/{conversationB}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientB.GetAsync($"/api/v1/conversations/{conversationA}")).StatusCode);
        var listA = (await clientA.GetStringAsync("/api/v1/conversations"));
        Assert.Contains(conversationA.ToString(), listA, StringComparison.Ordinal);
        Assert.DoesNotContain(conversationB.ToString(), listA, StringComparison.Ordinal);

        // The owner's list shows the key by prefix with its last use; B's list does not show A's key.
        var keysA = await app.InTenantAsync(a.TenantId, sp => sp.GetRequiredService<ApiKeyService>().ListAsync(CancellationToken.None));
        var listed = Assert.Single(keysA);
        Assert.Equal(keyA.Secret[..11], listed.Prefix);
        Assert.NotNull(listed.LastUsedAt);
        var keysB = await app.InTenantAsync(b.TenantId, sp => sp.GetRequiredService<ApiKeyService>().ListAsync(CancellationToken.None));
        Assert.DoesNotContain(keysB, k => k.Id == keyA.Key.Id);
        // B cannot revoke A's key.
        Assert.False(await app.InTenantAsync(b.TenantId, sp => sp.GetRequiredService<ApiKeyService>().RevokeAsync(keyA.Key.Id, CancellationToken.None)));
        Assert.Equal(HttpStatusCode.OK, (await clientA.GetAsync("/api/v1/bookings")).StatusCode);
    }

    [Fact]
    public async Task RevokedOrUnknownKey_Gets401WithBearerChallenge()
    {
        var a = await app.CreateTenantAsync("Revoke Dental");
        var key = await app.CreateKeyAsync(a.TenantId, ApiKeyScopes.Read);
        var client = app.ApiClient(key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/bookings")).StatusCode);

        Assert.True(await app.InTenantAsync(a.TenantId, sp => sp.GetRequiredService<ApiKeyService>().RevokeAsync(key.Key.Id, CancellationToken.None)));
        var revoked = await client.GetAsync("/api/v1/bookings");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal("Bearer", revoked.Headers.WwwAuthenticate.Single().Scheme);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient("pk_" + new string('x', 43)).GetAsync("/api/v1/bookings")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient("not-a-key").GetAsync("/api/v1/conversations")).StatusCode);
    }

    [Fact]
    public async Task ReadOnlyKey_CannotWrite()
    {
        var a = await app.CreateTenantAsync("Scope Dental");
        var client = app.ApiClient((await app.CreateKeyAsync(a.TenantId, ApiKeyScopes.Read)).Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/conversations", new { channel = "test" })).StatusCode);
        var writeOnly = app.ApiClient((await app.CreateKeyAsync(a.TenantId, ApiKeyScopes.Write)).Secret);
        Assert.Equal(HttpStatusCode.Forbidden, (await writeOnly.GetAsync("/api/v1/conversations")).StatusCode);
    }

    [Fact]
    public async Task Key_OutsideTheApi_IsNotASession()
    {
        var a = await app.CreateTenantAsync("Pages Dental");
        var client = app.ApiClient((await app.CreateKeyAsync(a.TenantId, ApiKeyScopes.Read, ApiKeyScopes.Write)).Secret);
        var page = await client.GetAsync("/bookings");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/Account/Login", page.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_OverItsLimit_Gets429ProblemWithRetryAfter()
    {
        var a = await app.CreateTenantAsync("Limit Dental");
        var client = app.ApiClient((await app.CreateKeyAsync(a.TenantId, ApiKeyScopes.Read)).Secret);
        HttpResponseMessage last = null!;
        for (var i = 0; i <= AccountsAppFactory.ApiKeyLimit; i++)
        {
            last = await client.GetAsync("/api/v1/bookings");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.True(last.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        // Another key of the same business has its own budget.
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient((await app.CreateKeyAsync(a.TenantId, ApiKeyScopes.Read)).Secret).GetAsync("/api/v1/bookings")).StatusCode);
    }

    [Theory]
    [InlineData("", "read")]
    [InlineData("Name", "")]
    [InlineData("Name", "admin")]
    public async Task CreateKey_WithBadInput_Throws_AndStoresNothing(string name, string scope)
    {
        var a = await app.CreateTenantAsync("Bad Key Dental");
        await Assert.ThrowsAsync<ArgumentException>(() => app.InTenantAsync(a.TenantId, sp =>
            sp.GetRequiredService<ApiKeyService>().CreateAsync(name, scope.Length == 0 ? [] : [scope], null, CancellationToken.None)));
        Assert.Empty(await app.InTenantAsync(a.TenantId, sp => sp.GetRequiredService<ApiKeyService>().ListAsync(CancellationToken.None)));
    }
}
