using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Portal.Data.Entities;
using Portal.Domain.Brain.Mcp;
using Portal.Domain.Conversations;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Brain;

/// <summary>
/// The OAuth 2.1 authorization server of /mcp (ADR-025) over real HTTP: metadata, dynamic client registration, the code
/// flow with PKCE through the consent page, the SDK's own MCP client connecting by OAuth, and every refusal.
/// </summary>
public sealed class McpOAuthTests(McpOAuthAppFactory app) : IClassFixture<McpOAuthAppFactory>
{
    private readonly McpOAuthFlow _flow = new(app);

    private string Resource => _flow.Resource;

    private Task<Guid> ChatAsync(Guid tenantId, string said) => app.InTenantAsync(tenantId, async sp =>
    {
        var conversations = sp.GetRequiredService<ConversationService>();
        var started = await conversations.StartAsync(Channel.WebChat, null, CancellationToken.None);
        await conversations.ProcessTurnAsync(started.ConversationId, said, CancellationToken.None);
        return started.ConversationId;
    });

    [Fact]
    public async Task Metadata_NamesThisAuthorizationServer_WithPkceS256AndRegistration()
    {
        using var http = _flow.Anonymous();
        var unauthorized = await http.PostAsJsonAsync("/mcp", new { jsonrpc = "2.0", id = 1, method = "tools/list" });
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Contains("resource_metadata=", unauthorized.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var resource = await http.GetFromJsonAsync<JsonElement>("/.well-known/oauth-protected-resource/mcp");
        Assert.Equal(Resource, resource.GetProperty("resource").GetString());
        var issuer = resource.GetProperty("authorization_servers")[0].GetString()!;

        var server = await http.GetFromJsonAsync<JsonElement>("/.well-known/oauth-authorization-server");
        Assert.Equal(issuer, server.GetProperty("issuer").GetString());
        Assert.EndsWith("/connect/authorize", server.GetProperty("authorization_endpoint").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/connect/token", server.GetProperty("token_endpoint").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/connect/register", server.GetProperty("registration_endpoint").GetString(), StringComparison.Ordinal);
        Assert.Equal(["S256"], server.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        var grants = server.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("authorization_code", grants);
        Assert.Contains("refresh_token", grants);
        Assert.DoesNotContain("implicit", grants);
        Assert.DoesNotContain("password", grants);
        Assert.Equal(["code"], server.GetProperty("response_types_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("https://claude.ai/api/mcp/auth_callback", null, HttpStatusCode.Created, null)]
    [InlineData("http://127.0.0.1:33418/callback", null, HttpStatusCode.Created, null)]
    [InlineData("http://localhost:6274/oauth/callback", null, HttpStatusCode.Created, null)]
    [InlineData("http://evil.example/callback", null, HttpStatusCode.BadRequest, "invalid_redirect_uri")]
    [InlineData("https://app.example/cb#frag", null, HttpStatusCode.BadRequest, "invalid_redirect_uri")]
    [InlineData("https://app.example/cb", "client_secret_basic", HttpStatusCode.BadRequest, "invalid_client_metadata")]
    public async Task Registration_TakesPublicClientsWithHttpsOrLoopbackRedirects(string redirect, string? authMethod, HttpStatusCode expected, string? error)
    {
        using var http = _flow.Anonymous();
        var response = await http.PostAsJsonAsync("/connect/register", new Dictionary<string, object?>
        {
            ["client_name"] = "Claude", ["redirect_uris"] = new[] { redirect }, ["token_endpoint_auth_method"] = authMethod,
        });
        Assert.Equal(expected, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (error is null)
        {
            Assert.StartsWith("mcp_", body.GetProperty("client_id").GetString(), StringComparison.Ordinal);
            Assert.Equal("none", body.GetProperty("token_endpoint_auth_method").GetString());
        }
        else
        {
            Assert.Equal(error, body.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Registration_RefusesTheImplicitGrant()
    {
        using var http = _flow.Anonymous();
        var response = await http.PostAsJsonAsync("/connect/register", new { redirect_uris = new[] { McpOAuthFlow.Redirect }, grant_types = new[] { "implicit" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SdkClient_ConnectsByOAuth_ThroughSignInAndConsent_ListsToolsAndCallsOne()
    {
        var tenant = await app.CreateTenantAsync("OAuth Sdk Dental");
        var browser = await _flow.SignedInAsync(tenant);
        string? consentedFor = null;
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(Resource),
            TransportMode = HttpTransportMode.StreamableHttp,
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = new Uri(McpOAuthFlow.Redirect),
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "SDK assistant" },
#pragma warning disable MCP9007 // the code-only delegate: this test's "browser" returns the code; state and iss are checked in ConsentAsync.
                AuthorizationRedirectDelegate = async (authorizationUrl, redirectUri, ct) =>
                {
                    var back = await McpOAuthFlow.ConsentAsync(browser, authorizationUrl.PathAndQuery);
                    consentedFor = McpOAuthFlow.Param(authorizationUrl, "resource");
                    return McpOAuthFlow.Param(back, "code");
                },
#pragma warning restore MCP9007
            },
        }, _flow.Anonymous(), ownsHttpClient: true);
        await using var client = await McpClient.CreateAsync(transport, McpTestClientOptions.Create());

        var tools = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        Assert.Contains("search_knowledge", tools);
        Assert.Equal(Resource, consentedFor);
        var result = await client.CallToolAsync("search_knowledge", new Dictionary<string, object?> { ["query"] = "do you accept insurance?" });
        Assert.NotEqual(true, result.IsError);
        Assert.Contains("Delta Dental", string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)), StringComparison.Ordinal);

        var apps = await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<McpOAuthGrantService>().ListAsync(CancellationToken.None));
        Assert.Equal("SDK assistant", Assert.Single(apps).ClientName);
        Assert.False(apps[0].AllowBooking);
    }

    [Fact]
    public async Task SignedOutOwner_IsSentToSignIn_AndBackToTheAuthorization()
    {
        var tenant = await app.CreateTenantAsync("OAuth Signed Out");
        var clientId = await _flow.RegisterAsync();
        var url = _flow.AuthorizeUrl(clientId, McpOAuthFlow.Pkce().Challenge);
        var browser = _flow.Browser();
        var first = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var login = first.Headers.Location!;
        Assert.Contains("/Account/Login", login.OriginalString, StringComparison.Ordinal);
        var signedIn = await McpOAuthFlow.LogInAsync(browser, tenant, login.PathAndQuery);
        var back = signedIn.Headers.Location!;
        Assert.Equal(url, back.IsAbsoluteUri ? back.PathAndQuery : back.OriginalString);

        var redirect = await McpOAuthFlow.ConsentAsync(browser, url);
        Assert.NotNull(McpOAuthFlow.Param(redirect, "code"));
    }

    [Fact]
    public async Task Deny_ReturnsAccessDenied_AndAnotherResourceIsRefused()
    {
        var tenant = await app.CreateTenantAsync("OAuth Deny");
        var clientId = await _flow.RegisterAsync();
        var browser = await _flow.SignedInAsync(tenant);
        var denied = await McpOAuthFlow.ConsentAsync(browser, _flow.AuthorizeUrl(clientId, McpOAuthFlow.Pkce().Challenge), decision: "deny");
        Assert.StartsWith(McpOAuthFlow.Redirect, denied.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("access_denied", McpOAuthFlow.Param(denied, "error"));
        Assert.Null(McpOAuthFlow.Param(denied, "code"));

        var elsewhere = await McpOAuthFlow.ConsentAsync(browser, _flow.AuthorizeUrl(clientId, McpOAuthFlow.Pkce().Challenge, resource: "https://other.example/mcp"));
        Assert.Equal("invalid_target", McpOAuthFlow.Param(elsewhere, "error"));
        Assert.Null(McpOAuthFlow.Param(elsewhere, "code"));

        // A cross-site form (the OAuth parameters and "allow", but not the consent page's antiforgery token) is refused.
        var fields = QueryHelpers.ParseQuery(new Uri(app.ServerAddress, _flow.AuthorizeUrl(clientId, McpOAuthFlow.Pkce().Challenge)).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        fields["Decision"] = "allow";
        fields["Business"] = tenant.TenantId.ToString();
        using var forged = new FormUrlEncodedContent(fields);
        var crossSite = await browser.PostAsync("/connect/authorize", forged);
        Assert.Equal(HttpStatusCode.BadRequest, crossSite.StatusCode);
        Assert.Empty(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<McpOAuthGrantService>().ListAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task WrongVerifier_ReusedCode_AndPlainPkce_AreRefused()
    {
        var tenant = await app.CreateTenantAsync("OAuth Pkce");
        var clientId = await _flow.RegisterAsync();
        var browser = await _flow.SignedInAsync(tenant);

        var (verifier, challenge) = McpOAuthFlow.Pkce();
        var code = McpOAuthFlow.Param(await McpOAuthFlow.ConsentAsync(browser, _flow.AuthorizeUrl(clientId, challenge)), "code")!;
        var (wrongStatus, wrong) = await _flow.RedeemAsync(clientId, code, McpOAuthFlow.Pkce().Verifier);
        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
        Assert.Equal("invalid_grant", wrong.GetProperty("error").GetString());

        (verifier, challenge) = McpOAuthFlow.Pkce();
        code = McpOAuthFlow.Param(await McpOAuthFlow.ConsentAsync(browser, _flow.AuthorizeUrl(clientId, challenge)), "code")!;
        var (okStatus, _) = await _flow.RedeemAsync(clientId, code, verifier);
        Assert.Equal(HttpStatusCode.OK, okStatus);
        var (reusedStatus, reused) = await _flow.RedeemAsync(clientId, code, verifier);
        Assert.Equal(HttpStatusCode.BadRequest, reusedStatus);
        Assert.Equal("invalid_grant", reused.GetProperty("error").GetString());

        var plain = _flow.AuthorizeUrl(clientId, challenge).Replace("code_challenge_method=S256", "code_challenge_method=plain", StringComparison.Ordinal);
        var plainAnswer = await browser.GetAsync(plain);
        Assert.True(plainAnswer.StatusCode == HttpStatusCode.BadRequest || McpOAuthFlow.Param(plainAnswer.Headers.Location!, "error") == "invalid_request", $"{(int)plainAnswer.StatusCode}");
    }

    [Fact]
    public async Task Token_IsBoundToItsBusiness_AndItsResource()
    {
        var alpha = await app.CreateTenantAsync("OAuth Alpha");
        var bravo = await app.CreateTenantAsync("OAuth Bravo");
        await ChatAsync(bravo.TenantId, "Do you treat pelicans with toothache?");
        var (_, tokens) = await _flow.ConnectAsync(alpha);
        var access = tokens.GetProperty("access_token").GetString()!;

        await using (var client = await _flow.McpAsync(access))
        {
            var profile = await client.ReadResourceAsync("portal://business/profile");
            var text = profile.Contents.OfType<TextResourceContents>().Single().Text;
            Assert.Contains("OAuth Alpha", text, StringComparison.Ordinal);
            Assert.DoesNotContain("OAuth Bravo", text, StringComparison.Ordinal);
            var found = await client.CallToolAsync("search_conversations", new Dictionary<string, object?> { ["query"] = "pelicans" });
            Assert.DoesNotContain("pelican", string.Concat(found.Content.OfType<TextContentBlock>().Select(b => b.Text)), StringComparison.OrdinalIgnoreCase);
        }

        // Alpha's owner cannot pick Bravo on the consent form.
        var clientId = await _flow.RegisterAsync();
        var browser = await _flow.SignedInAsync(alpha);
        var tampered = await McpOAuthFlow.ConsentAsync(browser, _flow.AuthorizeUrl(clientId, McpOAuthFlow.Pkce().Challenge), business: bravo.TenantId);
        Assert.Equal("access_denied", McpOAuthFlow.Param(tampered, "error"));

        // The audience is this host's /mcp: the same token presented to another host name of the server is refused.
        Assert.Equal(HttpStatusCode.OK, await _flow.RawMcpAsync(access));
        var otherHost = (app.ServerAddress.Host == "localhost" ? "127.0.0.1" : "localhost") + ":" + app.ServerAddress.Port;
        Assert.Equal(HttpStatusCode.Unauthorized, await _flow.RawMcpAsync(access, otherHost));
    }

    [Fact]
    public async Task ReadOnlyToken_CannotBook_ButABookingGrantCan()
    {
        var tenant = await app.CreateTenantAsync("OAuth Booking");
        var booking = new Dictionary<string, object?> { ["service"] = "Cleaning", ["customerName"] = "Ann Lee", ["customerPhone"] = "+12125550123", ["confirmed"] = true };

        var (_, readOnly) = await _flow.ConnectAsync(tenant);
        await using (var client = await _flow.McpAsync(readOnly.GetProperty("access_token").GetString()!))
        {
            var slots = await client.CallToolAsync("find_free_slots", new Dictionary<string, object?> { ["service"] = "Cleaning", ["count"] = 1 });
            booking["start"] = JsonDocument.Parse(string.Concat(slots.Content.OfType<TextContentBlock>().Select(b => b.Text))).RootElement.GetProperty("starts")[0].GetString();
            var refused = await client.CallToolAsync("create_booking", booking);
            Assert.True(refused.IsError);
            Assert.Contains("read-only", string.Concat(refused.Content.OfType<TextContentBlock>().Select(b => b.Text)), StringComparison.Ordinal);
        }

        var (_, booker) = await _flow.ConnectAsync(tenant, allowBooking: true);
        Assert.Contains("mcp:book", booker.GetProperty("scope").GetString(), StringComparison.Ordinal);
        await using (var client = await _flow.McpAsync(booker.GetProperty("access_token").GetString()!))
        {
            var booked = await client.CallToolAsync("create_booking", booking);
            var text = string.Concat(booked.Content.OfType<TextContentBlock>().Select(b => b.Text));
            Assert.True(booked.IsError != true, text);
            Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("booked").GetBoolean(), text);
        }
    }

    [Fact]
    public async Task RefreshToken_Rotates_AndTheUsedOneIsRefused()
    {
        var tenant = await app.CreateTenantAsync("OAuth Refresh");
        var (clientId, tokens) = await _flow.ConnectAsync(tenant);
        var first = tokens.GetProperty("refresh_token").GetString()!;
        var refresh = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = clientId, ["refresh_token"] = first, ["resource"] = Resource };

        var (status, rotated) = await _flow.TokenAsync(refresh);
        Assert.True(status == HttpStatusCode.OK, rotated.ToString());
        Assert.NotEqual(first, rotated.GetProperty("refresh_token").GetString());
        Assert.Equal(HttpStatusCode.OK, await _flow.RawMcpAsync(rotated.GetProperty("access_token").GetString()!));

        var (reusedStatus, reused) = await _flow.TokenAsync(refresh);
        Assert.Equal(HttpStatusCode.BadRequest, reusedStatus);
        Assert.Equal("invalid_grant", reused.GetProperty("error").GetString());
    }

    [Fact]
    public async Task DisconnectedApp_ItsAccessAndRefreshTokensAreRefused_AndOtherBusinessesCannotDisconnectIt()
    {
        var tenant = await app.CreateTenantAsync("OAuth Revoke");
        var other = await app.CreateTenantAsync("OAuth Revoke Other");
        var (clientId, tokens) = await _flow.ConnectAsync(tenant);
        var access = tokens.GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await _flow.RawMcpAsync(access));

        var appId = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<McpOAuthGrantService>().ListAsync(CancellationToken.None))).Single().Id;
        Assert.False(await app.InTenantAsync(other.TenantId, sp => sp.GetRequiredService<McpOAuthGrantService>().RevokeAsync(appId, CancellationToken.None)));
        Assert.Equal(HttpStatusCode.OK, await _flow.RawMcpAsync(access));

        Assert.True(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<McpOAuthGrantService>().RevokeAsync(appId, CancellationToken.None)));
        Assert.Equal(HttpStatusCode.Unauthorized, await _flow.RawMcpAsync(access));
        var (status, refused) = await _flow.TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = clientId, ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!, ["resource"] = Resource });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", refused.GetProperty("error").GetString());
        Assert.Empty(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<McpOAuthGrantService>().ListAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task ClientSecretPostClient_GetsASecret_ThatTheTokenEndpointRequires()
    {
        var tenant = await app.CreateTenantAsync("OAuth Secret Post");
        using var http = _flow.Anonymous();
        var registered = await http.PostAsJsonAsync("/connect/register", new Dictionary<string, object?>
        {
            ["client_name"] = "Hosted connector", ["redirect_uris"] = new[] { McpOAuthFlow.Redirect }, ["token_endpoint_auth_method"] = "client_secret_post",
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var client = await registered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("client_secret_post", client.GetProperty("token_endpoint_auth_method").GetString());
        var clientId = client.GetProperty("client_id").GetString()!;
        var secret = client.GetProperty("client_secret").GetString()!;
        Assert.True(secret.Length >= 43, secret);

        var browser = await _flow.SignedInAsync(tenant);
        var (verifier, challenge) = McpOAuthFlow.Pkce();
        var code = McpOAuthFlow.Param(await McpOAuthFlow.ConsentAsync(browser, _flow.AuthorizeUrl(clientId, challenge)), "code")!;
        var redeem = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = code, ["redirect_uri"] = McpOAuthFlow.Redirect,
            ["code_verifier"] = verifier, ["resource"] = Resource,
        };
        var (noSecret, noSecretBody) = await _flow.TokenAsync(redeem);
        Assert.NotEqual(HttpStatusCode.OK, noSecret);
        Assert.Equal("invalid_client", noSecretBody.GetProperty("error").GetString());
        var (wrongSecret, _) = await _flow.TokenAsync(new(redeem) { ["client_secret"] = secret[..^2] + (secret.EndsWith("00", StringComparison.Ordinal) ? "11" : "00") });
        Assert.NotEqual(HttpStatusCode.OK, wrongSecret);

        var (status, tokens) = await _flow.TokenAsync(new(redeem) { ["client_secret"] = secret });
        Assert.True(status == HttpStatusCode.OK, tokens.ToString());
        Assert.Equal(HttpStatusCode.OK, await _flow.RawMcpAsync(tokens.GetProperty("access_token").GetString()!));
    }

    [Fact]
    public async Task ForgedOrExpiredToken_Gets401_PointingAtTheProtectedResourceMetadata()
    {
        var tenant = await app.CreateTenantAsync("OAuth Expiry");
        var (_, tokens) = await _flow.ConnectAsync(tenant);
        var access = tokens.GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await _flow.RawMcpAsync(access));
        var metadata = $"resource_metadata=\"{new Uri(app.ServerAddress, "/.well-known/oauth-protected-resource/mcp").AbsoluteUri}\"";

        var middle = access.Length / 2;
        var tampered = access[..middle] + (access[middle] == 'A' ? 'B' : 'A') + access[(middle + 1)..];
        foreach (var forged in new[] { tampered, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", Guid.NewGuid().ToString("N") })
        {
            await AssertRefusedAsync(forged);
        }

        app.ValidationClock.Offset = TimeSpan.FromHours(1) + TimeSpan.FromMinutes(10);
        try
        {
            await AssertRefusedAsync(access);
        }
        finally
        {
            app.ValidationClock.Offset = TimeSpan.Zero;
        }

        // The same token is good again at the real time: the refusal above was its expiry.
        Assert.Equal(HttpStatusCode.OK, await _flow.RawMcpAsync(access));

        async Task AssertRefusedAsync(string token)
        {
            var response = await _flow.RawMcpResponseAsync(token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var challenge = response.Headers.WwwAuthenticate.ToString();
            Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
            Assert.Contains(metadata, challenge, StringComparison.Ordinal);
        }
    }
}
