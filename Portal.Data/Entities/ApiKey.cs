namespace Portal.Data.Entities;

/// <summary>
/// A business's key for the public REST API (<c>/api/v1</c>, <c>Authorization: Bearer &lt;key&gt;</c>). Only the
/// SHA-256 of the key is stored; the key itself is shown once when created. <see cref="Prefix"/> (the first
/// characters) lets the owner tell keys apart. Revoked keys stay listed for the record.
/// </summary>
public sealed class ApiKey : TenantEntity
{
    /// <summary>Maximum length of <see cref="Name"/>.</summary>
    public const int NameMaxLength = 80;

    /// <summary>Length of <see cref="Prefix"/>.</summary>
    public const int PrefixLength = 11;

    /// <summary>Maximum length of <see cref="Scopes"/>.</summary>
    public const int ScopesMaxLength = 64;

    /// <summary>What the owner calls it ("Zapier", "CRM sync"); 1–<see cref="NameMaxLength"/> characters.</summary>
    public string Name { get; set; } = "";

    /// <summary>The key's first <see cref="PrefixLength"/> characters, e.g. <c>pk_3fQ9xZ2a</c>.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>SHA-256 of the whole key (UTF-8), 32 bytes; unique.</summary>
    public byte[] KeyHash { get; set; } = [];

    /// <summary>Space-separated scopes from <c>Portal.Domain.ApiKeys.ApiKeyScopes</c> ("read", "read write").</summary>
    public string Scopes { get; set; } = "";

    /// <summary>The user who created it.</summary>
    public Guid? CreatedByUserId { get; set; }

    /// <summary>Last time a request used it (UTC, updated at most once a minute); null when never used.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>When it was revoked (UTC); a revoked key is refused.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
