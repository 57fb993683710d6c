using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Domain.Brain.Mcp;

/// <summary>The outcome of a registration: the client's metadata (RFC 7591 §3.2.1) or an error (§3.2.2).</summary>
/// <param name="Client">The registered client's metadata, or null on error.</param>
/// <param name="Error">The RFC 7591 error code (<c>invalid_redirect_uri</c>, <c>invalid_client_metadata</c>), or null.</param>
/// <param name="Description">Why, in words, or null.</param>
public sealed record ClientRegistrationResult(IReadOnlyDictionary<string, object>? Client, string? Error, string? Description)
{
    internal static ClientRegistrationResult Fail(string error, string description) => new(null, error, description);
}

/// <summary>
/// OAuth 2.0 Dynamic Client Registration (RFC 7591, https://www.rfc-editor.org/rfc/rfc7591) as the MCP authorization
/// specification asks of an authorization server (https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization#dynamic-client-registration),
/// so Claude Desktop or VS Code can register themselves. Public clients (<c>token_endpoint_auth_method</c> "none", the
/// default) or confidential ones authenticating with <c>client_secret_post</c> (what claude.ai's hosted connector and the
/// MCP C# SDK ask for; the secret is returned once and stored hashed), both using the authorization code flow with PKCE
/// and refresh tokens; redirect URIs must be https, or http on a loopback
/// host (RFC 8252 §7.3), without fragments. A registered client can do nothing until an owner consents.
/// </summary>
public sealed class McpClientRegistration(IOpenIddictApplicationManager applications, TimeProvider timeProvider)
{
    /// <summary>Most redirect URIs per client.</summary>
    public const int MaxRedirectUris = 10;

    /// <summary>Longest redirect URI, characters.</summary>
    public const int MaxRedirectUriLength = 2000;

    /// <summary>Registers a client from the JSON body of a registration request; nothing is stored when it is refused.</summary>
    public async Task<ClientRegistrationResult> RegisterAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return ClientRegistrationResult.Fail("invalid_client_metadata", "The body must be a JSON object.");
        }

        if (!body.TryGetProperty("redirect_uris", out var uris) || uris.ValueKind != JsonValueKind.Array || uris.GetArrayLength() is 0 or > MaxRedirectUris)
        {
            return ClientRegistrationResult.Fail("invalid_redirect_uri", $"redirect_uris must list 1 to {MaxRedirectUris} URIs.");
        }

        var redirects = new List<Uri>();
        foreach (var item in uris.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (RedirectUriProblem(text) is { } problem)
            {
                return ClientRegistrationResult.Fail("invalid_redirect_uri", problem);
            }

            redirects.Add(new Uri(text!));
        }

        var method = StringOf(body, "token_endpoint_auth_method") ?? ClientAuthenticationMethods.None;
        if (method is not (ClientAuthenticationMethods.None or ClientAuthenticationMethods.ClientSecretPost))
        {
            return ClientRegistrationResult.Fail("invalid_client_metadata", "token_endpoint_auth_method must be \"none\" (a public client) or \"client_secret_post\".");
        }

        var grantTypes = ListOf(body, "grant_types") ?? [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken];
        if (grantTypes.Count == 0 || grantTypes.Any(g => g is not (GrantTypes.AuthorizationCode or GrantTypes.RefreshToken)))
        {
            return ClientRegistrationResult.Fail("invalid_client_metadata", "grant_types may only be authorization_code and refresh_token.");
        }

        var responseTypes = ListOf(body, "response_types") ?? [ResponseTypes.Code];
        if (responseTypes.Count == 0 || responseTypes.Any(r => r != ResponseTypes.Code))
        {
            return ClientRegistrationResult.Fail("invalid_client_metadata", "response_types may only be code.");
        }

        var name = (StringOf(body, "client_name") ?? "").Trim();
        name = name.Length == 0 ? "Unnamed app" : name.Length > 100 ? name[..100] : name;
        var confidential = method == ClientAuthenticationMethods.ClientSecretPost;
        // 256 random bits, shown once in the response; OpenIddict stores only its hash.
        var secret = confidential ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) : null;
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = "mcp_" + Guid.NewGuid().ToString("N"),
            ClientType = confidential ? ClientTypes.Confidential : ClientTypes.Public,
            ClientSecret = secret,
            ConsentType = ConsentTypes.Explicit,
            DisplayName = name,
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                Permissions.Prefixes.Scope + McpOAuthScopes.Read, Permissions.Prefixes.Scope + McpOAuthScopes.Book,
                Permissions.Prefixes.Scope + Scopes.OfflineAccess,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in redirects)
        {
            descriptor.RedirectUris.Add(uri);
        }

        await applications.CreateAsync(descriptor, cancellationToken);
        var issuedAt = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var client = new Dictionary<string, object>
        {
            ["client_id"] = descriptor.ClientId,
            ["client_id_issued_at"] = issuedAt,
            ["client_name"] = name,
            ["redirect_uris"] = redirects.Select(u => u.OriginalString).ToArray(),
            ["grant_types"] = grantTypes.ToArray(),
            ["response_types"] = responseTypes.ToArray(),
            ["token_endpoint_auth_method"] = method,
            ["scope"] = string.Join(' ', McpOAuthScopes.All),
        };
        if (secret is not null)
        {
            client["client_secret"] = secret;
            client["client_secret_expires_at"] = 0; // RFC 7591 §3.2.1: 0 = does not expire.
        }

        return new ClientRegistrationResult(client, null, null);
    }

    /// <summary>Why <paramref name="uri"/> is not an acceptable redirect URI, or null when it is (https, or http on a loopback host; absolute; no fragment).</summary>
    public static string? RedirectUriProblem(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri) || uri.Length > MaxRedirectUriLength || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            return "Each redirect URI must be an absolute URI.";
        }

        if (parsed.Fragment.Length > 0)
        {
            return "A redirect URI must not have a fragment.";
        }

        if (parsed.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        var loopback = parsed.Host == "localhost" || (IPAddress.TryParse(parsed.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        return parsed.Scheme == Uri.UriSchemeHttp && loopback ? null : "Redirect URIs must use https, or http on a loopback address (127.0.0.1, [::1], localhost).";
    }

    private static string? StringOf(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string>? ListOf(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "").ToList()
            : null;
}
