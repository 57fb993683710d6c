using System.Globalization;
using System.Net;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Page = Twilio.Base.Page<Twilio.Rest.Api.V2010.Account.IncomingPhoneNumberResource>;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Rest.Api.V2010.Account.AvailablePhoneNumberCountry;
using Twilio.Types;
using SdkDomain = Twilio.Rest.Domain;
using SdkHttpMethod = Twilio.Http.HttpMethod;

namespace Portal.Telephony;

/// <summary>
/// <see cref="ITelephonyProvider"/> over the Twilio REST API 2010-04-01 (https://www.twilio.com/docs/usage/api) through the
/// official Twilio SDK (https://github.com/twilio/twilio-csharp): a <see cref="TwilioRestClient"/> over a
/// <see cref="SystemNetHttpClient"/> wrapping the <see cref="System.Net.Http.HttpClient"/> from <c>IHttpClientFactory</c>,
/// whose <see cref="TwilioTransportHandler"/> points it at <see cref="TwilioOptions.BaseUrl"/> and adds per-attempt
/// timeouts and retries. SDK errors (<see cref="ApiException"/>, <see cref="ApiConnectionException"/>) are mapped to
/// <see cref="TwilioApiException"/> with a <see cref="TelephonyErrorKind"/> and advice.
/// </summary>
public sealed class TwilioTelephonyProvider : ITelephonyProvider
{
    private const int MaxPages = 1000;
    private const int MaxTwimlLength = 4000;
    private const string ApiRoot = "https://api.twilio.com";

    private readonly TwilioRestClient _client;
    private readonly TwilioOptions _options;
    private readonly ILogger<TwilioTelephonyProvider> _logger;
    private readonly string _accountPath;

