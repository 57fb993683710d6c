using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Voice.Telephony;

/// <summary>
/// <see cref="ITelephonyProvider"/> over the Twilio REST API 2010-04-01
/// (https://www.twilio.com/docs/usage/api), as a typed <see cref="HttpClient"/> without the Twilio SDK:
/// HTTP Basic <c>AccountSid:AuthToken</c>, form-encoded bodies, snake_case JSON responses, Twilio error
/// JSON mapped to <see cref="TwilioApiException"/>. Retries: 429 (honouring <c>Retry-After</c>) and
/// connection failures for every request; 5xx and timeouts only for idempotent requests (GET, DELETE,
/// webhook update). Each attempt has its own <see cref="TwilioOptions.RequestTimeout"/>.
/// </summary>
public sealed partial class TwilioTelephonyProvider : ITelephonyProvider
{
    private const int MaxPages = 1000;
    private const int MaxTwimlLength = 4000;

    private readonly HttpClient _http;
    private readonly TwilioOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TwilioTelephonyProvider> _logger;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly Uri _baseUrl;
    private readonly string _accountPath;

    /// <summary>Creates the provider; registered as a typed client by <see cref="TelephonyServiceCollectionExtensions.AddTwilioTelephony"/>.</summary>
    /// <param name="http">Client from <c>IHttpClientFactory</c>; its own <see cref="HttpClient.Timeout"/> should be infinite (per-attempt timeouts are applied here).</param>
    /// <param name="options">Validated Twilio options.</param>
    /// <param name="timeProvider">Clock for timeouts and retry waits.</param>
    /// <param name="logger">Logs retries.</param>
    /// <exception cref="ArgumentException">AccountSid or AuthToken is empty.</exception>
    public TwilioTelephonyProvider(HttpClient http, IOptions<TwilioOptions> options, TimeProvider timeProvider, ILogger<TwilioTelephonyProvider> logger)
    {
        _http = http;
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.AccountSid, "Twilio:AccountSid");
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.AuthToken, "Twilio:AuthToken");
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.AccountSid}:{_options.AuthToken}"));
        _authorization = new AuthenticationHeaderValue("Basic", credentials);
        _baseUrl = _options.BaseUrl;
        _accountPath = $"/2010-04-01/Accounts/{_options.AccountSid}/";
    }

    private enum RetryMode
    {
        /// <summary>Repeating the request cannot do harm: retry 429, 5xx, timeouts and transport failures.</summary>
        Idempotent,

        /// <summary>Repeating could act twice: retry only when the request surely was not processed.</summary>
        NotIdempotent,
    }

    /// <inheritdoc />
    public string ProviderName => "twilio";

    /// <inheritdoc />
    public async Task<IReadOnlyList<AvailableNumber>> SearchAvailableAsync(AvailableNumberQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var parameters = new List<KeyValuePair<string, string>>();
        if (query.AreaCode is { } areaCode)
        {
            parameters.Add(new("AreaCode", areaCode.ToString(CultureInfo.InvariantCulture)));
        }

        if (query.Contains is not null)
        {
            parameters.Add(new("Contains", query.Contains));
        }

        if (query.Locality is not null)
        {
            parameters.Add(new("InLocality", query.Locality));
        }

        if (query.Region is not null)
        {
            parameters.Add(new("InRegion", query.Region.ToUpperInvariant()));
        }

        parameters.Add(new("VoiceEnabled", "true"));
        parameters.Add(new("PageSize", query.Limit.ToString(CultureInfo.InvariantCulture)));
        var uri = AccountUri($"AvailablePhoneNumbers/{query.Country}/Local.json", parameters);

        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), RetryMode.Idempotent, "search available numbers", null, cancellationToken);
        var page = await ReadJsonAsync(response, TwilioJsonContext.Default.TwilioAvailableNumbersPageDto, "search available numbers", cancellationToken);
        return (page.AvailablePhoneNumbers ?? [])
            .Where(n => !string.IsNullOrEmpty(n.PhoneNumber))
            .Take(query.Limit)
            .Select(n => new AvailableNumber(
                n.PhoneNumber!,
                n.FriendlyName ?? n.PhoneNumber!,
                NullIfEmpty(n.Locality),
                NullIfEmpty(n.Region),
                NullIfEmpty(n.PostalCode),
                n.IsoCountry ?? query.Country,
                MapCapabilities(n.Capabilities)))
            .ToList();
    }

    /// <inheritdoc />
    public async Task<OwnedNumber> PurchaseAsync(string e164, Uri voiceUrl, Uri statusCallbackUrl, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireE164(e164);
        TelephonyValidation.RequireWebhookUrl(voiceUrl);
        TelephonyValidation.RequireWebhookUrl(statusCallbackUrl);
        var uri = AccountUri("IncomingPhoneNumbers.json");
        KeyValuePair<string, string>[] form =
        [
            new("PhoneNumber", e164),
            new("VoiceUrl", voiceUrl.AbsoluteUri),
            new("VoiceMethod", "POST"),
            new("StatusCallback", statusCallbackUrl.AbsoluteUri),
            new("StatusCallbackMethod", "POST"),
        ];

        // A purchase is a non-idempotent POST: Twilio may have bought the number (and started billing)
        // even when it answers 5xx or the connection drops mid-response, and a blind second POST would
        // either buy twice (AreaCode purchases) or fail with 21422 against our own number. So it is
        // retried only when Twilio surely did not act: a 429 (rejected before processing) or a failure
        // to connect before any byte was sent. Anything else throws with OutcomeUnknown = true.
        // REVIEW: the caller (number pool) must reconcile an OutcomeUnknown failure by listing owned
        // numbers before buying again; an automatic lookup here would hide the ambiguity from it.
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) },
            RetryMode.NotIdempotent,
            $"buy {e164}",
            null,
            cancellationToken);
        var dto = await ReadJsonAsync(response, TwilioJsonContext.Default.TwilioIncomingNumberDto, $"buy {e164}", cancellationToken);
        return MapOwned(dto, $"buy {e164}");
    }

    /// <inheritdoc />
    public async Task<OwnedNumber> UpdateWebhooksAsync(string providerSid, Uri voiceUrl, Uri statusCallbackUrl, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireSid(providerSid, "PN", nameof(providerSid));
        TelephonyValidation.RequireWebhookUrl(voiceUrl);
        TelephonyValidation.RequireWebhookUrl(statusCallbackUrl);
        var uri = AccountUri($"IncomingPhoneNumbers/{providerSid}.json");
        KeyValuePair<string, string>[] form =
        [
            new("VoiceUrl", voiceUrl.AbsoluteUri),
            new("VoiceMethod", "POST"),
            new("StatusCallback", statusCallbackUrl.AbsoluteUri),
            new("StatusCallbackMethod", "POST"),
        ];

        // Setting absolute values is idempotent (like PUT): sending it twice leaves the same state.
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) },
            RetryMode.Idempotent,
            $"update webhooks of {providerSid}",
            null,
            cancellationToken);
        var dto = await ReadJsonAsync(response, TwilioJsonContext.Default.TwilioIncomingNumberDto, $"update webhooks of {providerSid}", cancellationToken);
        return MapOwned(dto, $"update webhooks of {providerSid}");
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string providerSid, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireSid(providerSid, "PN", nameof(providerSid));
        var uri = AccountUri($"IncomingPhoneNumbers/{providerSid}.json");

        // 404 means the number is no longer on the account: released earlier (perhaps by a retry
        // whose 204 we never saw), which is the state the caller asked for.
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Delete, uri),
            RetryMode.Idempotent,
            $"release {providerSid}",
            HttpStatusCode.NotFound,
            cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            _logger.LogInformation("Twilio number {ProviderSid} was already released", providerSid);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OwnedNumber>> ListOwnedAsync(CancellationToken cancellationToken)
    {
        var result = new List<OwnedNumber>();
        var uri = AccountUri("IncomingPhoneNumbers.json", [new("PageSize", _options.ListPageSize.ToString(CultureInfo.InvariantCulture))]);
        for (var pageNumber = 1; ; pageNumber++)
        {
            var pageUri = uri;
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, pageUri), RetryMode.Idempotent, "list owned numbers", null, cancellationToken);
            var page = await ReadJsonAsync(response, TwilioJsonContext.Default.TwilioIncomingNumbersPageDto, "list owned numbers", cancellationToken);
            foreach (var dto in page.IncomingPhoneNumbers ?? [])
            {
                result.Add(MapOwned(dto, "list owned numbers"));
            }

            if (string.IsNullOrEmpty(page.NextPageUri))
            {
                return result;
            }

            // next_page_uri is relative to the API root. Follow it only inside our own account so a
            // malformed or hostile response cannot send our credentials elsewhere, and stop loops.
            if (!page.NextPageUri.StartsWith(_accountPath + "IncomingPhoneNumbers.json", StringComparison.Ordinal) || pageNumber >= MaxPages)
            {
                throw new TwilioApiException(
                    TelephonyErrorKind.Unknown,
                    $"Twilio could not list owned numbers: refusing to follow next_page_uri '{page.NextPageUri}' (page {pageNumber}; it must stay under {_accountPath} and at most {MaxPages} pages are read).",
                    null,
                    response.StatusCode,
                    null);
            }

            uri = new Uri(_baseUrl, page.NextPageUri);
        }
    }

    /// <inheritdoc />
    public async Task RedirectCallAsync(string callSid, string twimlOrUrl, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireSid(callSid, "CA", nameof(callSid));
        var form = TelephonyValidation.RedirectForm(twimlOrUrl, MaxTwimlLength);
        var uri = AccountUri($"Calls/{callSid}.json");

        // Not idempotent: a repeated redirect restarts the TwiML (a transfer would dial twice).
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) },
            RetryMode.NotIdempotent,
            $"redirect call {callSid}",
            null,
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Twilio sends <c>duration</c> as a decimal string (null while live) and <c>end_time</c> in RFC 2822 form.</remarks>
    public async Task<ProviderCall?> GetCallAsync(string callSid, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireSid(callSid, "CA", nameof(callSid));
        var uri = AccountUri($"Calls/{callSid}.json");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), RetryMode.Idempotent, $"fetch call {callSid}", HttpStatusCode.NotFound, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var dto = await ReadJsonAsync(response, TwilioJsonContext.Default.TwilioCallDto, $"fetch call {callSid}", cancellationToken);
        if (string.IsNullOrWhiteSpace(dto.Status))
        {
            throw new TwilioApiException(TelephonyErrorKind.Unknown, $"Twilio returned call {callSid} without a status.", null, response.StatusCode, null);
        }

        int? duration = int.TryParse(dto.Duration, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
        DateTimeOffset? ended = DateTimeOffset.TryParse(dto.EndTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null;
        return new ProviderCall(dto.Sid ?? callSid, dto.Status.ToLowerInvariant(), duration, ended);
    }
}
