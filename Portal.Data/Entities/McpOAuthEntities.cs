namespace Portal.Data.Entities;

/// <summary>
/// An app (Claude Desktop, VS Code, ChatGPT…) the owner connected to the business's MCP server through OAuth 2.1
/// (ADR-025): one OpenIddict authorization, bound to exactly this business, listed and revocable under Settings →
/// AI assistants. Revoking it revokes the authorization and every token issued under it.
/// </summary>
public sealed class McpOAuthGrant : TenantEntity
{
    /// <summary>Longest client id or authorization id, characters.</summary>
    public const int IdMaxLength = 100;

    /// <summary>Longest app name, characters (as registered, RFC 7591 <c>client_name</c>).</summary>
    public const int ClientNameMaxLength = 100;

    /// <summary>The OpenIddict authorization's id; unique.</summary>
    public string AuthorizationId { get; set; } = "";

    /// <summary>The OAuth <c>client_id</c> of the app.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The app's name as it registered itself (not verified by anyone).</summary>
    public string ClientName { get; set; } = "";

    /// <summary>The signed-in user who consented.</summary>
    public Guid UserId { get; set; }

    /// <summary>True when the owner ticked "allow booking" (scope <c>mcp:book</c>); otherwise read-only.</summary>
    public bool AllowBooking { get; set; }

    /// <summary>When the owner revoked it (UTC), or null while it is connected.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
