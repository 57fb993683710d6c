using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Voice.SpeechToText;

namespace Portal.Voice.TextToSpeech;

/// <summary>
/// ElevenLabs streaming text-to-speech. Speech goes through the WebSocket <c>stream-input</c> endpoint
/// (<c>{BaseUrl}/v1/text-to-speech/{voice_id}/stream-input?model_id=…&amp;output_format=ulaw_8000</c>, header
/// <c>xi-api-key</c>): the first message is <c>{"text": " ", "voice_settings": …}</c>, then the sentence with
/// <c>flush: true</c>, then <c>{"text": ""}</c>; the server answers base64 <c>audio</c> chunks and <c>isFinal</c>.
/// Phone calls ask for <c>ulaw_8000</c> (headerless μ-law, ready for Twilio), the browser for <c>pcm_16000</c>/<c>pcm_24000</c>.
/// Voices come from <c>GET /v1/voices</c>; <see cref="SynthesizeHttpStreamAsync"/> uses the HTTP streaming endpoint
/// (<c>POST /v1/text-to-speech/{voice_id}/stream</c>) for previews.
/// </summary>
/// <remarks>
/// Protocol: docs/protocols/elevenlabs.md, from elevenlabs-docs <c>fern/apis/api/asyncapi.yml</c> and
/// https://elevenlabs.io/docs/api-reference/text-to-speech/v-1-text-to-speech-voice-id-stream-input ; voices:
/// https://elevenlabs.io/docs/api-reference/voices/search .
/// REVIEW: one WebSocket per sentence costs a handshake (~50–100 ms on the internet) per sentence; the multi-context
/// endpoint (<c>multi-stream-input</c>) would keep one socket per call.
/// </remarks>
public sealed class ElevenLabsTextToSpeech(HttpClient http, IOptions<ElevenLabsOptions> options, ILogger<ElevenLabsTextToSpeech> logger) : IStreamingTextToSpeech
{
    /// <summary>Provider name used in errors and shown to owners.</summary>
    public const string Name = "ElevenLabs";

    /// <summary>Longest text accepted per call, in characters.</summary>
    public const int MaxTextLength = 2000;

    private readonly ElevenLabsOptions _options = options.Value;
    private IReadOnlyList<VoiceInfo>? _voices;

    /// <inheritdoc />
    public string ProviderName => Name;

    /// <summary>The ElevenLabs <c>output_format</c> for <paramref name="format"/>: <c>ulaw_8000</c> or <c>pcm_{rate}</c>.</summary>
    /// <param name="format">Wanted audio format.</param>
    /// <returns>The output format name.</returns>
    /// <exception cref="ArgumentException">ElevenLabs offers no such format (μ-law other than 8000 Hz, PCM at another rate).</exception>
    public static string OutputFormat(AudioFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return format switch
        {
            { Encoding: AudioEncoding.MuLaw, SampleRateHz: 8000 } => "ulaw_8000",
            { Encoding: AudioEncoding.Linear16, SampleRateHz: 8000 or 16000 or 22050 or 24000 or 44100 or 48000 } => "pcm_" + format.SampleRateHz.ToString(CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"ElevenLabs has no output format for {format.Encoding} at {format.SampleRateHz} Hz.", nameof(format)),
        };
    }

