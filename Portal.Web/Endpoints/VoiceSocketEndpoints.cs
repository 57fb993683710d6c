using Microsoft.Extensions.Options;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;
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
    /// 400 unless a WebSocket request; accepts, then runs the call in its own DI scope until it ends. The recognizer and
    /// synthesizer are the deployment defaults of <see cref="SpeechProviders"/> (<c>Voice:SpeechToText</c>,
    /// <c>Voice:TextToSpeech</c>); with no speech-to-text available (keyless and pocketsphinx missing) the call is keypad-only.
    /// Authorization is the signed, CallSid-bound <c>token</c> in Twilio's <c>start</c> message (the upgrade
    /// carries no parameters, protocols.md §1.4/§2.6), checked by <see cref="MediaCallHandler"/>.
    /// </summary>
    // REVIEW: X-Twilio-Signature on the upgrade (wss:// URL, protocols.md §1.4) is not checked: unverified against
    // live Twilio, and the token already binds the socket to the call the webhook answered.
    private static async Task<IResult> MediaStreamAsync(HttpContext context, IServiceScopeFactory scopes, PhoneSpeechCache speech, TimeProvider timeProvider, ILoggerFactory loggers, IOptions<MediaStreamSessionOptions> options, SpeechProviders providers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.BadRequest();
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await using var scope = scopes.CreateAsyncScope();
        var handler = ActivatorUtilities.CreateInstance<MediaCallHandler>(scope.ServiceProvider);
        using var session = new MediaStreamSession(
            socket, handler, speech, timeProvider, loggers.CreateLogger<MediaStreamSession>(), options.Value,
            providers.DefaultSpeechToText, providers.DefaultTextToSpeech);
        await session.RunAsync(context.RequestAborted);
        return TypedResults.Empty;
    }
}