    /// <summary>Creates the provider; registered as a typed client by <see cref="TelephonyServiceCollectionExtensions.AddTwilioTelephony"/>.</summary>
    /// <param name="http">
    /// Client from <c>IHttpClientFactory</c> whose pipeline holds a <see cref="TwilioTransportHandler"/> (without it the SDK
    /// talks to https://api.twilio.com with neither timeouts nor retries); its own <see cref="System.Net.Http.HttpClient.Timeout"/>
    /// should be infinite (the handler times each attempt).
    /// </param>
    /// <param name="options">Validated Twilio options.</param>
    /// <param name="logger">Logs releases of numbers that were already gone.</param>
    /// <exception cref="ArgumentException">AccountSid or AuthToken is empty.</exception>
    public TwilioTelephonyProvider(System.Net.Http.HttpClient http, IOptions<TwilioOptions> options, ILogger<TwilioTelephonyProvider> logger)
    {
        _options = options.Value;
        _logger = logger;
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.AccountSid, "Twilio:AccountSid");
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.AuthToken, "Twilio:AuthToken");
        _client = new TwilioRestClient(_options.AccountSid, _options.AuthToken, _options.AccountSid, httpClient: new SystemNetHttpClient(http));
        _accountPath = $"/2010-04-01/Accounts/{_options.AccountSid}/";
    }

    /// <inheritdoc />
    public string ProviderName => "twilio";

    /// <inheritdoc />
    public async Task<IReadOnlyList<AvailableNumber>> SearchAvailableAsync(AvailableNumberQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var options = new ReadLocalOptions(query.Country)
        {
            AreaCode = query.AreaCode,
            Contains = query.Contains,
            InLocality = query.Locality,
            InRegion = query.Region?.ToUpperInvariant(),
            VoiceEnabled = true,
            PageSize = query.Limit,
            Limit = query.Limit,
        };

        // One page of at most Limit numbers: the search is a sample, and Twilio pages it no further.
        var found = await CallAsync("search available numbers", idempotent: true, () => LocalResource.ReadAsync(options, _client), cancellationToken);
        return found
            .Where(n => !string.IsNullOrEmpty(n.PhoneNumber?.ToString()))
            .Take(query.Limit)
            .Select(n => new AvailableNumber(
                n.PhoneNumber.ToString(),
                n.FriendlyName?.ToString() ?? n.PhoneNumber.ToString(),
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
        var options = new CreateIncomingPhoneNumberOptions
        {
            PhoneNumber = new PhoneNumber(e164),
            VoiceUrl = voiceUrl,
            VoiceMethod = SdkHttpMethod.Post,
            StatusCallback = statusCallbackUrl,
            StatusCallbackMethod = SdkHttpMethod.Post,
        };

        // A purchase is not idempotent: Twilio may have bought the number (and started billing) even when it answers
        // 5xx or the connection drops mid-response, so it is retried only when Twilio surely did not act (429, or no
        // connection). Anything else throws with OutcomeUnknown = true; the number pool reconciles by listing owned
        // numbers before buying again.
        var dto = await CallAsync($"buy {e164}", idempotent: false, () => IncomingPhoneNumberResource.CreateAsync(options, _client), cancellationToken);
        return MapOwned(dto, $"buy {e164}");
    }

    /// <inheritdoc />
    public async Task<OwnedNumber> UpdateWebhooksAsync(string providerSid, Uri voiceUrl, Uri statusCallbackUrl, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireSid(providerSid, "PN", nameof(providerSid));
        TelephonyValidation.RequireWebhookUrl(voiceUrl);
        TelephonyValidation.RequireWebhookUrl(statusCallbackUrl);
        var options = new UpdateIncomingPhoneNumberOptions(providerSid)
        {
            VoiceUrl = voiceUrl,
            VoiceMethod = SdkHttpMethod.Post,
            StatusCallback = statusCallbackUrl,
            StatusCallbackMethod = SdkHttpMethod.Post,
        };

        // Setting absolute values is idempotent (like PUT): sending it twice leaves the same state.
        var operation = $"update webhooks of {providerSid}";
        var dto = await CallAsync(operation, idempotent: true, () => IncomingPhoneNumberResource.UpdateAsync(options, _client), cancellationToken);
        return MapOwned(dto, operation);
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string providerSid, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireSid(providerSid, "PN", nameof(providerSid));
        try
        {
            await CallAsync($"release {providerSid}", idempotent: true, () => IncomingPhoneNumberResource.DeleteAsync(providerSid, client: _client), cancellationToken);
        }
        catch (TwilioApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // No longer on the account: released earlier (perhaps by a retry whose 204 we never saw), which is the
            // state the caller asked for.
            _logger.LogInformation("Twilio number {ProviderSid} was already released", providerSid);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OwnedNumber>> ListOwnedAsync(CancellationToken cancellationToken)
    {
        var result = new List<OwnedNumber>();
        var url = $"{ApiRoot}{_accountPath}IncomingPhoneNumbers.json?PageSize={_options.ListPageSize.ToString(CultureInfo.InvariantCulture)}";
        for (var pageNumber = 1; ; pageNumber++)
        {
            var pageUrl = url;
            var page = await CallAsync("list owned numbers", idempotent: true, async () =>
            {
                var response = await _client.RequestAsync(new Request(SdkHttpMethod.Get, pageUrl));
                return Page.FromJson("incoming_phone_numbers", response.Content);
            }, cancellationToken);
            result.AddRange(page.Records.Select(dto => MapOwned(dto, "list owned numbers")));
            if (!page.HasNextPage())
            {
                return result;
            }

            // Follow next_page_uri only inside our own account (the transport refuses other hosts), and stop loops.
            url = page.GetNextPageUrl(SdkDomain.Api);
            if (!new Uri(url).AbsolutePath.StartsWith(_accountPath + "IncomingPhoneNumbers.json", StringComparison.Ordinal) || pageNumber >= MaxPages)
            {
                throw new TwilioApiException(
                    TelephonyErrorKind.Unknown,
                    $"Twilio could not list owned numbers: refusing to follow the next page '{url}' (page {pageNumber}; it must stay under {_accountPath} and at most {MaxPages} pages are read).",
                    null,
                    HttpStatusCode.OK,
                    null);
            }
        }
    }

    /// <inheritdoc />
    public async Task RedirectCallAsync(string callSid, string twimlOrUrl, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireSid(callSid, "CA", nameof(callSid));
        var target = TelephonyValidation.RedirectTarget(twimlOrUrl, MaxTwimlLength);
        var options = target.Twiml is { } twiml
            ? new UpdateCallOptions(callSid) { Twiml = new Twiml(twiml) }
            : new UpdateCallOptions(callSid) { Url = target.Url, Method = SdkHttpMethod.Post };

        // Not idempotent: a repeated redirect restarts the TwiML (a transfer would dial twice).
        await CallAsync($"redirect call {callSid}", idempotent: false, () => CallResource.UpdateAsync(options, _client), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Twilio sends <c>duration</c> as a decimal string (null while live) and <c>end_time</c> in RFC 2822 form.</remarks>
    public async Task<ProviderCall?> GetCallAsync(string callSid, CancellationToken cancellationToken)
    {
        TelephonyValidation.RequireSid(callSid, "CA", nameof(callSid));
        CallResource dto;
        try
        {
            dto = await CallAsync($"fetch call {callSid}", idempotent: true, () => CallResource.FetchAsync(callSid, client: _client), cancellationToken);
        }
        catch (TwilioApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (dto.Status is null || string.IsNullOrWhiteSpace(dto.Status.ToString()))
        {
            throw new TwilioApiException(TelephonyErrorKind.Unknown, $"Twilio returned call {callSid} without a status.", null, HttpStatusCode.OK, null);
        }

        int? duration = int.TryParse(dto.Duration, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
        DateTimeOffset? ended = dto.EndTime is { } end
            ? new DateTimeOffset(end.Kind == DateTimeKind.Local ? end.ToUniversalTime() : DateTime.SpecifyKind(end, DateTimeKind.Utc))
            : null;
        return new ProviderCall(dto.Sid ?? callSid, dto.Status.ToString()!.ToLowerInvariant(), duration, ended);
    }

    /// <summary>
    /// Runs one SDK call inside a <see cref="TwilioRequestScope"/> (operation name, retry rule, cancellation for the
    /// transport) and maps SDK exceptions to <see cref="TwilioApiException"/>.
    /// </summary>
    private static async Task<T> CallAsync<T>(string operation, bool idempotent, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TwilioRequestScope.Current = new TwilioRequestScope(operation, idempotent, cancellationToken);
        try
        {
            return await call();
        }
        catch (ApiConnectionException ex)
        {
            for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            {
                if (inner is TwilioApiException mapped)
                {
                    ExceptionDispatchInfo.Throw(mapped);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new TwilioApiException(TelephonyErrorKind.Transport, $"Twilio could not {operation}: {ex.InnerException?.Message ?? ex.Message}", null, null, null, !idempotent, ex);
        }
        catch (ApiException ex)
        {
            throw TwilioErrors.FromApiException(ex, operation, outcomeUnknown: !idempotent && ex.Status >= 500);
        }
        catch (Exception ex) when (ex is TwilioException or Newtonsoft.Json.JsonException)
        {
            throw new TwilioApiException(TelephonyErrorKind.Unknown, $"Twilio could not {operation}: the answer was not the expected JSON ({ex.Message}).", null, null, null, innerException: ex);
        }
    }

    private static OwnedNumber MapOwned(IncomingPhoneNumberResource dto, string operation)
    {
        var phoneNumber = dto.PhoneNumber?.ToString();
        if (string.IsNullOrEmpty(dto.Sid) || string.IsNullOrEmpty(phoneNumber))
        {
            throw new TwilioApiException(TelephonyErrorKind.Unknown, $"Twilio could not {operation}: the IncomingPhoneNumber JSON lacks sid or phone_number.", null, null, null);
        }

        return new OwnedNumber(
            dto.Sid,
            phoneNumber,
            dto.FriendlyName ?? phoneNumber,
            MapCapabilities(dto.Capabilities),
            AbsoluteOrNull(dto.VoiceUrl),
            AbsoluteOrNull(dto.StatusCallback));
    }

    private static NumberCapabilities MapCapabilities(PhoneNumberCapabilities? c) =>
        new(c?.Voice ?? false, c?.Sms ?? false, c?.Mms ?? false, c?.Fax ?? false);

    private static Uri? AbsoluteOrNull(Uri? value) => value is { IsAbsoluteUri: true } ? value : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
