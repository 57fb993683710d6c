using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Data.Tenancy;
using Portal.Domain.Calls;
using Portal.Domain.Conversations;
using Portal.Domain.Numbers;
using Portal.Domain.Tenancy;
using Portal.Voice.Twilio;
using Portal.Web.Telephony;

namespace Portal.Web.Endpoints;

/// <summary>
/// Twilio's voice webhooks (the telephony edge): <c>POST /twilio/voice</c> answers an inbound call with
/// TwiML that connects it to the Media Streams WebSocket, and <c>POST /twilio/status</c> records call
/// progress. Anonymous to the cookie scheme; every request must carry a valid <c>X-Twilio-Signature</c>
/// (https://www.twilio.com/docs/usage/security#validating-requests), otherwise 403 and nothing is read or written. Validation cannot be switched off.
/// </summary>
public static class TwilioWebhookEndpoints
{
    /// <summary>Path of the Media Streams WebSocket the TwiML points Twilio at.</summary>
    public const string MediaStreamPath = "/twilio/media";

    /// <summary>Said to callers of a number no active business answers.</summary>
    public const string UnavailableMessage = "Sorry, this number is not in service right now. Please try again later. Goodbye.";

    /// <summary>Said when the call cannot be connected to the agent (a fault on our side) and there is no transfer number.</summary>
    public const string TechnicalDifficultiesMessage = Voice.Calls.CallPrompts.TechnicalDifficulties;

    /// <summary>Said before dialling the business's transfer number when the call cannot be connected to the agent.</summary>
    public const string TechnicalDifficultiesTransferMessage = "Sorry, we're having technical difficulties. Please hold while I connect you to the business.";

    /// <summary>Said to a replayed webhook of a call that has already ended (a stream would only be refused).</summary>
    public const string CallEndedMessage = "This call has already ended. Please call again if you need anything. Goodbye.";

