using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using OpenIddict.Validation;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Brain;

/// <summary>Serves the app on Kestrel, so the OAuth flow and /mcp run over real HTTP; OpenIddict's validation reads <see cref="ValidationClock"/>.</summary>
public sealed class McpOAuthAppFactory : PortalAppFactory
{
    /// <summary>The clock the access-token validation of /mcp reads: real time plus an offset a test may move forward (expiry).</summary>
    public OffsetClock ValidationClock { get; } = new();

    protected override bool UseRealServer => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.Configure<OpenIddictValidationOptions>(o => o.TimeProvider = ValidationClock));
    }
}

/// <summary>Real time plus <see cref="Offset"/>.</summary>
public sealed class OffsetClock : TimeProvider
{
    /// <summary>How far ahead of real time this clock runs.</summary>
    public TimeSpan Offset { get; set; }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>
/// What an MCP client and the owner's browser do against the app of <paramref name="app"/>: register, sign in, consent
/// (following the consent page's own form), redeem codes, call /mcp.
/// </summary>
public sealed partial class McpOAuthFlow(McpOAuthAppFactory app)
{
    /// <summary>The redirect URI the test clients register (nothing listens there: redirects are not followed).</summary>
    public const string Redirect = "http://127.0.0.1:9/callback";

    /// <summary>This server's MCP resource URL.</summary>
    public string Resource => new Uri(app.ServerAddress, "/mcp").AbsoluteUri;

    /// <summary>A client without cookies.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = app.ServerAddress };

    /// <summary>A browser: cookies kept, redirects not followed (the factory's Kestrel client follows them).</summary>
    public HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = app.ServerAddress };

    /// <summary>Signs <paramref name="tenant"/>'s owner in through the login form at <paramref name="login"/>; returns the response.</summary>
    public static async Task<HttpResponseMessage> LogInAsync(HttpClient browser, TestTenant tenant, string login = "/Account/Login")
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

    /// <summary>A browser signed in as <paramref name="tenant"/>'s owner.</summary>
    public async Task<HttpClient> SignedInAsync(TestTenant tenant)
    {
        var browser = Browser();
        await LogInAsync(browser, tenant);
        return browser;
    }

    /// <summary>A PKCE verifier and its S256 challenge.</summary>
    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Registers a public client (RFC 7591); its client id.</summary>
    public async Task<string> RegisterAsync(string name = "Test assistant")
    {
        using var http = Anonymous();
        var response = await http.PostAsJsonAsync("/connect/register", new { client_name = name, redirect_uris = new[] { Redirect } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_id").GetString()!;
    }

    /// <summary>An authorization request for mcp:read and mcp:book with PKCE S256.</summary>
    public string AuthorizeUrl(string clientId, string challenge, string? resource = null, string state = "xyz") => QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
    {
        ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = Redirect, ["scope"] = "mcp:read mcp:book",
        ["state"] = state, ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["resource"] = resource ?? Resource,
    });

    /// <summary>Follows the authorization URL as the signed-in owner's browser: the consent page, then its form. Returns the final redirect.</summary>
    public static async Task<Uri> ConsentAsync(HttpClient browser, string authorizeUrl, string decision = "allow", bool allowBooking = false, Guid? business = null)
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

    /// <summary>A query parameter of a redirect, or null.</summary>
    public static string? Param(Uri redirect, string name) => QueryHelpers.ParseQuery(redirect.Query).TryGetValue(name, out var v) ? v.ToString() : null;

    /// <summary>A token request: the status and the JSON answer.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(Dictionary<string, string> form)
    {
        using var http = Anonymous();
        using var content = new FormUrlEncodedContent(form);
        var response = await http.PostAsync("/connect/token", content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Redeems a code with its verifier.</summary>
    public Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(string clientId, string code, string verifier) => TokenAsync(new()
    {
        ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = code, ["redirect_uri"] = Redirect,
        ["code_verifier"] = verifier, ["resource"] = Resource,
    });

    /// <summary>Registration, consent as <paramref name="tenant"/>'s owner, redemption: the token response.</summary>
    public async Task<(string ClientId, JsonElement Tokens)> ConnectAsync(TestTenant tenant, bool allowBooking = false)
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

    /// <summary>The SDK's MCP client with a bearer token.</summary>
    public async Task<McpClient> McpAsync(string accessToken) => await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = new Uri(Resource),
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + accessToken },
    }, Anonymous(), ownsHttpClient: true), McpTestClientOptions.Create());

    /// <summary>A raw tools/list on /mcp, optionally with another Host header: the response.</summary>
    public async Task<HttpResponseMessage> RawMcpResponseAsync(string accessToken, string? host = null)
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

        return await http.SendAsync(request);
    }

    /// <summary>A raw tools/list on /mcp: the status code.</summary>
    public async Task<HttpStatusCode> RawMcpAsync(string accessToken, string? host = null) => (await RawMcpResponseAsync(accessToken, host)).StatusCode;

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();
}
