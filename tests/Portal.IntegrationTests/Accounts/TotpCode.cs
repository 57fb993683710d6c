using System.Security.Cryptography;

namespace Portal.IntegrationTests.Accounts;

/// <summary>An authenticator app's code, for tests that sign in with two-factor authentication.</summary>
public static class TotpCode
{
    /// <summary>TOTP per RFC 6238 (HMAC-SHA1, 30-second steps, 6 digits), written independently of Identity's.</summary>
    public static string At(string base32Key, DateTimeOffset at)
    {
        var key = Base32Decode(base32Key);
        var counter = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

#pragma warning disable CA5350 // RFC 6238 TOTP as authenticator apps compute it is HMAC-SHA1 (RFC 6238 §1.2).
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32Decode(string input)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var output = new List<byte>();
        foreach (var c in input.ToUpperInvariant().Where(ch => ch != ' ' && ch != '='))
        {
            value = (value << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
