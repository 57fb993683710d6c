using System.ComponentModel.DataAnnotations;

namespace Portal.Telephony;

/// <summary>
/// Twilio REST credentials and transport limits, bound from the <c>Twilio</c> configuration section.
/// Optional as a whole: with no <c>AccountSid</c> and no <c>AuthToken</c>,
/// <see cref="TelephonyServiceCollectionExtensions.AddTwilioTelephony"/> registers the keyless
/// <see cref="SandboxTelephonyProvider"/>. Auth is HTTP Basic <c>AccountSid:AuthToken</c>
/// (https://www.twilio.com/docs/usage/requests-to-twilio).
/// </summary>
public sealed class TwilioOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Twilio";

    /// <summary>Account SID: <c>AC</c> followed by 32 hex digits.</summary>
    [Required]
    [RegularExpression("^AC[0-9a-fA-F]{32}$", ErrorMessage = "Twilio:AccountSid must be 'AC' followed by 32 hex digits.")]
    public string AccountSid { get; set; } = "";

    /// <summary>Auth token (32 characters from the Twilio console). Secret: keep it in user secrets or the environment.</summary>
    [Required]
    [MinLength(16)]
    public string AuthToken { get; set; } = "";

    /// <summary>API root, default <c>https://api.twilio.com</c>; tests point it at a local fake. Paths below it start with <c>/2010-04-01/</c>.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.twilio.com");

    /// <summary>Time allowed for one HTTP attempt, response body included. Default 15 s; 50 ms–2 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:02:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries after the first attempt for retryable failures. Default 3; 0–6.</summary>
    [Range(0, 6)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff delay; doubles each retry, with jitter. Default 500 ms; 1 ms–10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest single wait. Backoff is capped at this; a <c>Retry-After</c> longer than this is not
    /// waited out (the 429 is thrown instead) so a request thread never sleeps for minutes. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Page size used when listing owned numbers (Twilio <c>PageSize</c>, max 1000). Default 100.</summary>
    [Range(1, 1000)]
    public int ListPageSize { get; set; } = 100;
}
