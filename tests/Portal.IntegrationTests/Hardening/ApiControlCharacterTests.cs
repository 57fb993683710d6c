using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Hardening;

/// <summary>Control characters are refused at the API edge with a clear message, and the conversation survives.</summary>
public sealed class ApiControlCharacterTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task ChatTurn_WithANulByte_Is400_AndTheConversationGoesOn()
    {
        var tenant = await app.CreateTenantAsync("Nul Dental");
        var client = await app.SignInAsync(tenant.Email, tenant.Password);
        var started = await client.PostAsJsonAsync("/api/v1/conversations", new { channel = "test" });
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversationId").GetGuid();

        using var nul = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance = "Hello\u0000 are you open?" });

        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        var problem = await nul.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Utterance contains an invisible control character (U+0000). Remove it and try again.", problem.GetProperty("errors").GetProperty("utterance")[0].GetString());
        using var next = await client.PostAsJsonAsync($"/api/v1/conversations/{id}/turns", new { utterance = "Are you open on Saturday?" });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{id}");
        Assert.DoesNotContain(detail.GetProperty("turns").EnumerateArray(), t => t.GetProperty("text").GetString()!.Contains("Hello", StringComparison.Ordinal));
    }
}
