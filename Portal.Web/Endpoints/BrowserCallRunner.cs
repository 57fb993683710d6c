using Microsoft.Extensions.Options;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.SpeechToText.LanguageModels;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Twilio;

namespace Portal.Web.Endpoints;

/// <summary>
/// Runs one browser call (a test voice conversation over <see cref="BrowserCallTransport"/>) for a tenant the caller of
/// <see cref="RunAsync"/> has already decided: the owner's "Call your agent" (<see cref="BrowserCallEndpoints"/>) and the
/// landing page's demo call (<c>Portal.Web.Public.DemoCallEndpoints</c>) share it. The request's scoped
/// <see cref="Portal.Data.Tenancy.ITenantContext"/> must already name the tenant passed to <see cref="RunAsync"/>.
/// </summary>
public static class BrowserCallRunner
{
    /// <summary>Longest wait for the browser's close frame once the call ended (the page itself gives up after 3 s).</summary>
    public static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// 409 when the business has no agent. Otherwise opens a test voice conversation (<see cref="Conversation.IsTest"/>)
    /// for <paramref name="tenantId"/>'s agent, accepts the socket and runs the call until either side hangs up, the request
    /// is aborted or <paramref name="maxDuration"/> (when given) has passed. The session is authorized by a stream token
    /// issued here for this conversation, exactly as a Twilio call's is. Speech-to-text is the deployment default
    /// (pocketsphinx in keyless mode) fed 16 kHz PCM16; without one the call is keypad-only.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request is not a WebSocket request (callers check first).</exception>
    public static async Task<IResult> RunAsync(HttpContext context, Guid tenantId, TimeSpan? maxDuration)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.RequestServices;
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var logger = loggers.CreateLogger(typeof(BrowserCallEndpoints));
        StartedConversation started;
        try
        {
            started = await services.GetRequiredService<ConversationService>().StartTestAsync(Channel.Voice, context.RequestAborted);
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }

        string callSid = "BC" + Guid.NewGuid().ToString("N");
        var tokens = services.GetRequiredService<MediaStreamTokens>();
        var providers = services.GetRequiredService<SpeechProviders>();
        var profiles = services.GetRequiredService<BusinessProfileCache>();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["token"] = tokens.Issue(callSid, started.ConversationId, tenantId) };
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var transport = new BrowserCallTransport(socket, callSid, parameters);
        var recognizer = providers.DefaultSpeechToText is { } stt
            ? new VocabularySpeechToText(stt, SpeechVocabulary.FromProfile(await profiles.GetAsync(tenantId, context.RequestAborted)))
            : null;
        ISpeechToText? observed = recognizer is null ? null : new ObservedSpeechToText(recognizer, (t, ct) =>
            t.Text.Length == 0 ? ValueTask.CompletedTask : transport.SendCallerTranscriptAsync(t.Text, t.IsFinal, ct));
        var sessionOptions = services.GetRequiredService<IOptions<MediaStreamSessionOptions>>().Value;
        if (providers.DefaultSpeechToTextName == SpeechProviders.Pocketsphinx)
        {
            // REVIEW: pocketsphinx's per-word posterior is not calibrated like Deepgram's confidence: on espeak-ng speech it
            // gave 0.12 for "what hours" (key words right) and 0.43 for "what is a dollar" (wrong). A threshold would
            // reprompt good turns and pass bad ones, so the keyless test call lets the engine judge the words instead.
            sessionOptions = sessionOptions with { MinConfidence = 0 };
        }

        logger.LogInformation("Browser call {CallSid} for tenant {TenantId}: conversation {ConversationId}", callSid, tenantId, started.ConversationId);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (maxDuration is { } longest)
        {
            limit.CancelAfter(longest);
        }

        await transport.SendStartedAsync(started.ConversationId, recognizer?.ProviderName, limit.Token);
        // The handler chooses the persona's providers on a CallSpeechProviders: the browser session speaks through its
        // synthesizer (the persona's voice, with the fallback voices), while the browser's wideband audio always goes to the
        // deployment's default recognizer above.
        var callProviders = new CallSpeechProviders(providers, loggers.CreateLogger<CallSpeechProviders>());
        using var inner = ActivatorUtilities.CreateInstance<MediaCallHandler>(services, callProviders);
        var handler = new BrowserCallHandler(inner);
        using (var session = new MediaStreamSession(
            transport, handler, services.GetRequiredService<PhoneSpeechCache>(), services.GetRequiredService<TimeProvider>(),
            loggers.CreateLogger<MediaStreamSession>(), sessionOptions, observed, callProviders.TextToSpeech))
        {
            await session.RunAsync(limit.Token);
        }

        try
        {
            // The close handshake completes before the connection closes: returning with the browser's frames still in
            // flight resets the connection, and the page sees an abnormal closure instead of the end of the call.
            string reason = limit.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested ? "time limit reached" : "call ended";
            await transport.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, reason, context.RequestAborted);
            await transport.CompleteCloseAsync(CloseHandshakeTimeout, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            // The browser went away first; the conversation is already ended.
        }

        return TypedResults.Empty;
    }

    /// <summary>True when the request has no <c>Origin</c> (not a browser page) or its origin's authority is this host (no cross-site WebSocket hijacking).</summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? origin = request.Headers.Origin;
        return string.IsNullOrEmpty(origin)
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }
}
