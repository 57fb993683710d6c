using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Portal.Voice.SpeechToText;

namespace Portal.Fakes;

/// <summary>What <see cref="FakeElevenLabsServer"/> received on one request (WebSocket or HTTP).</summary>
/// <param name="Kind"><c>stream-input</c> or <c>http-stream</c>.</param>
/// <param name="VoiceId">Voice id from the path.</param>
/// <param name="Query">Query parameters.</param>
/// <param name="Texts">Text messages in order (the initial <c>" "</c> included for the WebSocket).</param>
/// <param name="AudioBytes">Audio bytes sent back.</param>
public sealed record FakeElevenLabsRequest(string Kind, string VoiceId, IReadOnlyDictionary<string, string> Query, IReadOnlyList<string> Texts, int AudioBytes);

/// <summary>
/// A fake ElevenLabs text-to-speech server (docs/protocols/elevenlabs.md) on 127.0.0.1 that answers with REAL speech:
/// the WebSocket <c>/v1/text-to-speech/{voice_id}/stream-input</c> (key in the <c>xi-api-key</c> header or the
/// first message's <c>xi_api_key</c>; first message must be <c>" "</c>; text is buffered until <c>flush</c> or the
/// empty end message, then spoken by espeak-ng in the requested <c>output_format</c> and sent as base64 <c>audio</c>
/// chunks, then <c>{"isFinal": true}</c> and close 1000), the HTTP <c>POST /v1/text-to-speech/{voice_id}/stream</c>
/// and <c>GET /v1/voices</c>. Bad keys get 401 (HTTP/handshake); unknown voices 404.
/// </summary>
public sealed partial class FakeElevenLabsServer : IAsyncDisposable
{
    /// <summary>The API key the fake accepts.</summary>
    public const string DefaultApiKey = "xi-fake-0123456789abcdef";

    /// <summary>Voices offered: ElevenLabs premade ids mapped to the espeak-ng voice that speaks for them.</summary>
    public static readonly IReadOnlyDictionary<string, (string Name, string Accent, string Espeak)> Voices = new Dictionary<string, (string, string, string)>
    {
        ["21m00Tcm4TlvDq8ikWAM"] = ("Rachel", "american", "en-us+f3"),
        ["pNInz6obpgDQGcFmaJgB"] = ("Adam", "american", "en-us"),
        ["ThT5KcBeYPX3keUQqHPh"] = ("Dorothy", "british", "en-gb+f3"),
    };

    private LoopbackServer _server = null!;

    private FakeElevenLabsServer()
    {
    }

    /// <summary>The <c>http://127.0.0.1:port</c> origin to configure as <c>Voice:TextToSpeech:ElevenLabs:BaseUrl</c>.</summary>
    public Uri BaseUrl => _server.BaseUrl;

    /// <summary>Bytes per audio message sent (ElevenLabs sends chunks of a few kB).</summary>
    public int ChunkBytes { get; set; } = 3200;

    /// <summary>Keeps synthesized audio per (text, voice, format), so repeated sentences (benchmarks, load) answer at once.</summary>
    public bool CacheAudio { get; set; } = true;

    /// <summary>Every request served, in order.</summary>
    public ConcurrentQueue<FakeElevenLabsRequest> Requests { get; } = new();

    /// <summary>Handshakes or requests refused, as "401" / "404 voice".</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    /// <summary>All texts spoken (flushed), in order.</summary>
    public IReadOnlyList<string> SpokenTexts => [.. Requests.SelectMany(r => r.Texts.Where(t => !string.IsNullOrWhiteSpace(t)))];

    private ConcurrentDictionary<(string Text, string Voice, AudioFormat Format), byte[]> Cache { get; } = new();

    /// <summary>Starts the fake.</summary>
    /// <returns>The running fake.</returns>
    public static async Task<FakeElevenLabsServer> StartAsync()
    {
        var fake = new FakeElevenLabsServer();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>Parses an ElevenLabs <c>output_format</c> (<c>ulaw_8000</c>, <c>pcm_16000</c>...).</summary>
    /// <param name="outputFormat">The name.</param>
    /// <returns>The format, or null when the fake does not produce it (mp3, opus...).</returns>
    public static AudioFormat? ParseOutputFormat(string? outputFormat) => outputFormat switch
    {
        "ulaw_8000" => AudioFormat.Phone,
        ['p', 'c', 'm', '_', .. var rate] when int.TryParse(rate, out var hz) && hz is 8000 or 16000 or 22050 or 24000 or 44100 or 48000 => new AudioFormat(AudioEncoding.Linear16, hz),
        _ => null,
    };

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [GeneratedRegex("^/v1/text-to-speech/([^/]+)/(stream-input|stream)$")]
    private static partial Regex SpeechPath();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        bool keyOk = context.Request.Headers["xi-api-key"].ToString() == DefaultApiKey;
        if (path == "/v1/voices" && HttpMethods.IsGet(context.Request.Method))
        {
            if (!await AuthorizeAsync(context, keyOk))
            {
                return;
            }

            await context.Response.WriteAsJsonAsync(new
            {
                voices = Voices.Select(v => new { voice_id = v.Key, name = v.Value.Name, category = "premade", labels = new { accent = v.Value.Accent, language = "en" } }),
            });
            return;
        }

        var match = SpeechPath().Match(path);
        if (!match.Success)
        {
            context.Response.StatusCode = 404;
            return;
        }

        string voiceId = match.Groups[1].Value;
        var query = context.Request.Query.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        bool webSocket = match.Groups[2].Value == "stream-input";
        if (webSocket && !context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        // The WebSocket may carry the key in its first message instead of the header (docs/protocols/elevenlabs.md).
        if (!webSocket && !await AuthorizeAsync(context, keyOk))
        {
            return;
        }

        if (!Voices.ContainsKey(voiceId))
        {
            Refused.Enqueue("404 voice");
            context.Response.StatusCode = 404;
            await context.Response.WriteAsJsonAsync(new { detail = new { status = "voice_not_found", message = $"A voice with the voice_id {voiceId} was not found." } });
            return;
        }

        query.TryGetValue("output_format", out var outputFormat);
        var format = ParseOutputFormat(outputFormat ?? "mp3_44100_128");
        if (format is null)
        {
            context.Response.StatusCode = 422;
            await context.Response.WriteAsJsonAsync(new { detail = new { status = "invalid_output_format", message = "The fake only speaks ulaw_8000 and pcm_* formats." } });
            return;
        }

        if (webSocket)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await StreamInputAsync(socket, voiceId, query, format, keyOk, context.RequestAborted);
        }
        else
        {
            await HttpStreamAsync(context, voiceId, query, format);
        }
    }

