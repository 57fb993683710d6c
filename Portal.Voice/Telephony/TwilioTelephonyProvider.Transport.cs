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

/// <summary>HTTP transport of <see cref="TwilioTelephonyProvider"/>: requests, retries with backoff, error mapping, JSON reading.</summary>
public sealed partial class TwilioTelephonyProvider
{
    private Uri AccountUri(string relative, IEnumerable<KeyValuePair<string, string>>? query = null)
    {
        var builder = new StringBuilder(_accountPath).Append(relative);
        var separator = '?';
        foreach (var (key, value) in query ?? [])
        {
            builder.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return new Uri(_baseUrl, builder.ToString());
    }

    /// <summary>
    /// Sends with per-attempt timeout and the retry rules of <paramref name="mode"/>; returns a
    /// success response (or one with status <paramref name="alsoAccept"/>) whose body is buffered.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest,
        RetryMode mode,
        string operation,
        HttpStatusCode? alsoAccept,
        CancellationToken cancellationToken)
    {
        var maxAttempts = _options.MaxRetries + 1;
        for (var attempt = 1; ; attempt++)
        {
            var canRetry = attempt < maxAttempts;
            using var request = createRequest();
            request.Headers.Authorization = _authorization;
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

            HttpResponseMessage response;
            try
            {
                // ResponseContentRead: the body is buffered inside this attempt's timeout.
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
            {
                if (mode == RetryMode.Idempotent && canRetry)
                {
                    await WaitBeforeRetryAsync(operation, attempt, "timeout", Backoff(attempt), cancellationToken);
                    continue;
                }

                var unknown = mode == RetryMode.NotIdempotent;
                throw new TwilioApiException(
                    TelephonyErrorKind.Timeout,
                    $"Twilio could not {operation}: no response within {_options.RequestTimeout.TotalMilliseconds:0} ms (attempt {attempt} of {maxAttempts}).{(unknown ? OutcomeUnknownAdvice : "")}",
                    null,
                    null,
                    null,
                    unknown,
                    ex);
            }
            catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
            {
                var notSent = FailedBeforeSending(ex);
                if (canRetry && (mode == RetryMode.Idempotent || notSent))
                {
                    await WaitBeforeRetryAsync(operation, attempt, ex.HttpRequestError.ToString(), Backoff(attempt), cancellationToken);
                    continue;
                }

                var unknown = mode == RetryMode.NotIdempotent && !notSent;
                throw new TwilioApiException(
                    TelephonyErrorKind.Transport,
                    $"Twilio could not {operation}: {ex.HttpRequestError} talking to {_baseUrl.Host} after {attempt} attempt(s): {ex.Message}{(unknown ? OutcomeUnknownAdvice : "")}",
                    null,
                    null,
                    null,
                    unknown,
                    ex);
            }

            if (response.IsSuccessStatusCode || response.StatusCode == alsoAccept)
            {
                return response;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                TimeSpan? delay = null;
                if (response.StatusCode == HttpStatusCode.TooManyRequests && canRetry)
                {
                    // A 429 is refused before processing, so even a purchase may be repeated.
                    var retryAfter = RetryAfter(response);
                    if (retryAfter is null)
                    {
                        delay = Backoff(attempt);
                    }
                    else if (retryAfter <= _options.MaxRetryDelay)
                    {
                        // Never earlier than asked; up to 10% later so parallel callers spread out.
                        delay = retryAfter.Value + (retryAfter.Value * (Random.Shared.NextDouble() * 0.1));
                    }
                }
                else if (status >= 500 && mode == RetryMode.Idempotent && canRetry)
                {
                    delay = Backoff(attempt);
                }

                if (delay is { } wait)
                {
                    await WaitBeforeRetryAsync(operation, attempt, status.ToString(CultureInfo.InvariantCulture), wait, cancellationToken);
                    continue;
                }

                throw await CreateErrorAsync(response, operation, attempt, mode == RetryMode.NotIdempotent && status >= 500, cancellationToken);
            }
        }
    }

    private const string OutcomeUnknownAdvice = " The request may have been carried out; check the account (ListOwnedAsync) before repeating it.";

    /// <summary>
    /// True when the request certainly never reached Twilio: the connection (TCP, DNS, TLS, proxy
    /// tunnel) could not be established. SocketsHttpHandler reports failures on an already open
    /// connection as ResponseEnded/Unknown/etc., which we treat as "maybe sent".
    /// </summary>
    private static bool FailedBeforeSending(HttpRequestException ex) => ex.HttpRequestError is
        HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or
        HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    /// <summary>Exponential backoff with "equal jitter": half the capped exponential delay plus a random share of the other half.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.RetryBaseDelay * Math.Pow(2, attempt - 1);
        var capped = exponential < _options.MaxRetryDelay ? exponential : _options.MaxRetryDelay;
        return (capped / 2) + (capped / 2 * Random.Shared.NextDouble());
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private async Task WaitBeforeRetryAsync(string operation, int attempt, string reason, TimeSpan delay, CancellationToken cancellationToken)
    {
        _logger.LogWarning(
            "Twilio {Operation} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms",
            operation,
            attempt,
            reason,
            (long)delay.TotalMilliseconds);
        await Task.Delay(delay, _time, cancellationToken);
    }

    private static async Task<TwilioApiException> CreateErrorAsync(HttpResponseMessage response, string operation, int attempts, bool outcomeUnknown, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        TwilioErrorDto? error = null;
        try
        {
            error = body.Length > 0 ? JsonSerializer.Deserialize(body, TwilioJsonContext.Default.TwilioErrorDto) : null;
        }
        catch (JsonException)
        {
            // Not Twilio's error JSON (e.g. an HTML page from a proxy); described from the status below.
        }

        var status = response.StatusCode;
        var code = error?.Code;
        var kind = Classify(code, status);
        var twilioMessage = error?.Message ?? (body.Length > 0 ? Truncate(body, 200) : response.ReasonPhrase ?? "");
        Uri.TryCreate(error?.MoreInfo, UriKind.Absolute, out var moreInfo);
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Twilio could not {operation}: {Explain(kind, code)} ")
            .Append(CultureInfo.InvariantCulture, $"(Twilio error {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}, HTTP {(int)status}, attempt {attempts}: \"{twilioMessage}\"")
            .Append(moreInfo is null ? ")" : $"; {moreInfo})")
            .Append(outcomeUnknown ? OutcomeUnknownAdvice : "")
            .ToString();
        return new TwilioApiException(kind, message, code, status, moreInfo, outcomeUnknown);
    }

    /// <summary>Twilio error codes: https://www.twilio.com/docs/api/errors (20003, 20404, 20429, 21421, 21422, 21452).</summary>
    private static TelephonyErrorKind Classify(int? code, HttpStatusCode status) => code switch
    {
        20003 => TelephonyErrorKind.Authentication,
        20404 => TelephonyErrorKind.NotFound,
        20429 => TelephonyErrorKind.RateLimited,
        21421 => TelephonyErrorKind.InvalidNumber,
        21422 or 21452 => TelephonyErrorKind.NumberNotAvailable,
        _ => (int)status switch
        {
            401 or 403 => TelephonyErrorKind.Authentication,
            404 => TelephonyErrorKind.NotFound,
            429 => TelephonyErrorKind.RateLimited,
            >= 500 => TelephonyErrorKind.ServerError,
            >= 400 => TelephonyErrorKind.InvalidRequest,
            _ => TelephonyErrorKind.Unknown,
        },
    };

    private static string Explain(TelephonyErrorKind kind, int? code) => kind switch
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

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, string operation, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken)
                ?? throw new JsonException("The body was the JSON literal null.");
        }
        catch (JsonException ex)
        {
            throw new TwilioApiException(
                TelephonyErrorKind.Unknown,
                $"Twilio could not {operation}: HTTP {(int)response.StatusCode} came with a body that is not the expected JSON ({ex.Message}).",
                null,
                response.StatusCode,
                null,
                innerException: ex);
        }
    }

    private static OwnedNumber MapOwned(TwilioIncomingNumberDto dto, string operation)
    {
        if (string.IsNullOrEmpty(dto.Sid) || string.IsNullOrEmpty(dto.PhoneNumber))
        {
            throw new TwilioApiException(TelephonyErrorKind.Unknown, $"Twilio could not {operation}: the IncomingPhoneNumber JSON lacks sid or phone_number.", null, null, null);
        }

        return new OwnedNumber(
            dto.Sid,
            dto.PhoneNumber,
            dto.FriendlyName ?? dto.PhoneNumber,
            MapCapabilities(dto.Capabilities),
            AbsoluteOrNull(dto.VoiceUrl),
            AbsoluteOrNull(dto.StatusCallback));
    }

    private static NumberCapabilities MapCapabilities(TwilioCapabilitiesDto? c) =>
        new(c?.Voice ?? false, c?.Sms ?? false, c?.Mms ?? false, c?.Fax ?? false);

    private static Uri? AbsoluteOrNull(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max] + "…";
}
