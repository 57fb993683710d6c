using System.Globalization;
using System.Net;
using System.Text;
using Twilio.Exceptions;

namespace Portal.Telephony;

/// <summary>
/// Turns the Twilio SDK's <see cref="ApiException"/> (Twilio's error JSON: <c>code</c>, <c>message</c>, <c>more_info</c>,
/// <c>status</c>) into a <see cref="TwilioApiException"/> with a <see cref="TelephonyErrorKind"/> and advice the owner
/// or operator can act on. Error codes: https://www.twilio.com/docs/api/errors.
/// </summary>
internal static class TwilioErrors
{
    /// <summary>Maps <paramref name="ex"/>; <paramref name="operation"/> is in words ("buy +14155550123").</summary>
    /// <param name="ex">The SDK's exception; <see cref="ApiException.Status"/> is 0 when the body was not Twilio's error JSON.</param>
    /// <param name="operation">What was attempted, for the message.</param>
    /// <param name="outcomeUnknown">True when Twilio may have carried the request out (a non-idempotent request answered 5xx).</param>
    /// <returns>The exception to throw.</returns>
    public static TwilioApiException FromApiException(ApiException ex, string operation, bool outcomeUnknown)
    {
        int? code = ex.Code == 0 ? null : ex.Code;
        HttpStatusCode? status = ex.Status == 0 ? null : (HttpStatusCode)ex.Status;
        var kind = Classify(code, ex.Status);
        Uri.TryCreate(ex.MoreInfo, UriKind.Absolute, out var moreInfo);
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Twilio could not {operation}: {Explain(kind)} ")
            .Append(CultureInfo.InvariantCulture, $"(Twilio error {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}, HTTP {ex.Status}: \"{Truncate(ex.Message, 200)}\"")
            .Append(moreInfo is null ? ")" : $"; {moreInfo})")
            .Append(outcomeUnknown ? TwilioTransportHandler.OutcomeUnknownAdvice : "")
            .ToString();
        return new TwilioApiException(kind, message, code, status, moreInfo, outcomeUnknown, ex);
    }

    /// <summary>Twilio error codes 20003, 20404, 20429, 21421, 21422, 21452 first, else the HTTP status.</summary>
    private static TelephonyErrorKind Classify(int? code, int status) => code switch
    {
        20003 => TelephonyErrorKind.Authentication,
        20404 => TelephonyErrorKind.NotFound,
        20429 => TelephonyErrorKind.RateLimited,
        21421 => TelephonyErrorKind.InvalidNumber,
        21422 or 21452 => TelephonyErrorKind.NumberNotAvailable,
        _ => status switch
        {
            401 or 403 => TelephonyErrorKind.Authentication,
            404 => TelephonyErrorKind.NotFound,
            429 => TelephonyErrorKind.RateLimited,
            >= 500 => TelephonyErrorKind.ServerError,
            >= 400 => TelephonyErrorKind.InvalidRequest,
            _ => TelephonyErrorKind.Unknown,
        },
    };

    private static string Explain(TelephonyErrorKind kind) => kind switch
    {
        TelephonyErrorKind.Authentication => "authentication failed; check Twilio:AccountSid and Twilio:AuthToken.",
        TelephonyErrorKind.NotFound => "the resource does not exist on this Twilio account.",
        TelephonyErrorKind.NumberNotAvailable => "the phone number is not available to buy (taken or reserved); search again and pick another.",
        TelephonyErrorKind.InvalidNumber => "the phone number is invalid; send a real number in E.164 form (+14155550123).",
        TelephonyErrorKind.RateLimited => "Twilio is rate limiting this account; retries were used up or Retry-After exceeded Twilio:MaxRetryDelay.",
        TelephonyErrorKind.ServerError => "Twilio had a server error.",
        TelephonyErrorKind.InvalidRequest => "Twilio rejected the request parameters.",
        _ => "Twilio answered with an unexpected status.",
    };

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max] + "…";
}
