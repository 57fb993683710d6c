using System.Net;

namespace Portal.Telephony;

/// <summary>What went wrong, independent of the provider, so callers can react (try another number, alert ops...).</summary>
public enum TelephonyErrorKind
{
    /// <summary>Anything not listed below.</summary>
    Unknown = 0,

    /// <summary>Credentials rejected (Twilio 20003, HTTP 401/403): fix configuration, do not retry.</summary>
    Authentication,

    /// <summary>The number, call or resource does not exist for this account (Twilio 20404).</summary>
    NotFound,

    /// <summary>The number cannot be bought: taken or reserved (Twilio 21422 "PhoneNumber is not available", https://www.twilio.com/docs/errors/21422; 21452 is mapped here too). Search again.</summary>
    NumberNotAvailable,

    /// <summary>The phone number is malformed or not a real number (Twilio 21421).</summary>
    InvalidNumber,

    /// <summary>The provider rejected a parameter (other 4xx, e.g. Twilio 21451 invalid area code).</summary>
    InvalidRequest,

    /// <summary>Too many requests (HTTP 429, Twilio 20429) and retries were used up.</summary>
    RateLimited,

    /// <summary>The provider answered 5xx.</summary>
    ServerError,

    /// <summary>No HTTP response: connection refused, DNS, TLS, reset.</summary>
    Transport,

    /// <summary>No response within the per-request timeout.</summary>
    Timeout,
}

/// <summary>
/// A telephony provider refused or failed a request. Thrown by every <see cref="ITelephonyProvider"/>;
/// Twilio failures arrive as the subclass <see cref="TwilioApiException"/> with the Twilio error code.
/// </summary>
public class TelephonyException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Provider-independent category.</param>
    /// <param name="message">A sentence an operator can act on.</param>
    /// <param name="outcomeUnknown">True when a non-idempotent request may have taken effect (see <see cref="OutcomeUnknown"/>).</param>
    /// <param name="innerException">The transport exception, if any.</param>
    public TelephonyException(TelephonyErrorKind kind, string message, bool outcomeUnknown = false, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        OutcomeUnknown = outcomeUnknown;
    }

    /// <summary>Provider-independent category.</summary>
    public TelephonyErrorKind Kind { get; }

    /// <summary>
    /// True when a non-idempotent request (purchase, call redirect) failed after it may have reached
    /// the provider (5xx, timeout, connection lost mid-request), so it may have succeeded. Check with
    /// <see cref="ITelephonyProvider.ListOwnedAsync"/> before trying again.
    /// </summary>
    public bool OutcomeUnknown { get; }
}

/// <summary>
/// Twilio answered with its error JSON (<c>{"code": 21422, "message": "...", "more_info": "...", "status": 400}</c>)
/// or could not be reached. See https://www.twilio.com/docs/api/errors .
/// </summary>
public sealed class TwilioApiException : TelephonyException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Category derived from <paramref name="errorCode"/> and <paramref name="statusCode"/>.</param>
    /// <param name="message">A sentence an operator can act on, including Twilio's own message.</param>
    /// <param name="errorCode">Twilio error code (e.g. 21422), null when Twilio sent no error JSON.</param>
    /// <param name="statusCode">HTTP status, null when there was no response.</param>
    /// <param name="moreInfo">Twilio's documentation link for the code.</param>
    /// <param name="outcomeUnknown">See <see cref="TelephonyException.OutcomeUnknown"/>.</param>
    /// <param name="innerException">The transport exception, if any.</param>
    public TwilioApiException(
        TelephonyErrorKind kind,
        string message,
        int? errorCode,
        HttpStatusCode? statusCode,
        Uri? moreInfo,
        bool outcomeUnknown = false,
        Exception? innerException = null)
        : base(kind, message, outcomeUnknown, innerException)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
        MoreInfo = moreInfo;
    }

    /// <summary>Twilio error code (e.g. 20003, 20404, 21421, 21422), null when none was sent.</summary>
    public int? ErrorCode { get; }

    /// <summary>HTTP status of the response, null when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Twilio's link for the code (<c>https://www.twilio.com/docs/errors/{code}</c>), when sent.</summary>
    public Uri? MoreInfo { get; }
}
