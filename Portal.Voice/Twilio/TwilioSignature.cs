using Microsoft.Extensions.Primitives;
using Twilio.Security;

namespace Portal.Voice.Twilio;

/// <summary>
/// Checks Twilio's <c>X-Twilio-Signature</c> with the Twilio SDK's <see cref="RequestValidator"/>
/// (https://www.twilio.com/docs/usage/webhooks/webhooks-security): HMAC-SHA1 keyed with the auth token over the full
/// public URL followed by the form fields sorted by name, each name immediately followed by its value, Base64; the SDK
/// also accepts the URL with its default port added or removed. A Media Streams WebSocket upgrade is signed over its
/// <c>wss://</c> URL with no fields. A form that repeats a field name is refused: Twilio's voice webhooks send each
/// field once, and the SDK cannot check repeated fields the way Twilio signs them.
/// </summary>
public static class TwilioSignature
{
    /// <summary>HTTP header carrying the signature.</summary>
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>True when <paramref name="signature"/> signs <paramref name="url"/> and the form fields.</summary>
    /// <param name="authToken">The account's auth token (the HMAC key).</param>
    /// <param name="url">The URL Twilio requested, as Twilio saw it: scheme, public host, path and query.</param>
    /// <param name="form">The POSTed form fields.</param>
    /// <param name="signature">The header value; null or empty is invalid.</param>
    /// <returns>Whether the request is from Twilio and unchanged.</returns>
    /// <exception cref="ArgumentException">Empty <paramref name="authToken"/> or <paramref name="url"/>.</exception>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, StringValues>> form, string? signature)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentNullException.ThrowIfNull(form);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in form)
        {
            if (values.Count > 1 || !fields.TryAdd(name, values.ToString()))
            {
                return false;
            }
        }

        return !string.IsNullOrEmpty(signature) && new RequestValidator(authToken).Validate(url, fields, signature);
    }

    /// <summary>True when <paramref name="signature"/> signs <paramref name="url"/> alone (a WebSocket upgrade, a GET).</summary>
    /// <param name="authToken">The account's auth token.</param>
    /// <param name="url">The URL as Twilio requested it, e.g. <c>wss://portal.example.com/twilio/media</c>.</param>
    /// <param name="signature">The header value; null or empty is invalid.</param>
    /// <returns>Whether the request is from Twilio.</returns>
    /// <exception cref="ArgumentException">Empty <paramref name="authToken"/> or <paramref name="url"/>.</exception>
    public static bool IsValid(string authToken, string url, string? signature) =>
        IsValid(authToken, url, [], signature);
}
