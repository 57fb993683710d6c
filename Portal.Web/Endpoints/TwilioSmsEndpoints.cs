using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Domain.LiveChat;
using Portal.Domain.Numbers;
using Portal.Web.Telephony;

namespace Portal.Web.Endpoints;

/// <summary>
/// <c>POST /twilio/sms</c>: Twilio's Messaging webhook for texts to a business's Portal number
/// (https://www.twilio.com/docs/messaging/guides/webhook-request), signature-validated like the voice webhooks (403 and
/// nothing read otherwise). The reply goes out through the Messages API (or the outbox in keyless mode), so the webhook
/// answers with an empty TwiML <c>&lt;Response/&gt;</c>.
/// </summary>
public static class TwilioSmsEndpoints
{
    /// <summary>Path of the Messaging webhook.</summary>
    public const string SmsPath = "/sms";

    private const string EmptyMessagingResponse = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    internal static async Task<Results<ContentHttpResult, StatusCodeHttpResult, BadRequest<string>>> SmsAsync(
        HttpRequest request, IOptions<TelephonyWebhookOptions> options, ISandboxCredentials credentials, SmsConversationService sms, ILoggerFactory loggers, CancellationToken ct)
    {
        var form = await TwilioWebhookRequest.ReadSignedFormAsync(request, options.Value, credentials, ct);
        if (form is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        var logger = loggers.CreateLogger(typeof(TwilioSmsEndpoints));
        var messageSid = form["MessageSid"].ToString().Trim();
        var from = form["From"].ToString().Trim();
        var to = form["To"].ToString().Trim();
        var body = form["Body"].ToString();
        if (messageSid.Length is 0 or > Portal.Data.Entities.InboundSms.MessageSidMaxLength || !from.StartsWith('+') || E164.TryNormalize(from) != from || to.Length == 0)
        {
            return TypedResults.BadRequest("MessageSid, From (E.164) and To are required.");
        }

        SmsHandling handled;
        try
        {
            handled = await sms.ReceiveAsync(new InboundSmsMessage(messageSid, from, to, body), ct);
        }
        catch (ArgumentException ex)
        {
            // An empty or unusable text: acknowledged (a retry would not change it), nothing answered.
            logger.LogInformation("SMS {MessageSid} not answered: {Reason}", messageSid, ex.Message);
            return TwilioWebhookRequest.Twiml(EmptyMessagingResponse);
        }

        logger.LogInformation("SMS {MessageSid} to {To}: {Handling}", messageSid, to, handled);
        return TwilioWebhookRequest.Twiml(EmptyMessagingResponse);
    }
}
