using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Voice.Twilio;
using Portal.Web.Telephony;

namespace Portal.Web.Endpoints;

/// <summary>
/// What every Twilio webhook shares: reading the form only when <c>X-Twilio-Signature</c> is valid
/// (https://www.twilio.com/docs/usage/security#validating-requests) over the public URL Twilio called, and answering in
/// TwiML.
/// </summary>
internal static class TwilioWebhookRequest
{
    /// <summary>
    /// Reads the form and checks <c>X-Twilio-Signature</c> over the public URL (configured base, else the
    /// request's scheme and host, plus path and query as received) and the form fields. Null when the
    /// body is not a form or the signature is missing or wrong.
    /// </summary>
    internal static async Task<IFormCollection?> ReadSignedFormAsync(HttpRequest request, TelephonyWebhookOptions options, ISandboxCredentials credentials, CancellationToken ct)
    {
        var signature = request.Headers[TwilioSignature.HeaderName].ToString();
        if (string.IsNullOrEmpty(signature) || !request.HasFormContentType)
        {
            return null;
        }

        var form = await request.ReadFormAsync(ct);
        var url = PublicBase(request, options) + request.PathBase + request.Path + request.QueryString;
        return TwilioSignature.IsValid(credentials.AuthToken, url, form, signature) ? form : null;
    }

    /// <summary>The public origin Twilio calls (configured base URL, else the request's scheme and host), no trailing slash.</summary>
    internal static string PublicBase(HttpRequest request, TelephonyWebhookOptions options) =>
        string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            ? request.Scheme + "://" + request.Host.Value
            : options.PublicBaseUrl.Trim().TrimEnd('/');

    /// <summary>
    /// The URL Twilio dialled for a Media Streams WebSocket upgrade, as it signs it (docs/protocols/twilio.md): <c>wss://</c>, the
    /// public authority (configured base, else the request's host), path base and path, no query string.
    /// </summary>
    /// <param name="request">The upgrade request.</param>
    /// <param name="options">Telephony settings (public base URL).</param>
    /// <returns>For example <c>wss://portal.example.com/twilio/media</c>.</returns>
    internal static string MediaStreamSignedUrl(HttpRequest request, TelephonyWebhookOptions options) =>
        "wss://" + PublicAuthority(request, options) + request.PathBase + request.Path;

    /// <summary>The public host and port Twilio calls (configured base URL, else the request's host).</summary>
    internal static string PublicAuthority(HttpRequest request, TelephonyWebhookOptions options) =>
        string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            ? request.Host.Value ?? "localhost"
            : new Uri(options.PublicBaseUrl.Trim()).Authority;

    /// <summary>A TwiML answer (<c>text/xml</c>, UTF-8).</summary>
    internal static ContentHttpResult Twiml(string twiml) =>
        TypedResults.Content(twiml, PortalTwiml.ContentType, Encoding.UTF8);
}
