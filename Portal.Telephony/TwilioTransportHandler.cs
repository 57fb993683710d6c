using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Telephony;

/// <summary>
/// The HTTP pipeline under the Twilio SDK's <c>SystemNetHttpClient</c>. The SDK builds every URL on
/// <c>https://api.twilio.com</c> (regions and edges as <c>api.{edge}.{region}.twilio.com</c>) and has neither timeouts nor
/// retries, so this handler:
/// <list type="bullet">
/// <item>sends each request to <see cref="TwilioOptions.BaseUrl"/> instead (the real API by default, a local fake in tests),
/// and refuses any URL that is not a Twilio API host or leaves <c>/2010-04-01/Accounts/{AccountSid}/</c> (a hostile
/// <c>next_page_uri</c> cannot send the credentials elsewhere);</item>
/// <item>gives each attempt its own <see cref="TwilioOptions.RequestTimeout"/>, body included;</item>
/// <item>retries 429 (honouring <c>Retry-After</c> up to <see cref="TwilioOptions.MaxRetryDelay"/>) and connection failures
/// for every request, and 5xx and timeouts only for requests the <see cref="TwilioRequestScope"/> calls idempotent
/// (without a scope: GET and DELETE), with capped exponential backoff.</item>
/// </list>
/// A final timeout or transport failure is thrown as <see cref="TwilioApiException"/> (the SDK wraps it in its
/// <c>ApiConnectionException</c>); a final error response is returned for the SDK to turn into its <c>ApiException</c>.
/// Rate limits and retries: https://www.twilio.com/docs/usage/rest-api-best-practices#retry-logic.
/// </summary>
public sealed class TwilioTransportHandler : DelegatingHandler
{
    /// <summary>Appended to errors of requests that may have been carried out although no answer arrived.</summary>
    public const string OutcomeUnknownAdvice = " The request may have been carried out; check the account (ListOwnedAsync) before repeating it.";

    private readonly TwilioOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TwilioTransportHandler> _logger;
    private readonly string _accountPath;

    /// <summary>Creates the handler; registered by <see cref="TelephonyServiceCollectionExtensions.AddTwilioTelephony"/>.</summary>
    /// <param name="options">Validated Twilio options (base URL, timeouts, retry limits).</param>
    /// <param name="timeProvider">Clock for timeouts and retry waits.</param>
    /// <param name="logger">Logs retries.</param>
    public TwilioTransportHandler(IOptions<TwilioOptions> options, TimeProvider timeProvider, ILogger<TwilioTransportHandler> logger)
    {
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        _accountPath = $"/2010-04-01/Accounts/{_options.AccountSid}/";
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scope = TwilioRequestScope.Current;
        var operation = scope?.Operation ?? $"{request.Method} {request.RequestUri?.AbsolutePath}";
        var idempotent = scope?.Idempotent ?? (request.Method == HttpMethod.Get || request.Method == HttpMethod.Delete);
        request.RequestUri = Redirect(request.RequestUri, operation);
        using var callerCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, scope?.CancellationToken ?? CancellationToken.None);
        var ct = callerCancellation.Token;
        var maxAttempts = _options.MaxRetries + 1;
        for (var attempt = 1; ; attempt++)
        {
            var canRetry = attempt < maxAttempts;
            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, linked.Token);
                // The body is read inside this attempt's timeout: a server that stalls mid-body is a timeout too.
                await response.Content.LoadIntoBufferAsync(linked.Token);
            }
            catch (OperationCanceledException ex) when (!ct.IsCancellationRequested && timeout.IsCancellationRequested)
            {
                if (idempotent && canRetry)
                {
                    await WaitBeforeRetryAsync(operation, attempt, "timeout", Backoff(attempt), ct);
                    continue;
                }

                throw new TwilioApiException(
                    TelephonyErrorKind.Timeout,
                    $"Twilio could not {operation}: no response within {_options.RequestTimeout.TotalMilliseconds:0} ms (attempt {attempt} of {maxAttempts}).{(idempotent ? "" : OutcomeUnknownAdvice)}",
                    null,
                    null,
                    null,
                    !idempotent,
                    ex);
            }
            catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
            {
                var notSent = FailedBeforeSending(ex);
                if (canRetry && (idempotent || notSent))
                {
                    await WaitBeforeRetryAsync(operation, attempt, ex.HttpRequestError.ToString(), Backoff(attempt), ct);
                    continue;
                }

                var unknown = !idempotent && !notSent;
                throw new TwilioApiException(
                    TelephonyErrorKind.Transport,
                    $"Twilio could not {operation}: {ex.HttpRequestError} talking to {_options.BaseUrl.Host} after {attempt} attempt(s): {ex.Message}{(unknown ? OutcomeUnknownAdvice : "")}",
                    null,
                    null,
                    null,
                    unknown,
                    ex);
            }

            var delay = canRetry ? RetryDelay(response, idempotent, attempt) : null;
            if (delay is not { } wait)
            {
                return response;
            }

            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            response.Dispose();
            await WaitBeforeRetryAsync(operation, attempt, status, wait, ct);
        }
    }

    /// <summary>Maps an SDK URL on a Twilio API host to the same path and query under <see cref="TwilioOptions.BaseUrl"/>.</summary>
    private Uri Redirect(Uri? sdkUrl, string operation)
    {
        if (sdkUrl is null || !sdkUrl.IsAbsoluteUri || sdkUrl.Scheme != Uri.UriSchemeHttps
            || !(sdkUrl.Host.Equals("api.twilio.com", StringComparison.OrdinalIgnoreCase)
                 || (sdkUrl.Host.StartsWith("api.", StringComparison.OrdinalIgnoreCase) && sdkUrl.Host.EndsWith(".twilio.com", StringComparison.OrdinalIgnoreCase)))
            || !sdkUrl.AbsolutePath.StartsWith(_accountPath, StringComparison.Ordinal))
        {
            throw new TwilioApiException(
                TelephonyErrorKind.Unknown,
                $"Twilio could not {operation}: refusing to send to '{sdkUrl}' (only https://api.twilio.com{_accountPath}… is used).",
                null,
                null,
                null);
        }

        return new Uri(_options.BaseUrl, sdkUrl.PathAndQuery);
    }

    /// <summary>How long to wait before repeating this response's request, or null to hand the response back.</summary>
    private TimeSpan? RetryDelay(HttpResponseMessage response, bool idempotent, int attempt)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // A 429 is refused before processing, so even a purchase may be repeated.
            var retryAfter = RetryAfter(response);
            if (retryAfter is null)
            {
                return Backoff(attempt);
            }

            // Never earlier than asked; up to 10% later so parallel callers spread out. Longer than the cap: give up.
            return retryAfter <= _options.MaxRetryDelay ? retryAfter.Value + (retryAfter.Value * (Random.Shared.NextDouble() * 0.1)) : null;
        }

        return (int)response.StatusCode >= 500 && idempotent ? Backoff(attempt) : null;
    }

    /// <summary>
    /// True when the request certainly never reached Twilio: the connection (TCP, DNS, TLS, proxy tunnel) could not be
    /// established. Failures on an open connection are reported as ResponseEnded/Unknown/etc. and treated as "maybe sent".
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
}
