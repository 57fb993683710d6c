using System.Security.Cryptography;
using System.Text;

namespace Portal.Domain.Security;

/// <summary>
/// Bearer secrets the portal issues (API keys, MCP tokens): a recognisable prefix plus 32 random bytes in base64url
/// (RFC 4648 §5, no padding: 43 characters, 256 bits of entropy), stored only as their SHA-256 (FIPS 180-4). With that
/// much entropy a fast unsalted hash is safe: nothing can be guessed, so nothing needs slowing down (unlike passwords).
/// </summary>
public static class SecretTokens
{
    /// <summary>Random bytes in a new secret.</summary>
    public const int RandomBytes = 32;

    /// <summary>A new secret: <paramref name="prefix"/> + 43 base64url characters.</summary>
    public static string New(string prefix) => prefix + Base64Url(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>SHA-256 of the secret's UTF-8 bytes (32 bytes).</summary>
    public static byte[] Sha256(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>SHA-256 of the secret's UTF-8 bytes as 64 lowercase hex characters.</summary>
    public static string Sha256Hex(string secret) => Convert.ToHexStringLower(Sha256(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
