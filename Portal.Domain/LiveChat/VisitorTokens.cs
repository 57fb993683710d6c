using System.Security.Cryptography;

namespace Portal.Domain.LiveChat;

/// <summary>
/// Visitor tokens of the chat widget: 32 random bytes, base64url (43 characters), kept in the visitor's browser
/// (<c>localStorage</c>) and stored here only as their SHA-256, so a database leak cannot resume anyone's chat.
/// </summary>
public static class VisitorTokens
{
    /// <summary>Length of a token, characters.</summary>
    public const int Length = 43;

    /// <summary>A new random token.</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>SHA-256 of the token's UTF-8 bytes.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    /// <summary>True when <paramref name="token"/> has the shape of a token (base64url, <see cref="Length"/> characters).</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: Length } && token.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');
}