    /// <inheritdoc />
    /// <exception cref="SpeechProviderException">The voice list could not be fetched.</exception>
    public async Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken)
    {
        if (_voices is not null)
        {
            return _voices;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint("/v1/voices"));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var voices = new List<VoiceInfo>();
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            foreach (var node in body?["voices"]?.AsArray() ?? [])
            {
                string? id = node?["voice_id"]?.GetValue<string>();
                if (string.IsNullOrWhiteSpace(id))
                {
                    continue;
                }

                string name = node?["name"]?.GetValue<string>() ?? id;
                string? accent = node?["labels"]?["accent"]?.GetValue<string>();
                string language = node?["labels"]?["language"]?.GetValue<string>() ?? "en";
                voices.Add(new VoiceInfo(id, accent is null ? name : $"{name} ({accent})", language));
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new SpeechProviderException(Name, "sent an unreadable voice list.", ex);
        }

        _voices = voices.OrderBy(v => v.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(v => v.Name, StringComparer.Ordinal).ToList();
        return _voices;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Empty or too long text, a blank voice id, or a format ElevenLabs does not offer.</exception>
    /// <exception cref="SpeechProviderException">No API key, the server refused or failed, or sent no audio in time.</exception>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeStreamAsync(string text, string voiceId, AudioFormat format, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Validate(text, voiceId);
        string outputFormat = OutputFormat(format);
        var uri = StreamInputUri(voiceId, outputFormat);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("xi-api-key", RequireKey());
        socket.Options.CollectHttpResponseDetails = true;
        await ConnectAsync(socket, uri, cancellationToken);

        var settings = new JsonObject
        {
            ["text"] = " ",
            ["voice_settings"] = new JsonObject { ["stability"] = _options.Stability, ["similarity_boost"] = _options.SimilarityBoost },
            ["generation_config"] = new JsonObject { ["chunk_length_schedule"] = new JsonArray(50, 120, 160, 250) },
        };
        await SendJsonAsync(socket, settings, cancellationToken);
        await SendJsonAsync(socket, new JsonObject { ["text"] = text.Trim() + " ", ["flush"] = true }, cancellationToken);
        await SendJsonAsync(socket, new JsonObject { ["text"] = string.Empty }, cancellationToken);

        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        int chunks = 0;
        while (true)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ReceiveTimeoutMs);
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SpeechProviderException(Name, $"sent no audio for {_options.ReceiveTimeoutMs} ms.", ex);
            }
            catch (WebSocketException ex)
            {
                throw new SpeechProviderException(Name, "connection lost: " + ex.Message, ex);
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (result.CloseStatus is { } status && status != WebSocketCloseStatus.NormalClosure)
                {
                    throw new SpeechProviderException(Name, $"closed the stream: {(int)status} {result.CloseStatusDescription}");
                }

                if (chunks == 0)
                {
                    throw new SpeechProviderException(Name, "closed the stream without audio.");
                }

                yield break;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            var (audio, isFinal, error) = ParseMessage(message.GetBuffer().AsSpan(0, (int)message.Length));
            message.SetLength(0);
            if (error is not null)
            {
                throw new SpeechProviderException(Name, error);
            }

            if (audio is { Length: > 0 })
            {
                chunks++;
                yield return audio;
            }

            if (isFinal)
            {
                await CloseQuietlyAsync(socket);
                yield break;
            }
        }
    }

    /// <summary>
    /// Synthesizes through the HTTP streaming endpoint (<c>POST /v1/text-to-speech/{voice_id}/stream?output_format=…</c>,
    /// https://elevenlabs.io/docs/api-reference/text-to-speech/stream) and yields the response body as it arrives: used for voice previews, where one request is simpler
    /// than a WebSocket.
    /// </summary>
    /// <param name="text">Text to say.</param>
    /// <param name="voiceId">ElevenLabs voice id.</param>
    /// <param name="format">Output format (see <see cref="OutputFormat"/>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Raw audio chunks.</returns>
    /// <exception cref="ArgumentException">Bad text, voice or format.</exception>
    /// <exception cref="SpeechProviderException">The server refused or failed (401, 422...).</exception>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeHttpStreamAsync(string text, string voiceId, AudioFormat format, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Validate(text, voiceId);
        string outputFormat = OutputFormat(format);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint($"/v1/text-to-speech/{Uri.EscapeDataString(voiceId)}/stream?output_format={outputFormat}"))
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["text"] = text.Trim(),
                ["model_id"] = _options.Model,
                ["voice_settings"] = new JsonObject { ["stability"] = _options.Stability, ["similarity_boost"] = _options.SimilarityBoost },
            }),
        };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            yield return buffer.AsSpan(0, read).ToArray();
        }
    }

    /// <summary>The <c>stream-input</c> WebSocket URL for a voice and output format (holds no secret).</summary>
    /// <param name="voiceId">Voice id.</param>
    /// <param name="outputFormat">ElevenLabs output format name.</param>
    /// <returns>The <c>ws</c>/<c>wss</c> URL.</returns>
    public Uri StreamInputUri(string voiceId, string outputFormat)
    {
        var http = Endpoint($"/v1/text-to-speech/{Uri.EscapeDataString(voiceId)}/stream-input");
        return new UriBuilder(http)
        {
            Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Query = $"model_id={Uri.EscapeDataString(_options.Model)}&output_format={outputFormat}&inactivity_timeout=20",
        }.Uri;
    }

    private static (byte[]? Audio, bool IsFinal, string? Error) ParseMessage(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, false, "sent a message that is not a JSON object.");
            }

            byte[]? audio = root.TryGetProperty("audio", out var a) && a.ValueKind == JsonValueKind.String ? a.GetBytesFromBase64() : null;
            bool isFinal = root.TryGetProperty("isFinal", out var f) && f.ValueKind == JsonValueKind.True;
            if (audio is null && !isFinal && (root.TryGetProperty("message", out var e) || root.TryGetProperty("error", out e)))
            {
                return (null, false, "refused: " + (e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()));
            }

            return (audio, isFinal, null);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return (null, false, "sent a malformed message: " + ex.Message);
        }
    }

    private static void Validate(string text, string voiceId)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("Nothing to say.", nameof(text));
        }

        if (text.Length > MaxTextLength)
        {
            throw new ArgumentException($"Text longer than {MaxTextLength} characters; speak it sentence by sentence.", nameof(text));
        }

        if (string.IsNullOrWhiteSpace(voiceId) || voiceId.Length > 64)
        {
            throw new ArgumentException($"Unknown voice '{voiceId}'.", nameof(voiceId));
        }
    }

    private static Task SendJsonAsync(ClientWebSocket socket, JsonObject message, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, ct);

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(1000);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The server already closed after isFinal.
        }
    }

    private async Task ConnectAsync(ClientWebSocket socket, Uri uri, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeoutMs);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var status = socket.HttpStatusCode;
            string reason = status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"refused the API key (HTTP {(int)status})",
                HttpStatusCode.NotFound => "does not know that voice (HTTP 404)",
                0 when ex is OperationCanceledException => $"no answer within {_options.ConnectTimeoutMs} ms",
                0 => "unreachable: " + ex.Message,
                _ => $"refused the stream (HTTP {(int)status})",
            };
            logger.LogWarning("ElevenLabs stream to {Host} failed: {Reason}", uri.Authority, reason);
            throw new SpeechProviderException(Name, reason, ex);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        request.Headers.Add("xi-api-key", RequireKey());
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            throw new SpeechProviderException(Name, "unreachable: " + ex.Message, ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            string detail = await response.Content.ReadAsStringAsync(ct);
            int status = (int)response.StatusCode;
            response.Dispose();
            logger.LogWarning("ElevenLabs {Path} answered {Status}", request.RequestUri?.AbsolutePath, status);
            throw new SpeechProviderException(Name, $"HTTP {status}: {(detail.Length > 300 ? detail[..300] : detail)}");
        }

        return response;
    }

    private Uri Endpoint(string pathAndQuery)
    {
        if (!Uri.TryCreate(_options.BaseUrl, UriKind.Absolute, out var baseUri))
        {
            throw new SpeechProviderException(Name, "Voice:TextToSpeech:ElevenLabs:BaseUrl is not an absolute URL.");
        }

        string scheme = baseUri.Scheme is "wss" or "https" ? "https" : "http";
        return new Uri(new UriBuilder(scheme, baseUri.Host, baseUri.Port, baseUri.AbsolutePath.TrimEnd('/')).Uri.ToString().TrimEnd('/') + pathAndQuery);
    }

    private string RequireKey() => string.IsNullOrWhiteSpace(_options.ApiKey)
        ? throw new SpeechProviderException(Name, "no API key configured (Voice:TextToSpeech:ElevenLabs:ApiKey).")
        : _options.ApiKey;
}
