using Microsoft.Extensions.Options;
using OpenIddict.Server;
using Portal.Domain.Brain.Mcp;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Web.Mcp.OAuth;

/// <summary>
/// The OAuth 2.1 authorization server of the MCP server (ADR-025): OpenIddict 7.9.0 on <c>PortalDbContext</c>,
/// authorization code flow with PKCE (S256 only) and rotating refresh tokens, no implicit or password grant; metadata
/// at <c>/.well-known/oauth-authorization-server</c> (RFC 8414, https://www.rfc-editor.org/rfc/rfc8414) with the dynamic
/// client registration endpoint (RFC 7591); access tokens in the Data Protection format (the key ring is shared by every
/// instance) with the <c>/mcp</c> resource as audience (RFC 8707); signing and encryption keys from
/// <see cref="OAuthServerKeys"/>. Follows https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization.
/// </summary>
public static class OAuthSetup
{
    /// <summary>The authorization endpoint.</summary>
    public const string AuthorizePath = "/connect/authorize";

    /// <summary>The token endpoint.</summary>
    public const string TokenPath = "/connect/token";

    /// <summary>The revocation endpoint (RFC 7009).</summary>
    public const string RevokePath = "/connect/revoke";

    /// <summary>The dynamic client registration endpoint (RFC 7591).</summary>
    public const string RegisterPath = "/connect/register";

    /// <summary>The consent page the authorization endpoint sends a signed-in user to.</summary>
    public const string ConsentPath = "/connect/consent";

    /// <summary>The authorization server metadata document (RFC 8414 §3).</summary>
    public const string MetadataPath = "/.well-known/oauth-authorization-server";

    /// <summary>Claim (access token) holding the business the token is bound to.</summary>
    public const string TenantClaim = "portal_tenant";

    /// <summary>
    /// Adds the OpenIddict server and validation. HTTPS is required except when <c>OAuth:RequireHttps</c> is false, which
    /// the Development and Testing environments default to (a TLS-terminating proxy must forward the scheme in Production).
    /// </summary>
    public static WebApplicationBuilder AddPortalOAuth(this WebApplicationBuilder builder)
    {
        var requireHttps = builder.Configuration.GetValue("OAuth:RequireHttps", !(builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing")));
        builder.Services.AddOpenIddict()
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'))
                    .SetTokenEndpointUris(TokenPath.TrimStart('/'))
                    .SetRevocationEndpointUris(RevokePath.TrimStart('/'))
                    .SetConfigurationEndpointUris(MetadataPath.TrimStart('/'), ".well-known/openid-configuration");
                o.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();
                o.RequireProofKeyForCodeExchange();
                // S256 only: "plain" would let an intercepted code be redeemed (MCP authorization requires S256).
                o.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                o.RegisterScopes(McpOAuthScopes.Read, McpOAuthScopes.Book, Scopes.OfflineAccess);
                // The resource is this host's /mcp, checked by the authorization endpoint (hosts vary: custom domains).
                o.DisableResourceValidation().IgnoreResourcePermissions();
                // Rotation without grace: a refresh token used twice is refused (and its chain revoked).
                o.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                o.SetAccessTokenLifetime(TimeSpan.FromHours(1)).SetRefreshTokenLifetime(TimeSpan.FromDays(30));
                o.UseDataProtection();
                o.AddEventHandler<OpenIddictServerEvents.HandleConfigurationRequestContext>(h => h.UseInlineHandler(context =>
                {
                    // RFC 8414 §2 registration_endpoint; OpenIddict has no RFC 7591 endpoint of its own.
                    context.Metadata["registration_endpoint"] = new Uri(context.BaseUri!, RegisterPath.TrimStart('/')).AbsoluteUri;
                    context.Metadata["token_endpoint_auth_methods_supported"] = System.Text.Json.JsonSerializer.SerializeToElement(new[] { ClientAuthenticationMethods.None, ClientAuthenticationMethods.ClientSecretPost });
                    return default;
                }));
                var aspNetCore = o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough();
                if (!requireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.UseDataProtection();
                o.UseAspNetCore();
                // Revoking a connected app (its authorization) or a token takes effect on the next request.
                o.EnableAuthorizationEntryValidation();
                o.EnableTokenEntryValidation();
            });
        builder.Services.AddSingleton<OAuthServerKeys>();
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, OAuthServerKeyOptions>();
        return builder;
    }

    /// <summary>The canonical URI of this host's MCP resource (RFC 8707 <c>resource</c>, the access tokens' audience).</summary>
    public static string ResourceUrl(HttpRequest request) => McpSetup.ResourceUrl(request);

    /// <summary>This host's issuer (the authorization server's base URL).</summary>
    public static string IssuerUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/";
}
