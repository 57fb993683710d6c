using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Portal.Fakes.Twilio;

/// <summary>
/// Signs requests the way Twilio does, for fakes and tools that play Twilio against Portal
/// (https://www.twilio.com/docs/usage/webhooks/webhooks-security): Base64 of HMAC-SHA1, keyed with the UTF-8 auth token,
/// over the full URL followed by each POST field's name and value, sorted by name (ordinal), with no separators.
/// Portal itself only validates, with the Twilio SDK's <c>RequestValidator</c>.
/// </summary>
public static class TwilioRequestSigner
{
    /// <summary>The <c>X-Twilio-Signature</c> value for <paramref name="url"/> and <paramref name="parameters"/>.</summary>
    /// <param name="authToken">The account's auth token.</param>
    /// <param name="url">The URL as Twilio requests it (scheme, host, optional port, path, query).</param>
    /// <param name="parameters">The form fields, or null for a GET or a WebSocket upgrade.</param>
    /// <returns>28 Base64 characters.</returns>
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string?>>? parameters = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        ArgumentException.ThrowIfNullOrEmpty(url);
        var data = new StringBuilder(url);
        foreach (var (name, value) in (parameters ?? []).OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        // Twilio's scheme is HMAC-SHA1; the fake must sign exactly as Twilio does.
#pragma warning disable CA5350
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    /// <summary>The signature for a form given as name/values pairs.</summary>
    /// <param name="authToken">The account's auth token.</param>
    /// <param name="url">The URL as Twilio requests it.</param>
    /// <param name="form">The form fields.</param>
    /// <returns>28 Base64 characters.</returns>
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, StringValues>> form) =>
        Sign(authToken, url, form.SelectMany(p => p.Value.Count == 0
            ? [new KeyValuePair<string, string?>(p.Key, "")]
            : p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v))));
}
