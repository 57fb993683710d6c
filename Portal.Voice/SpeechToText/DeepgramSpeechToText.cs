using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// Deepgram live streaming speech-to-text over a WebSocket: <c>{BaseUrl}/v1/listen</c> with
/// <c>encoding=mulaw&amp;sample_rate=8000</c> for calls (<c>linear16</c> for wideband audio), <c>channels=1</c>,
/// <c>interim_results=true</c>, <c>endpointing</c>, <c>utterance_end_ms</c>, <c>vad_events</c> and the model;
/// header <c>Authorization: Token &lt;key&gt;</c>. Audio goes as binary frames, control messages as text.
/// </summary>
/// <remarks>
/// Protocol: docs/protocols/deepgram.md, from https://developers.deepgram.com/reference/speech-to-text-api/listen-streaming and
/// deepgram-dotnet-sdk <c>Clients/Listen/v1/WebSocket/Client.cs</c>.
/// </remarks>
public sealed class DeepgramSpeechToText(IOptions<DeepgramOptions> options, ILoggerFactory loggers) : ISpeechToText
{
    /// <summary>Provider name used in errors and shown to owners.</summary>
    public const string Name = "Deepgram";

    private readonly DeepgramOptions _options = options.Value;
    private readonly ILogger _logger = loggers.CreateLogger<DeepgramSpeechToText>();

    /// <inheritdoc />
    public string ProviderName => Name;

    /// <summary>Builds the <c>/v1/listen</c> URL for <paramref name="request"/> (exposed for tests and logs; holds no secret).</summary>
    /// <param name="request">What to listen for.</param>
    /// <returns>The <c>ws</c>/<c>wss</c> URL.</returns>
    /// <exception cref="SpeechProviderException"><see cref="DeepgramOptions.BaseUrl"/> is not an absolute URL.</exception>
    public Uri BuildListenUri(SpeechToTextOptions request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Uri.TryCreate(_options.BaseUrl, UriKind.Absolute, out var baseUri))
        {
            throw new SpeechProviderException(Name, "Voice:SpeechToText:Deepgram:BaseUrl is not an absolute URL.");
        }

        string scheme = baseUri.Scheme is "https" or "wss" ? "wss" : "ws";
        var query = new StringBuilder();
        void Add(string key, string value) => query.Append(query.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
        Add("encoding", request.Format.Encoding == AudioEncoding.MuLaw ? "mulaw" : "linear16");
        Add("sample_rate", request.Format.SampleRateHz.ToString(CultureInfo.InvariantCulture));
        Add("channels", "1");
        Add("interim_results", "true");
        Add("endpointing", request.EndpointingMs.ToString(CultureInfo.InvariantCulture));
        if (_options.UtteranceEndMs > 0)
        {
            Add("utterance_end_ms", _options.UtteranceEndMs.ToString(CultureInfo.InvariantCulture));
        }

        Add("vad_events", "true");
        Add("punctuate", "true");
        Add("smart_format", "true");
        Add("model", _options.Model);
        Add("language", request.Language);
        foreach (var keyword in request.Keywords ?? [])
        {
            if (!string.IsNullOrWhiteSpace(keyword))
            {
                // nova-3 takes "keyterm"; older models "keywords". Both are accepted as query parameters.
                Add(_options.Model.StartsWith("nova-3", StringComparison.Ordinal) ? "keyterm" : "keywords", keyword.Trim());
            }
        }

        var path = baseUri.AbsolutePath.TrimEnd('/') + "/v1/listen";
        return new UriBuilder(scheme, baseUri.Host, baseUri.Port, path) { Query = query.ToString()[1..] }.Uri;
    }

    /// <inheritdoc />
    /// <exception cref="SpeechProviderException">No API key, the server is unreachable, or it refused the handshake (401/403/400...).</exception>
    public async Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(_options.ApiKey))
        {
            throw new SpeechProviderException(Name, "no API key configured (Voice:SpeechToText:Deepgram:ApiKey).");
        }

        var uri = BuildListenUri(options);
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Token " + _options.ApiKey);
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeoutMs);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            string reason = status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"refused the API key (HTTP {(int)status})",
                0 when ex is OperationCanceledException => $"no answer within {_options.ConnectTimeoutMs} ms",
                0 => "unreachable: " + ex.Message,
                _ => $"refused the stream (HTTP {(int)status})",
            };
            _logger.LogWarning("Deepgram stream to {Host} failed: {Reason}", uri.Authority, reason);
            throw new SpeechProviderException(Name, reason, ex);
        }

        _logger.LogDebug("Deepgram stream open ({Encoding}, {SampleRate} Hz)", options.Format.Encoding, options.Format.SampleRateHz);
        return new DeepgramSpeechToTextStream(socket, _options, _logger);
    }
}
