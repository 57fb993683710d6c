using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Data.Tenancy;
using Portal.Domain.Calls;
using Portal.Domain.Numbers;
using Portal.Domain.Scheduling;
using Portal.Domain.Tenancy;
using Portal.Web.Telephony;

namespace Portal.Web.Endpoints;

/// <summary>
/// The voicemail fallback: when the voice webhook fails and the business has no transfer number, the caller may leave a
/// recording; Twilio reports it to <c>POST /twilio/voicemail?to=…&amp;from=…</c> (its recording status callback,
/// https://www.twilio.com/docs/voice/twiml/record#recordingstatuscallback: <c>RecordingSid</c>, <c>RecordingUrl</c>,
/// <c>RecordingDuration</c> in seconds, <c>RecordingStatus</c>), which stores it as a caller message for the owner
/// (and so notifies them). The dialled and calling numbers travel in the callback URL, which Twilio signs.
/// </summary>
public static class TwilioVoicemailEndpoints
{
    /// <summary>Path of the recording status callback.</summary>
    public const string VoicemailPath = "/voicemail";

    /// <summary>Said before the beep when the call cannot reach the agent and there is no transfer number.</summary>
    public const string TechnicalDifficultiesVoicemailMessage = "Sorry, we're having technical difficulties. Please leave your name, number and message after the beep, and we'll call you back.";

    /// <summary>Said after the recording.</summary>
    public const string VoicemailGoodbye = "Thank you. Goodbye.";

    /// <summary>Longest voicemail, in seconds.</summary>
    public const int VoicemailMaxSeconds = 120;

    /// <summary>
    /// The recording callback URL for a call to <c>To</c> from <c>From</c> (digits only, so no escaping can change the
    /// signed URL), or null when the webhook carried no usable <c>To</c>.
    /// </summary>
    internal static Uri? VoicemailCallback(HttpRequest request, TelephonyWebhookOptions options, IFormCollection form)
    {
        var to = E164.TryNormalize(form["To"].ToString());
        if (to is null)
        {
            return null;
        }

        var from = E164.TryNormalize(form["From"].ToString());
        var query = "?to=" + to[1..] + (from is null ? "" : "&from=" + from[1..]);
        return new Uri(TwilioWebhookRequest.PublicBase(request, options) + request.PathBase + "/twilio" + VoicemailPath + query);
    }

    internal static async Task<Results<NoContent, Ok, StatusCodeHttpResult>> VoicemailAsync(
        HttpRequest request, IOptions<TelephonyWebhookOptions> options, ISandboxCredentials credentials, CallRouter router,
        ITenantContext tenantContext, IBookingStore store, ILoggerFactory loggers, CancellationToken ct)
    {
        var form = await TwilioWebhookRequest.ReadSignedFormAsync(request, options.Value, credentials, ct);
        if (form is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        var logger = loggers.CreateLogger(typeof(TwilioVoicemailEndpoints));
        var to = E164.TryNormalize("+" + request.Query["to"].ToString());
        var from = E164.TryNormalize("+" + request.Query["from"].ToString());
        var recordingUrl = form["RecordingUrl"].ToString();
        if (to is null || !Uri.TryCreate(recordingUrl, UriKind.Absolute, out _) || form["RecordingStatus"].ToString() is { Length: > 0 } status && status != "completed")
        {
            // Acknowledge: an error would only make Twilio repeat a callback we cannot use.
            logger.LogWarning("Voicemail callback for {CallSid} ignored: no number or no completed recording", form["CallSid"].ToString());
            return TypedResults.Ok();
        }

        try
        {
            var route = await router.RouteAsync(to, ct);
            if (route.TenantId is not { } tenantId)
            {
                logger.LogWarning("Voicemail for {To} has no business to go to", to);
                return TypedResults.Ok();
            }

            tenantContext.SetTenant(tenantId);
            var seconds = int.TryParse(form["RecordingDuration"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : (int?)null;
            var body = $"Voicemail{(seconds is null ? "" : $" ({seconds} s)")} left while the agent was unavailable: {recordingUrl}";
            var id = await store.SaveMessageAsync(new NewCallerMessage(tenantId, null, null, from, body), ct);
            logger.LogInformation("Voicemail of call {CallSid} stored as message {MessageId} for tenant {TenantId}", form["CallSid"].ToString(), id, tenantId);
            return TypedResults.NoContent();
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && ct.IsCancellationRequested))
        {
            logger.LogError(ex, "Voicemail of call {CallSid} could not be stored", form["CallSid"].ToString());
            return TypedResults.StatusCode(StatusCodes.Status500InternalServerError);
        }
    }
}
