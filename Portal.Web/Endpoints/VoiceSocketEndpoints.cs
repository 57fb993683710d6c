using Microsoft.Extensions.Options;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Twilio;
using Portal.Web.Telephony;

namespace Portal.Web.Endpoints;

/// <summary>
/// WebSocket endpoints for live calls. <c>/twilio/media</c> is the Twilio Media Streams socket the
/// <c>/twilio/voice</c> TwiML points at; all protocol logic lives in <see cref="MediaStreamSession"/>.
/// </summary>
public static class VoiceSocketEndpoints
{
    /// <summary>Maps <c>GET /twilio/media</c> (WebSocket upgrade).</summary>
    public static IEndpointRouteBuilder MapVoiceSocketEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(TwilioWebhookEndpoints.MediaStreamPath, MediaStreamAsync).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// 400 unless a WebSocket request; 403 when the upgrade carries an <c>X-Twilio-Signature</c> that does not match (see
    /// <see cref="HasValidUpgradeSignature"/>); accepts, then runs the call in its own DI scope until it ends. The recognizer and
    /// synthesizer are the call's persona's choice when set and offered here, else the deployment defaults of
    /// <see cref="SpeechProviders"/> (<c>Voice:SpeechToText</c>, <c>Voice:TextToSpeech</c>; see <see cref="CallSpeechProviders"/>);
    /// with no speech-to-text available (keyless and pocketsphinx missing) the call is keypad-only.
    /// Authorization stays the signed, CallSid-bound <c>token</c> in Twilio's <c>start</c> message (the upgrade
    /// carries no parameters, docs/protocols/twilio.md), checked by <see cref="MediaCallHandler"/>, whether or not the
    /// upgrade was signed.
    /// </summary>
    private static async Task<IResult> MediaStreamAsync(HttpContext context, IServiceScopeFactory scopes, PhoneSpeechCache speech, TimeProvider timeProvider, ILoggerFactory loggers, IOptions<MediaStreamSessionOptions> options, SpeechProviders providers, IOptions<TelephonyWebhookOptions> telephony, ISandboxCredentials credentials)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.BadRequest();
        }

        if (!HasValidUpgradeSignature(context.Request, telephony.Value, credentials))
        {
            loggers.CreateLogger(typeof(VoiceSocketEndpoints)).LogWarning("Media stream upgrade refused: X-Twilio-Signature does not match {Url}",
                TwilioWebhookRequest.MediaStreamSignedUrl(context.Request, telephony.Value));
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await using var scope = scopes.CreateAsyncScope();
        var callProviders = new CallSpeechProviders(providers, loggers.CreateLogger<CallSpeechProviders>());
        using var handler = ActivatorUtilities.CreateInstance<MediaCallHandler>(scope.ServiceProvider, callProviders);
        using var session = new MediaStreamSession(
            socket, handler, speech, timeProvider, loggers.CreateLogger<MediaStreamSession>(), options.Value,
            callProviders.SpeechToText, callProviders.TextToSpeech);
        await session.RunAsync(context.RequestAborted);
        return TypedResults.Empty;
    }

    /// <summary>
    /// Checks the <c>X-Twilio-Signature</c> Twilio sends on the Media Streams upgrade
    /// (https://www.twilio.com/docs/usage/security#validating-requests; the upgrade rule is in docs/protocols/twilio.md):
    /// HMAC-SHA1 with the
    /// webhook auth token over the <c>wss://</c> URL it dialled (<see cref="TwilioWebhookRequest.MediaStreamSignedUrl"/>,
    /// port variants accepted) and, as twilio's own validator does for WebSockets, any query-string parameters moved into the
    /// sorted parameter list (the TwiML URL has none). True when the header is absent (the <c>start</c> token still binds
    /// the socket to its call) or matches; false when present and wrong.
    /// </summary>
    /// <param name="request">The upgrade request.</param>
    /// <param name="options">Telephony settings (public base URL).</param>
    /// <param name="credentials">The auth token (configured, or the sandbox's generated one).</param>
    /// <returns>Whether the upgrade may be accepted.</returns>
    internal static bool HasValidUpgradeSignature(HttpRequest request, TelephonyWebhookOptions options, ISandboxCredentials credentials)
    {
        if (!request.Headers.TryGetValue(TwilioSignature.HeaderName, out var header))
        {
            return true;
        }

        return TwilioSignature.IsValid(credentials.AuthToken, TwilioWebhookRequest.MediaStreamSignedUrl(request, options), request.Query, header.ToString());
    }
}
