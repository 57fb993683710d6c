using Microsoft.Extensions.Options;
using Portal.Domain.Conversations;
using Portal.Domain.Entities;
using Portal.Domain.Tenancy;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.SpeechToText.LanguageModels;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Twilio;

namespace Portal.Web.Endpoints;

/// <summary>
/// "Call your agent" from the browser: the owner's microphone over a WebSocket into the same
/// <see cref="MediaStreamSession"/> that answers phone calls (turn-taking, endpointing, barge-in, the conversation),
/// through <see cref="BrowserCallTransport"/>. The wire protocol is documented there; this endpoint holds none of it.
/// </summary>
public static class BrowserCallEndpoints
{
    /// <summary>Route of the browser call WebSocket.</summary>
    public const string Path = "/api/v1/browser-call";

    /// <summary>Longest wait for the browser's close frame once the call ended (the page itself gives up after 3 s).</summary>
    public static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Maps <c>GET /api/v1/browser-call</c> (WebSocket upgrade), for signed-in business users.</summary>
    public static IEndpointRouteBuilder MapBrowserCallEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, CallAsync).WithTags("Calls").RequireAuthorization(Policies.BusinessUser).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// 400 unless a WebSocket request; 403 when the upgrade comes from another site's page (<c>Origin</c> is not this
    /// host: cross-site WebSocket hijacking) or the user has no business; 409 when the business has no agent. Otherwise
    /// opens a test voice conversation (<see cref="Conversation.IsTest"/>) for the signed-in user's tenant and agent (never chosen by the client), accepts the
    /// socket and runs the call until either side hangs up or the request is aborted. The session is authorized by a
    /// stream token issued here for this conversation, exactly as a Twilio call's is, and checked by
    /// <see cref="MediaCallHandler"/>. Speech-to-text is the deployment default (pocketsphinx in keyless mode) fed
    /// 16 kHz PCM16; without one the call is keypad-only.
    /// </summary>
    private static async Task<IResult> CallAsync(
        HttpContext context,
        ITenantContext tenant,
        ConversationService conversations,
        MediaStreamTokens tokens,
        PhoneSpeechCache speech,
        TimeProvider timeProvider,
        ILoggerFactory loggers,
        IOptions<MediaStreamSessionOptions> options,
        SpeechProviders providers,
        BusinessProfileCache profiles)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.BadRequest();
        }

        if (!IsSameOrigin(context.Request) || tenant.TenantId is not { } tenantId)
        {
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        var logger = loggers.CreateLogger(typeof(BrowserCallEndpoints));
        StartedConversation started;
        try
        {
            started = await conversations.StartTestAsync(Channel.Voice, context.RequestAborted);
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }

        string callSid = "BC" + Guid.NewGuid().ToString("N");
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["token"] = tokens.Issue(callSid, started.ConversationId, tenantId) };
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var transport = new BrowserCallTransport(socket, callSid, parameters);
        var recognizer = providers.DefaultSpeechToText is { } stt
            ? new VocabularySpeechToText(stt, SpeechVocabulary.FromProfile(await profiles.GetAsync(tenantId, context.RequestAborted)))
            : null;
        ISpeechToText? observed = recognizer is null ? null : new ObservedSpeechToText(recognizer, (t, ct) =>
            t.Text.Length == 0 ? ValueTask.CompletedTask : transport.SendCallerTranscriptAsync(t.Text, t.IsFinal, ct));
        var sessionOptions = options.Value;
        if (providers.DefaultSpeechToTextName == SpeechProviders.Pocketsphinx)
        {
            // REVIEW: pocketsphinx's per-word posterior is not calibrated like Deepgram's confidence: on espeak-ng speech it
            // gave 0.12 for "what hours" (key words right) and 0.43 for "what is a dollar" (wrong). A threshold would
            // reprompt good turns and pass bad ones, so the keyless test call lets the engine judge the words instead.
            sessionOptions = sessionOptions with { MinConfidence = 0 };
        }
        logger.LogInformation("Browser call {CallSid} for tenant {TenantId}: conversation {ConversationId}", callSid, tenantId, started.ConversationId);

        await transport.SendStartedAsync(started.ConversationId, recognizer?.ProviderName, context.RequestAborted);
        // The handler chooses the persona's providers on a CallSpeechProviders: the browser session speaks through its
        // synthesizer (the persona's voice, with the fallback voices), while the browser's wideband audio always goes to the
        // deployment's default recognizer above.
        var callProviders = new CallSpeechProviders(providers, loggers.CreateLogger<CallSpeechProviders>());
        using var inner = ActivatorUtilities.CreateInstance<MediaCallHandler>(context.RequestServices, callProviders);
        var handler = new BrowserCallHandler(inner);
        using (var session = new MediaStreamSession(
            transport, handler, speech, timeProvider, loggers.CreateLogger<MediaStreamSession>(), sessionOptions, observed, callProviders.TextToSpeech))
        {
            await session.RunAsync(context.RequestAborted);
        }

        try
        {
            // The close handshake completes before the connection closes: returning with the browser's frames still in
            // flight resets the connection, and the page sees an abnormal closure instead of the end of the call.
            await transport.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "call ended", context.RequestAborted);
            await transport.CompleteCloseAsync(CloseHandshakeTimeout, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            // The browser went away first; the conversation is already ended.
        }

        return TypedResults.Empty;
    }

    /// <summary>True when the request has no <c>Origin</c> (not a browser page) or its origin's authority is this host.</summary>
    private static bool IsSameOrigin(HttpRequest request)
    {
        string? origin = request.Headers.Origin;
        return string.IsNullOrEmpty(origin)
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }
}
