using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>
/// A secret the platform generates once and every instance over the database must share (the keyless sandbox's webhook
/// auth token), keyed by <see cref="Name"/>. Platform-wide (<see cref="IGlobalEntity"/>); the value is stored only as ASP.NET
/// Data Protection ciphertext, so it is readable by instances that share the key ring.
/// </summary>
public sealed class PlatformSecret : IGlobalEntity
{
    /// <summary>Maximum length of <see cref="Name"/>.</summary>
    public const int NameMaxLength = 100;

    /// <summary>Maximum length of <see cref="ProtectedValue"/> (Data Protection output, base64url).</summary>
    public const int ProtectedValueMaxLength = 2000;

    /// <summary>The secret's name (primary key), e.g. <c>twilio-sandbox-auth-token</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The value as Data Protection ciphertext.</summary>
    public string ProtectedValue { get; set; } = "";

    /// <summary>When the first instance stored it (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
