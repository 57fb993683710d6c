using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Domain.LiveChat;
using Portal.Domain.Notifications;
using Portal.Domain.Numbers;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Portal.Telephony;

/// <summary>
/// The <see cref="ISmsSender"/> used when Twilio is configured: each part is sent at once with the Messages API
/// (<c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c> with <c>To</c>, <c>From</c> and <c>Body</c>,
/// https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource) through the official SDK's
/// <see cref="MessageResource.CreateAsync(CreateMessageOptions, ITwilioRestClient)"/>, from the business's own number.
/// Creating a message is not idempotent (a repeat would text the customer twice), so <see cref="TwilioTransportHandler"/>
/// retries only when Twilio surely did not act (429, or no connection). A part Twilio still refuses, or whose fate is
/// unknown, is never lost: it is written to the outbox under <see cref="UndeliveredCategory"/> for the team to see and
/// logged as an error; the sender does not throw for it, so the inbound webhook still answers Twilio.
/// </summary>
public sealed class TwilioSmsSender : ISmsSender
{
    /// <summary>Name of the <see cref="System.Net.Http.HttpClient"/> (from <c>IHttpClientFactory</c>) the sender uses.</summary>
    public const string HttpClientName = "twilio-sms";

    /// <summary>Outbox category of parts Twilio did not accept.</summary>
    public const string UndeliveredCategory = "sms.undelivered";

    private readonly TwilioRestClient _client;
    private readonly IOutbox _outbox;
    private readonly ILogger<TwilioSmsSender> _logger;

    /// <summary>Creates the sender over the named client <see cref="HttpClientName"/> (its pipeline holds a <see cref="TwilioTransportHandler"/>).</summary>
    /// <param name="httpClientFactory">Source of the named client.</param>
    /// <param name="options">Validated Twilio options.</param>
    /// <param name="outbox">Where undelivered parts are kept.</param>
    /// <param name="logger">Logs each sent message's SID and each failure.</param>
    /// <exception cref="ArgumentException">AccountSid or AuthToken is empty.</exception>
    public TwilioSmsSender(IHttpClientFactory httpClientFactory, IOptions<TwilioOptions> options, IOutbox outbox, ILogger<TwilioSmsSender> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        var o = options.Value;
        ArgumentException.ThrowIfNullOrWhiteSpace(o.AccountSid, "Twilio:AccountSid");
        ArgumentException.ThrowIfNullOrWhiteSpace(o.AuthToken, "Twilio:AuthToken");
        _client = new TwilioRestClient(o.AccountSid, o.AuthToken, o.AccountSid, httpClient: new SystemNetHttpClient(httpClientFactory.CreateClient(HttpClientName)));
        _outbox = outbox;
        _logger = logger;
    }

    /// <inheritdoc />
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task SendAsync(Guid tenantId, string from, string to, string body, CancellationToken cancellationToken)
    {
        var fromE164 = RequireE164(from, nameof(from));
        var toE164 = RequireE164(to, nameof(to));
        if (string.IsNullOrWhiteSpace(body) || body.Length > Portal.Data.Entities.OutboxMessage.SmsMaxLength)
        {
            throw new ArgumentException($"The body must be 1 to {Portal.Data.Entities.OutboxMessage.SmsMaxLength} characters.", nameof(body));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var options = new CreateMessageOptions(new PhoneNumber(toE164)) { From = new PhoneNumber(fromE164), Body = body };
        TwilioRequestScope.Current = new TwilioRequestScope($"text {toE164}", Idempotent: false, cancellationToken);
        try
        {
            var message = await MessageResource.CreateAsync(options, _client);
            _logger.LogInformation("Twilio accepted SMS {MessageSid} for tenant {TenantId} with status {Status}", message.Sid, tenantId, message.Status?.ToString());
        }
        catch (Exception ex) when ((ex is TwilioException or TelephonyException or System.Net.Http.HttpRequestException or Newtonsoft.Json.JsonException)
                                   && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogError(ex, "Twilio did not send an SMS for tenant {TenantId}; kept in the outbox as {Category}", tenantId, UndeliveredCategory);
            await _outbox.SendSmsAsync(toE164, body, UndeliveredCategory, tenantId, cancellationToken);
        }
    }

    private static string RequireE164(string number, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number, name);
        var e164 = number.Trim();
        return e164.StartsWith('+') && E164.TryNormalize(e164) == e164
            ? e164
            : throw new ArgumentException($"'{number}' is not a phone number in E.164 form (+14155550123).", name);
    }
}
