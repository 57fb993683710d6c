using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Telephony;

/// <summary>
/// Settings of the Twilio webhook edge, bound from the <c>Telephony</c> section. Optional as a whole:
/// without <see cref="PublicBaseUrl"/> the request's own scheme and host are used; without
/// <see cref="AuthToken"/> the <c>Twilio:AuthToken</c> is used, and in keyless mode a generated sandbox
/// token (<see cref="ISandboxCredentials"/>).
/// </summary>
public sealed class TelephonyWebhookOptions : IValidatableObject
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Telephony";

    /// <summary>
    /// The public origin Twilio calls, e.g. <c>https://portal.example.com</c> (no trailing path needed),
    /// exactly as configured in Twilio: the signature covers it letter for letter. Set it behind a proxy
    /// or tunnel, where the app does not see the public scheme/host. Also the host of the Media Streams
    /// <c>wss://</c> URL. Null: the request's scheme and host.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Twilio auth token used to check <c>X-Twilio-Signature</c>. Secret. Null: <c>Twilio:AuthToken</c>, else the sandbox token.</summary>
    [MinLength(16)]
    public string? AuthToken { get; set; }

    /// <summary>
    /// Folder where voice messages recorded on calls are written as WAV files (one per recording, named by its id).
    /// Null: the audio is stored in the database (<c>call_recordings.data</c>).
    /// </summary>
    public string? RecordingsFolder { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || !string.IsNullOrEmpty(uri.Query)))
        {
            yield return new ValidationResult("Telephony:PublicBaseUrl must be an absolute http(s) URL without a query string.", [nameof(PublicBaseUrl)]);
        }
    }
}
