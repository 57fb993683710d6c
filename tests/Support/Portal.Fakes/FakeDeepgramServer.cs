using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Portal.Voice.Pipeline;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Fakes;

/// <summary>
/// A fake Deepgram live speech-to-text server (https://developers.deepgram.com/reference/speech-to-text-api/listen-streaming) on 127.0.0.1: accepts <c>/v1/listen</c> WebSockets
/// authorized by <c>Authorization: Token &lt;key&gt;</c> (or <c>Sec-WebSocket-Protocol: token, &lt;key&gt;</c>), checks
/// the query (<c>encoding</c> mulaw|linear16 with <c>sample_rate</c>), decodes the real audio it receives, runs the
/// production <see cref="VoiceActivityDetector"/> and <see cref="Endpointer"/> on it (silence threshold =
/// the <c>endpointing</c> parameter) and, when the audio's speech ends, sends an interim then a final <c>Results</c>
/// (<c>is_final</c> and <c>speech_final</c>) with the next transcript of its script, then <c>UtteranceEnd</c> when
/// <c>utterance_end_ms</c> was asked. <c>KeepAlive</c> is counted, <c>Finalize</c> flushes, <c>CloseStream</c> flushes,
/// sends <c>Metadata</c> and closes with 1000; no message for <see cref="IdleTimeoutMs"/> closes with 1011 <c>NET-0001</c>.
/// </summary>
public sealed class FakeDeepgramServer : IAsyncDisposable
{
    /// <summary>The API key the fake accepts unless <see cref="ApiKey"/> is changed.</summary>
    public const string DefaultApiKey = "dg-fake-0123456789abcdef";

    private readonly ConcurrentQueue<string> _script = new();
    private readonly ConcurrentQueue<string> _injected = new();
    private LoopbackServer _server = null!;

    private FakeDeepgramServer()
    {
    }

    /// <summary>The <c>ws://127.0.0.1:port</c> origin to configure as <c>Voice:SpeechToText:Deepgram:BaseUrl</c>.</summary>
    public Uri BaseUrl => _server.WebSocketBaseUrl;

    /// <summary>The accepted API key.</summary>
    public string ApiKey { get; set; } = DefaultApiKey;

    /// <summary>Closes a connection that sent nothing for this long, in ms (Deepgram: 10 s, <c>NET-0001</c>).</summary>
    public int IdleTimeoutMs { get; set; } = 10_000;

    /// <summary>Speech heard before an interim result is sent, in ms.</summary>
    public int InterimAfterMs { get; set; } = 400;

    /// <summary>
    /// Instant mode (benchmarks): the final result is sent as soon as the VAD hears the speech stop, without the
    /// endpointing wait, and no interim results are sent.
    /// </summary>
    public bool Instant { get; set; }

    /// <summary>
    /// Optional script per connection: (session, 0-based utterance index) → transcript; null falls back to the shared
    /// queue (<see cref="EnqueueTranscripts"/>). Lets N simulated calls each follow their own script.
    /// </summary>
    public Func<FakeDeepgramSession, int, string?>? Script { get; set; }

    /// <summary>Every connection accepted, in order.</summary>
    public ConcurrentQueue<FakeDeepgramSession> Sessions { get; } = new();

    /// <summary>Handshakes refused (wrong key or query), as "401" / "400 reason".</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    /// <summary>Starts the fake on 127.0.0.1.</summary>
    /// <param name="port">TCP port; 0 (the default, what tests use) lets the OS choose a free one. A fixed port lets
    /// the fake run as its own process (<c>tools/Portal.FakeVendors</c>).</param>
    /// <returns>The running fake.</returns>
    public static async Task<FakeDeepgramServer> StartAsync(int port = 0)
    {
        var fake = new FakeDeepgramServer();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync, port);
        return fake;
    }

    /// <summary>Queues the transcripts of the next utterances (shared by all connections); an empty queue gives "".</summary>
    /// <param name="transcripts">Transcripts in order.</param>
    public void EnqueueTranscripts(params string[] transcripts)
    {
        foreach (var t in transcripts)
        {
            _script.Enqueue(t);
        }
    }

    /// <summary>Queues a raw text frame sent before the next result (malformed-message tests).</summary>
    /// <param name="text">The frame's text, sent as is.</param>
    public void InjectRawMessage(string text) => _injected.Enqueue(text);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path != "/v1/listen")
        {
            context.Response.StatusCode = 404;
            return;
        }

        var auth = context.Request.Headers.Authorization.ToString();
        var protocols = context.WebSockets.WebSocketRequestedProtocols;
        bool viaProtocol = protocols.Count == 2 && protocols[0] == "token" && protocols[1] == ApiKey;
        if (auth != "Token " + ApiKey && !viaProtocol)
        {
            Refused.Enqueue("401");
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"err_code":"INVALID_AUTH","err_msg":"Invalid credentials.","request_id":"00000000-0000-0000-0000-000000000000"}""");
            return;
        }

        var query = context.Request.Query.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        string? problem = !context.WebSockets.IsWebSocketRequest ? "not a WebSocket request"
            : !query.TryGetValue("encoding", out var enc) || enc is not ("mulaw" or "linear16") ? "encoding must be mulaw or linear16"
            : !query.TryGetValue("sample_rate", out var sr) || !int.TryParse(sr, NumberStyles.None, CultureInfo.InvariantCulture, out var r) || r is < 8000 or > 48000 ? "sample_rate is required for raw audio"
            : null;
        if (problem is not null)
        {
            Refused.Enqueue("400 " + problem);
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync(problem);
            return;
        }

        var session = new FakeDeepgramSession(query);
        Sessions.Enqueue(session);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(viaProtocol ? "token" : null);
        await new DeepgramConnection(this, socket, session).RunAsync(context.RequestAborted);
    }

    /// <summary>Peeks at the next queued transcript without taking it.</summary>
    internal bool TryPeekQueued([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string transcript) => _script.TryPeek(out transcript);

    /// <summary>Takes the next injected raw message, if any.</summary>
    internal bool TryTakeInjected([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string raw) => _injected.TryDequeue(out raw);

    internal string NextTranscript(FakeDeepgramSession session, int index)
    {
        if (Script?.Invoke(session, index) is { } scripted)
        {
            return scripted;
        }

        return _script.TryDequeue(out var t) ? t : string.Empty;
    }
}
