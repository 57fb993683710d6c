using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Portal.Domain.Brain.Mcp;
using Portal.Domain.Conversations;
using Portal.Domain.Entities;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Brain;

/// <summary>Serves the app on Kestrel, so the OAuth flow and /mcp run over real HTTP.</summary>
public sealed class McpOAuthAppFactory : PortalAppFactory
{
    protected override bool UseRealServer => true;
}

/// <summary>
/// The OAuth 2.1 authorization server of /mcp (ADR-025) over real HTTP: metadata, dynamic client registration, the code
/// flow with PKCE through the consent page, the SDK's own MCP client connecting by OAuth, and every refusal.
/// </summary>
public sealed partial class McpOAuthTests(McpOAuthAppFactory app) : IClassFixture<McpOAuthAppFactory>
{
    private const string Redirect = "http://127.0.0.1:9/callback";

    private string Resource => new Uri(app.ServerAddress, "/mcp").AbsoluteUri;

    private HttpClient Anonymous() => new() { BaseAddress = app.ServerAddress };

    /// <summary>A browser: cookies kept, redirects not followed (the factory's Kestrel client follows them).</summary>
    private HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = app.ServerAddress };

    /// <summary>Signs <paramref name="tenant"/>'s owner in through the login form at <paramref name="login"/>; returns the response.</summary>
    private static async Task<HttpResponseMessage> LogInAsync(HttpClient browser, TestTenant tenant, string login = "/Account/Login")
    {
        var page = await browser.GetStringAsync(login);
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["Input.Email"] = tenant.Email, ["Input.Password"] = tenant.Password,
        });
        var response = await browser.PostAsync(login, form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    private async Task<HttpClient> SignedInAsync(TestTenant tenant)
    {
        var browser = Browser();
        await LogInAsync(browser, tenant);
        return browser;
    }

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<string> RegisterAsync(string name = "Test assistant")
    {
        using var http = Anonymous();
        var response = await http.PostAsJsonAsync("/connect/register", new { client_name = name, redirect_uris = new[] { Redirect } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_id").GetString()!;
    }

    private string AuthorizeUrl(string clientId, string challenge, string? resource = null, string state = "xyz") => QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
    {
        ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = Redirect, ["scope"] = "mcp:read mcp:book",
        ["state"] = state, ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["resource"] = resource ?? Resource,
    });

    /// <summary>Follows the authorization URL as the signed-in owner's browser: the consent page, then its form. Returns the final redirect.</summary>
    private static async Task<Uri> ConsentAsync(HttpClient browser, string authorizeUrl, string decision = "allow", bool allowBooking = false, Guid? business = null)
    {
        var first = await browser.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        if (!first.Headers.Location!.OriginalString.Contains("/connect/consent", StringComparison.Ordinal))
        {
            return first.Headers.Location;
        }

        var page = await browser.GetStringAsync(first.Headers.Location);
        var fields = HiddenField().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["Decision"] = decision;
        if (allowBooking)
        {
            fields["AllowBooking"] = "true";
        }

        if (business is { } chosen)
        {
            fields["Business"] = chosen.ToString();
        }

        using var form = new FormUrlEncodedContent(fields);
        var answer = await browser.PostAsync("/connect/authorize", form);
        Assert.True(answer.StatusCode == HttpStatusCode.Redirect, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        return answer.Headers.Location!;
    }

    private static string? Param(Uri redirect, string name) => QueryHelpers.ParseQuery(redirect.Query).TryGetValue(name, out var v) ? v.ToString() : null;

    private async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(Dictionary<string, string> form)
    {
        using var http = Anonymous();
        using var content = new FormUrlEncodedContent(form);
        var response = await http.PostAsync("/connect/token", content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(string clientId, string code, string verifier) => TokenAsync(new()
    {
        ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = code, ["redirect_uri"] = Redirect,
        ["code_verifier"] = verifier, ["resource"] = Resource,
    });

    /// <summary>Registration, consent as <paramref name="tenant"/>'s owner, redemption: the token response.</summary>
    private async Task<(string ClientId, JsonElement Tokens)> ConnectAsync(TestTenant tenant, bool allowBooking = false)
    {
        var clientId = await RegisterAsync();
        var browser = await SignedInAsync(tenant);
        var (verifier, challenge) = Pkce();
        var redirect = await ConsentAsync(browser, AuthorizeUrl(clientId, challenge), allowBooking: allowBooking);
        Assert.Equal("xyz", Param(redirect, "state"));
        var (status, body) = await RedeemAsync(clientId, Param(redirect, "code")!, verifier);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return (clientId, body);
    }

    private async Task<McpClient> McpAsync(string accessToken) => await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = new Uri(Resource),
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + accessToken },
    }, Anonymous(), ownsHttpClient: true));

    /// <summary>A raw tools/list on /mcp, optionally with another Host header: the status code.</summary>
    private async Task<HttpStatusCode> RawMcpAsync(string accessToken, string? host = null)
    {
        using var http = Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method = "tools/list" }) };
        request.Headers.Authorization = new("Bearer", accessToken);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return (await http.SendAsync(request)).StatusCode;
    }

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
        using var http = Anonymous();
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
        using var http = Anonymous();
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
        using var http = Anonymous();
        var response = await http.PostAsJsonAsync("/connect/register", new { redirect_uris = new[] { Redirect }, grant_types = new[] { "implicit" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SdkClient_ConnectsByOAuth_ThroughSignInAndConsent_ListsToolsAndCallsOne()
    {
        var tenant = await app.CreateTenantAsync("OAuth Sdk Dental");
        var browser = await SignedInAsync(tenant);
        string? consentedFor = null;
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(Resource),
            TransportMode = HttpTransportMode.StreamableHttp,
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = new Uri(Redirect),
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "SDK assistant" },
#pragma warning disable MCP9007 // the code-only delegate: this test's "browser" returns the code; state and iss are checked in ConsentAsync.
                AuthorizationRedirectDelegate = async (authorizationUrl, redirectUri, ct) =>
                {
                    var back = await ConsentAsync(browser, authorizationUrl.PathAndQuery);
                    consentedFor = Param(authorizationUrl, "resource");
                    return Param(back, "code");
                },
#pragma warning restore MCP9007
            },
        }, Anonymous(), ownsHttpClient: true);
        await using var client = await McpClient.CreateAsync(transport);

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
        var clientId = await RegisterAsync();
        var url = AuthorizeUrl(clientId, Pkce().Challenge);
        var browser = Browser();
        var first = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var login = first.Headers.Location!;
        Assert.Contains("/Account/Login", login.OriginalString, StringComparison.Ordinal);
        var signedIn = await LogInAsync(browser, tenant, login.PathAndQuery);
        var back = signedIn.Headers.Location!;
        Assert.Equal(url, back.IsAbsoluteUri ? back.PathAndQuery : back.OriginalString);

        var redirect = await ConsentAsync(browser, url);
        Assert.NotNull(Param(redirect, "code"));
    }

    [Fact]
    public async Task Deny_ReturnsAccessDenied_AndAnotherResourceIsRefused()
    {
        var tenant = await app.CreateTenantAsync("OAuth Deny");
        var clientId = await RegisterAsync();
        var browser = await SignedInAsync(tenant);
        var denied = await ConsentAsync(browser, AuthorizeUrl(clientId, Pkce().Challenge), decision: "deny");
        Assert.StartsWith(Redirect, denied.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("access_denied", Param(denied, "error"));
        Assert.Null(Param(denied, "code"));

        var elsewhere = await ConsentAsync(browser, AuthorizeUrl(clientId, Pkce().Challenge, resource: "https://other.example/mcp"));
        Assert.Equal("invalid_target", Param(elsewhere, "error"));
        Assert.Null(Param(elsewhere, "code"));
        Assert.Empty(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<McpOAuthGrantService>().ListAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task WrongVerifier_ReusedCode_AndPlainPkce_AreRefused()
    {
        var tenant = await app.CreateTenantAsync("OAuth Pkce");
        var clientId = await RegisterAsync();
        var browser = await SignedInAsync(tenant);

        var (verifier, challenge) = Pkce();
        var code = Param(await ConsentAsync(browser, AuthorizeUrl(clientId, challenge)), "code")!;
        var (wrongStatus, wrong) = await RedeemAsync(clientId, code, Pkce().Verifier);
        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
        Assert.Equal("invalid_grant", wrong.GetProperty("error").GetString());

        (verifier, challenge) = Pkce();
        code = Param(await ConsentAsync(browser, AuthorizeUrl(clientId, challenge)), "code")!;
        var (okStatus, _) = await RedeemAsync(clientId, code, verifier);
        Assert.Equal(HttpStatusCode.OK, okStatus);
        var (reusedStatus, reused) = await RedeemAsync(clientId, code, verifier);
        Assert.Equal(HttpStatusCode.BadRequest, reusedStatus);
        Assert.Equal("invalid_grant", reused.GetProperty("error").GetString());

        var plain = AuthorizeUrl(clientId, challenge).Replace("code_challenge_method=S256", "code_challenge_method=plain", StringComparison.Ordinal);
        var plainAnswer = await browser.GetAsync(plain);
        Assert.True(plainAnswer.StatusCode == HttpStatusCode.BadRequest || Param(plainAnswer.Headers.Location!, "error") == "invalid_request", $"{(int)plainAnswer.StatusCode}");
    }

    [Fact]
    public async Task Token_IsBoundToItsBusiness_AndItsResource()
    {
        var alpha = await app.CreateTenantAsync("OAuth Alpha");
        var bravo = await app.CreateTenantAsync("OAuth Bravo");
        await ChatAsync(bravo.TenantId, "Do you treat pelicans with toothache?");
        var (_, tokens) = await ConnectAsync(alpha);
        var access = tokens.GetProperty("access_token").GetString()!;

        await using (var client = await McpAsync(access))
        {
            var profile = await client.ReadResourceAsync("portal://business/profile");
            var text = profile.Contents.OfType<TextResourceContents>().Single().Text;
            Assert.Contains("OAuth Alpha", text, StringComparison.Ordinal);
            Assert.DoesNotContain("OAuth Bravo", text, StringComparison.Ordinal);
            var found = await client.CallToolAsync("search_conversations", new Dictionary<string, object?> { ["query"] = "pelicans" });
            Assert.DoesNotContain("pelican", string.Concat(found.Content.OfType<TextContentBlock>().Select(b => b.Text)), StringComparison.OrdinalIgnoreCase);
        }

        // Alpha's owner cannot pick Bravo on the consent form.
        var clientId = await RegisterAsync();
        var browser = await SignedInAsync(alpha);
        var tampered = await ConsentAsync(browser, AuthorizeUrl(clientId, Pkce().Challenge), business: bravo.TenantId);
        Assert.Equal("access_denied", Param(tampered, "error"));

        // The audience is this host's /mcp: the same token presented to another host name of the server is refused.
        Assert.Equal(HttpStatusCode.OK, await RawMcpAsync(access));
        var otherHost = (app.ServerAddress.Host == "localhost" ? "127.0.0.1" : "localhost") + ":" + app.ServerAddress.Port;
        Assert.Equal(HttpStatusCode.Unauthorized, await RawMcpAsync(access, otherHost));
    }

    [Fact]
    public async Task ReadOnlyToken_CannotBook_ButABookingGrantCan()
    {
        var tenant = await app.CreateTenantAsync("OAuth Booking");
        var booking = new Dictionary<string, object?> { ["service"] = "Cleaning", ["customerName"] = "Ann Lee", ["customerPhone"] = "+12125550123", ["confirmed"] = true };

        var (_, readOnly) = await ConnectAsync(tenant);
        await using (var client = await McpAsync(readOnly.GetProperty("access_token").GetString()!))
        {
            var slots = await client.CallToolAsync("find_free_slots", new Dictionary<string, object?> { ["service"] = "Cleaning", ["count"] = 1 });
            booking["start"] = JsonDocument.Parse(string.Concat(slots.Content.OfType<TextContentBlock>().Select(b => b.Text))).RootElement.GetProperty("starts")[0].GetString();
            var refused = await client.CallToolAsync("create_booking", booking);
            Assert.True(refused.IsError);
            Assert.Contains("read-only", string.Concat(refused.Content.OfType<TextContentBlock>().Select(b => b.Text)), StringComparison.Ordinal);
        }

        var (_, booker) = await ConnectAsync(tenant, allowBooking: true);
        Assert.Contains("mcp:book", booker.GetProperty("scope").GetString(), StringComparison.Ordinal);
        await using (var client = await McpAsync(booker.GetProperty("access_token").GetString()!))
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
        var (clientId, tokens) = await ConnectAsync(tenant);
        var first = tokens.GetProperty("refresh_token").GetString()!;
        var refresh = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = clientId, ["refresh_token"] = first, ["resource"] = Resource };

        var (status, rotated) = await TokenAsync(refresh);
        Assert.True(status == HttpStatusCode.OK, rotated.ToString());
        Assert.NotEqual(first, rotated.GetProperty("refresh_token").GetString());
        Assert.Equal(HttpStatusCode.OK, await RawMcpAsync(rotated.GetProperty("access_token").GetString()!));

        var (reusedStatus, reused) = await TokenAsync(refresh);
        Assert.Equal(HttpStatusCode.BadRequest, reusedStatus);
        Assert.Equal("invalid_grant", reused.GetProperty("error").GetString());
    }

    [Fact]
    public async Task DisconnectedApp_ItsAccessAndRefreshTokensAreRefused_AndOtherBusinessesCannotDisconnectIt()
    {
        var tenant = await app.CreateTenantAsync("OAuth Revoke");
        var other = await app.CreateTenantAsync("OAuth Revoke Other");
        var (clientId, tokens) = await ConnectAsync(tenant);
        var access = tokens.GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await RawMcpAsync(access));

        var appId = (await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<McpOAuthGrantService>().ListAsync(CancellationToken.None))).Single().Id;
        Assert.False(await app.InTenantAsync(other.TenantId, sp => sp.GetRequiredService<McpOAuthGrantService>().RevokeAsync(appId, CancellationToken.None)));
        Assert.Equal(HttpStatusCode.OK, await RawMcpAsync(access));

        Assert.True(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<McpOAuthGrantService>().RevokeAsync(appId, CancellationToken.None)));
        Assert.Equal(HttpStatusCode.Unauthorized, await RawMcpAsync(access));
        var (status, refused) = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = clientId, ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!, ["resource"] = Resource });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", refused.GetProperty("error").GetString());
        Assert.Empty(await app.InTenantAsync(tenant.TenantId, sp => sp.GetRequiredService<McpOAuthGrantService>().ListAsync(CancellationToken.None)));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();
}
