using System.Buffers;
using System.Text.RegularExpressions;

namespace Portal.Telephony;

/// <summary>Argument checks shared by the Twilio and sandbox providers (run before any network call).</summary>
internal static partial class TelephonyValidation
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    public static void RequireE164(string e164)
    {
        if (e164 is null || !E164().IsMatch(e164))
        {
            throw new ArgumentException($"'{e164}' is not an E.164 phone number such as +14155550123.", nameof(e164));
        }
    }

    public static void RequireSid(string sid, string prefix, string parameterName)
    {
        if (sid is null || sid.Length != 34 || !sid.StartsWith(prefix, StringComparison.Ordinal) || sid.AsSpan(2).ContainsAnyExcept(HexDigits))
        {
            throw new ArgumentException($"'{sid}' is not a SID: expected '{prefix}' followed by 32 hex digits.", parameterName);
        }
    }

    public static void RequireWebhookUrl(Uri url, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(url))] string? parameterName = null)
    {
        if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"'{url}' must be an absolute http(s) URL.", parameterName);
        }
    }

    /// <summary>Where a call redirect goes: inline TwiML when the text starts with '&lt;', else an absolute http(s) URL fetched with POST.</summary>
    /// <exception cref="ArgumentException">Empty, TwiML over <paramref name="maxTwimlLength"/> characters, or neither TwiML nor an http(s) URL.</exception>
    public static (string? Twiml, Uri? Url) RedirectTarget(string twimlOrUrl, int maxTwimlLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(twimlOrUrl);
        var trimmed = twimlOrUrl.Trim();
        if (trimmed.StartsWith('<'))
        {
            if (trimmed.Length > maxTwimlLength)
            {
                throw new ArgumentException($"Inline TwiML is limited to {maxTwimlLength} characters; got {trimmed.Length}. Host it and pass its URL.", nameof(twimlOrUrl));
            }

            return (trimmed, null);
        }

        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
        {
            return (null, url);
        }

        throw new ArgumentException("Expected inline TwiML starting with '<' or an absolute http(s) URL.", nameof(twimlOrUrl));
    }
}
