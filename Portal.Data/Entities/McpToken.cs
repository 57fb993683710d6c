namespace Portal.Data.Entities;

/// <summary>
/// A bearer token with which the owner's own AI assistant (Claude Desktop, VS Code, ChatGPT) reaches the business's MCP
/// server at <c>/mcp</c>. Only the SHA-256 hash of the token is stored; the token itself is shown once, when created.
/// </summary>
public sealed class McpToken : TenantEntity
{
    /// <summary>Longest name, characters.</summary>
    public const int NameMaxLength = 80;

    /// <summary>Length of <see cref="TokenHash"/> (SHA-256 as lowercase hex).</summary>
    public const int HashLength = 64;

    /// <summary>Length of <see cref="Prefix"/>.</summary>
    public const int PrefixLength = 12;

    /// <summary>What the owner called it ("Claude on my laptop").</summary>
    public string Name { get; set; } = "";

    /// <summary>SHA-256 of the token's UTF-8 bytes, lowercase hex (64 characters); unique.</summary>
    public string TokenHash { get; set; } = "";

    /// <summary>The token's first characters, to recognise it in the list.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>True when the assistant may create bookings; otherwise the token is read-only.</summary>
    public bool AllowBooking { get; set; }

    /// <summary>When the owner revoked it (UTC), or null while it is valid.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>When it was last used (UTC), or null.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}