    private async Task<bool> AuthorizeAsync(HttpContext context, bool keyOk)
    {
        if (keyOk)
        {
            return true;
        }

        Refused.Enqueue("401");
        context.Response.StatusCode = 401;
        await context.Response.WriteAsJsonAsync(new { detail = new { status = "invalid_api_key", message = "Invalid API key" } });
        return false;
    }

    private async Task HttpStreamAsync(HttpContext context, string voiceId, Dictionary<string, string> query, AudioFormat format)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            body = null;
        }

        string? text = body?["text"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            context.Response.StatusCode = 422;
            await context.Response.WriteAsJsonAsync(new { detail = new[] { new { loc = new[] { "body", "text" }, msg = "field required", type = "value_error.missing" } } });
            return;
        }

        byte[] audio = await SpeakAsync(text, voiceId, format, context.RequestAborted);
        Requests.Enqueue(new FakeElevenLabsRequest("http-stream", voiceId, query, [text], audio.Length));
        context.Response.ContentType = "audio/mpeg"; // what the OpenAPI declares, whatever the format (https://elevenlabs.io/docs/api-reference/text-to-speech/stream)
        for (int offset = 0; offset < audio.Length; offset += ChunkBytes)
        {
            await context.Response.Body.WriteAsync(audio.AsMemory(offset, Math.Min(ChunkBytes, audio.Length - offset)), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

    }

    private async Task StreamInputAsync(WebSocket socket, string voiceId, Dictionary<string, string> query, AudioFormat format, bool keyOk, CancellationToken ct)
    {
        var texts = new List<string>();
        var pending = new StringBuilder();
        int sent = 0;
        bool recorded = false;
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(message.ToArray());
                }
                catch (JsonException)
                {
                    node = null;
                }

                message.SetLength(0);
                string? text = node?["text"]?.GetValue<string>();
                if (text is null)
                {
                    await SendAsync(socket, new JsonObject { ["message"] = "Invalid message: 'text' is required.", ["error"] = "invalid_request", ["code"] = 1008 }, ct);
                    await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "invalid_request", ct);
                    break;
                }

                if (texts.Count == 0)
                {
                    keyOk |= node?["xi_api_key"]?.GetValue<string>() == DefaultApiKey || node?["xi-api-key"]?.GetValue<string>() == DefaultApiKey;
                    if (!keyOk || text != " ")
                    {
                        Refused.Enqueue(keyOk ? "1008 first message" : "401");
                        string error = keyOk ? "The first message must have text \" \"." : "Invalid API key";
                        await SendAsync(socket, new JsonObject { ["message"] = error, ["error"] = keyOk ? "invalid_request" : "invalid_api_key", ["code"] = 1008 }, ct);
                        await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, keyOk ? "invalid_request" : "invalid_api_key", ct);
                        return;
                    }
                }

                texts.Add(text);
                bool end = text.Length == 0;
                if (!end && text != " ")
                {
                    pending.Append(text);
                }

                bool flush = node?["flush"]?.GetValue<bool>() == true;
                if ((flush || end) && pending.ToString().Trim().Length > 0)
                {
                    byte[] audio = await SpeakAsync(pending.ToString().Trim(), voiceId, format, ct);
                    pending.Clear();
                    for (int offset = 0; offset < audio.Length; offset += ChunkBytes)
                    {
                        int length = Math.Min(ChunkBytes, audio.Length - offset);
                        string base64 = Convert.ToBase64String(audio, offset, length);
                        await SendAsync(socket, new JsonObject { ["audio"] = base64, ["isFinal"] = false, ["normalizedAlignment"] = null, ["alignment"] = null }, ct);
                        sent += length;
                    }
                }

                if (end)
                {
                    recorded = true;
                    Requests.Enqueue(new FakeElevenLabsRequest("stream-input", voiceId, query, texts, sent));
                    await SendAsync(socket, new JsonObject { ["isFinal"] = true }, ct);
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            if (!recorded)
            {
                Requests.Enqueue(new FakeElevenLabsRequest("stream-input", voiceId, query, texts, sent));
            }
        }
    }

    private async Task<byte[]> SpeakAsync(string text, string voiceId, AudioFormat format, CancellationToken ct)
    {
        var key = (text, voiceId, format);
        if (CacheAudio && Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        byte[] audio = await EspeakAudio.SayAsync(text, format, Voices[voiceId].Espeak, ct);
        if (CacheAudio)
        {
            Cache[key] = audio;
        }

        return audio;
    }

    private static Task SendAsync(WebSocket socket, JsonObject message, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, ct);
}