    /// <summary>Maps the <c>/twilio</c> webhook group.</summary>
    public static IEndpointRouteBuilder MapTwilioWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/twilio").WithTags("Twilio").AllowAnonymous().DisableAntiforgery();
        group.MapPost("/voice", VoiceAsync);
        group.MapPost("/status", StatusAsync);
        group.MapPost(TwilioVoicemailEndpoints.VoicemailPath, TwilioVoicemailEndpoints.VoicemailAsync);
        group.MapPost(TwilioSmsEndpoints.SmsPath, TwilioSmsEndpoints.SmsAsync);
        return app;
    }

    private static async Task<Results<ContentHttpResult, StatusCodeHttpResult>> VoiceAsync(
        HttpRequest request, IOptions<TelephonyWebhookOptions> options, ISandboxCredentials credentials, CallRouter router,
        ITenantContext tenantContext, CallConversationService calls, MediaStreamTokens tokens, ILoggerFactory loggers, Billing.CallLimits limits, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(TwilioWebhookEndpoints));
        CallRoute? route = null;
        IFormCollection? form = null;
        try
        {
            form = await TwilioWebhookRequest.ReadSignedFormAsync(request, options.Value, credentials, ct);
            if (form is null)
            {
                return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
            }

            var callSid = form["CallSid"].ToString();
            var to = form["To"].ToString();
            if (string.IsNullOrWhiteSpace(callSid) || callSid.Length > Portal.Data.Entities.Conversation.CallSidMaxLength)
            {
                logger.LogWarning("Voice webhook without a usable CallSid for {To}", to);
                return TwilioWebhookRequest.Twiml(PortalTwiml.SayThenHangup(TechnicalDifficultiesMessage));
            }

            route = await router.RouteAsync(to, ct);
            if (route.Kind != CallRouteKind.Answer)
            {
                logger.LogInformation("Call {CallSid} to {To} not answered: {Reason}", callSid, to, route.Kind);
                return TwilioWebhookRequest.Twiml(PortalTwiml.SayThenHangup(UnavailableMessage));
            }

            var tenantId = route.TenantId!.Value;
            tenantContext.SetTenant(tenantId);
            // Billing limits (past due, spending cap) never drop a call: a polite message, then voicemail or the business's number.
            if (await limits.DecideAsync(tenantId, ct) is { IsLimited: true } limited)
            {
                logger.LogInformation("Call {CallSid} for tenant {TenantId} limited by billing: {Reason}", callSid, tenantId, limited.Reason);
                return TwilioWebhookRequest.Twiml(BillingLimitTwiml.Build(limited));
            }

            var from = form["From"].ToString().Trim();
            var details = new VoiceCallDetails(
                callSid,
                // Withheld callers arrive as "anonymous", "client:…" or a SIP URI: only a real E.164 number is kept.
                from.StartsWith('+') && E164.TryNormalize(from) == from ? from : null,
                to.Trim(),
                CallStatuses.Normalize(form["CallStatus"].ToString()));
            var (started, created) = await calls.StartCallAsync(route.AgentPersonaId!.Value, details, ct);
            logger.LogInformation("Call {CallSid} for tenant {TenantId}: conversation {ConversationId} ({State})",
                callSid, tenantId, started.ConversationId, created ? "created" : started.Ended ? "replayed webhook of an ended call" : "retried webhook");
            if (started.Ended)
            {
                // A stream for an ended call would be refused: dead air. Say so instead.
                return TwilioWebhookRequest.Twiml(PortalTwiml.SayThenHangup(CallEndedMessage));
            }

            var token = tokens.Issue(callSid, started.ConversationId, tenantId);
            var streamUrl = "wss://" + TwilioWebhookRequest.PublicAuthority(request, options.Value) + MediaStreamPath;
            return TwilioWebhookRequest.Twiml(PortalTwiml.ConnectStream(streamUrl,
            [
                new("conversationId", started.ConversationId.ToString()),
                new("token", token),
            ]));
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && ct.IsCancellationRequested))
        {
            // Any fault (database down, a bug) still answers the caller in TwiML, never a 500 with details.
            logger.LogError(ex, "Voice webhook failed; the caller hears the technical-difficulties message");
            return TwilioWebhookRequest.Twiml(TechnicalDifficulties(route?.TransferNumber, form is null ? null : TwilioVoicemailEndpoints.VoicemailCallback(request, options.Value, form)));
        }
    }

    /// <summary>
    /// The answer when the call cannot reach the agent: an apology, then the business's transfer number when it is known,
    /// else a voicemail whose recording is stored as a message for the owner (<see cref="TwilioVoicemailEndpoints"/>), else (no
    /// number to file it under) a hang-up.
    /// </summary>
    /// <param name="transferNumber">The agent's transfer number (E.164), or null.</param>
    /// <param name="voicemailCallback">Where Twilio reports the recording, or null.</param>
    /// <returns>The TwiML.</returns>
    internal static string TechnicalDifficulties(string? transferNumber, Uri? voicemailCallback) =>
        transferNumber is not null
            ? PortalTwiml.SayThenDial(TechnicalDifficultiesTransferMessage, transferNumber, timeoutSeconds: 25)
            : voicemailCallback is not null
                ? PortalTwiml.SayThenRecord(TwilioVoicemailEndpoints.TechnicalDifficultiesVoicemailMessage, voicemailCallback, TwilioVoicemailEndpoints.VoicemailMaxSeconds, TwilioVoicemailEndpoints.VoicemailGoodbye)
                : PortalTwiml.SayThenHangup(TechnicalDifficultiesMessage);

    private static async Task<Results<NoContent, Ok, StatusCodeHttpResult>> StatusAsync(
        HttpRequest request, IOptions<TelephonyWebhookOptions> options, ISandboxCredentials credentials, CallRouter router, ILoggerFactory loggers, CancellationToken ct)
    {
        var form = await TwilioWebhookRequest.ReadSignedFormAsync(request, options.Value, credentials, ct);
        if (form is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        var logger = loggers.CreateLogger(typeof(TwilioWebhookEndpoints));
        var callSid = form["CallSid"].ToString();
        var status = CallStatuses.Normalize(form["CallStatus"].ToString());
        if (string.IsNullOrWhiteSpace(callSid) || status is null)
        {
            // Acknowledge anyway: an error would only make Twilio retry a callback we cannot use.
            logger.LogWarning("Status callback for {CallSid} ignored: unusable status {CallStatus}", callSid, form["CallStatus"].ToString());
            return TypedResults.Ok();
        }

        var callback = new CallStatusCallback(
            callSid,
            status,
            ParseInt(form["CallDuration"]),
            ParseInt(form["SequenceNumber"]),
            DateTimeOffset.TryParse(form["Timestamp"].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null);
        CallStatusUpdate result;
        try
        {
            result = await router.ApplyStatusAsync(callback, ct);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && ct.IsCancellationRequested))
        {
            // Logged here; Twilio gets a bare 500, never the exception.
            logger.LogError(ex, "Status {CallStatus} for {CallSid} could not be stored", status, callSid);
            return TypedResults.StatusCode(StatusCodes.Status500InternalServerError);
        }


        logger.LogInformation("Status {CallStatus} (sequence {SequenceNumber}) for {CallSid}: {Result}", status, callback.SequenceNumber, callSid, result);
        return result == CallStatusUpdate.UnknownCall ? TypedResults.Ok() : TypedResults.NoContent();
    }

    private static int? ParseInt(Microsoft.Extensions.Primitives.StringValues value) =>
        int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
