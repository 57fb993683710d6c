using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// Speech-to-text through any OpenAI-compatible <c>POST {BaseUrl}/v1/audio/transcriptions</c> (OpenAI, and the
/// self-hosted whisper servers that copy its API). The endpoint takes whole files, so utterances are cut locally
/// (<see cref="UtteranceSpeechToTextStream"/>) and each is posted as a 16-bit WAV in a <c>multipart/form-data</c> body
/// with <c>file</c>, <c>model</c>, <c>language</c> (ISO-639-1), <c>response_format</c> and <c>temperature=0</c>.
/// </summary>
/// <remarks>
/// API: https://platform.openai.com/docs/api-reference/audio/createTranscription . Response <c>json</c>:
/// <c>{"text": "…"}</c>; <c>verbose_json</c> adds <c>segments[]</c> with <c>avg_logprob</c> and <c>no_speech_prob</c>.
/// Confidence = exp(mean <c>avg_logprob</c>) × (1 − mean <c>no_speech_prob</c>); with <c>json</c> no confidence is
/// reported and 1 is used. 401/403/404 end the stream (see <see cref="SpeechProviderErrors"/>); other failures skip
/// one utterance.
/// </remarks>
public sealed class OpenAiCompatibleSpeechToText(HttpClient http, IOptions<OpenAiSpeechToTextOptions> options, ILoggerFactory loggers) : ISpeechToText
{
    /// <summary>Provider name used in errors and shown to owners.</summary>
    public const string Name = "OpenAI-compatible transcription";

    private readonly OpenAiSpeechToTextOptions _options = options.Value;
    private readonly ILogger _logger = loggers.CreateLogger<OpenAiCompatibleSpeechToText>();

    /// <inheritdoc />
    public string ProviderName => Name;

    /// <inheritdoc />
    /// <exception cref="SpeechProviderException">No base URL configured.</exception>
    public Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(_options.BaseUrl, UriKind.Absolute, out _))
        {
            throw new SpeechProviderException(Name, "no server configured (Voice:SpeechToText:OpenAi:BaseUrl).");
        }

        var stream = new Stream(this, options, _logger);
        return Task.FromResult<ISpeechToTextStream>(stream);
    }

    /// <summary>Transcribes one WAV file.</summary>
    /// <param name="wav">RIFF/WAVE bytes.</param>
    /// <param name="language">BCP 47 language; its primary subtag is sent (<c>en-US</c> → <c>en</c>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The text and confidence.</returns>
    /// <exception cref="SpeechProviderException">The server failed, timed out or answered something unreadable (permanent for 401/403/404).</exception>
    public async Task<RecognizedUtterance> TranscribeAsync(byte[] wav, string language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wav);
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(wav);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        content.Add(file, "file", "utterance.wav");
        content.Add(new StringContent(_options.Model), "model");
        string iso = (language ?? "en").Split('-', '_')[0].ToLowerInvariant();
        if (iso.Length is 2 or 3)
        {
            content.Add(new StringContent(iso), "language");
        }

        content.Add(new StringContent(_options.ResponseFormat), "response_format");
        content.Add(new StringContent("0"), "temperature");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseUrl!.TrimEnd('/') + "/v1/audio/transcriptions")) { Content = content };
        if (!string.IsNullOrWhiteSpace(_options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new SpeechProviderException(Name, ex is OperationCanceledException ? $"no answer within {_options.TimeoutSeconds} s" : "unreachable: " + ex.Message, ex);
        }

        using (response)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                int status = (int)response.StatusCode;
                string message = $"HTTP {status}: {(body.Length > 300 ? body[..300] : body)}";
                throw response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
                    ? SpeechProviderErrors.Permanent(Name, message)
                    : new SpeechProviderException(Name, message);
            }

            return Parse(body);
        }
    }

    private static RecognizedUtterance Parse(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            string text = root.GetProperty("text").GetString() ?? string.Empty;
            if (!root.TryGetProperty("segments", out var segments) || segments.ValueKind != JsonValueKind.Array || segments.GetArrayLength() == 0)
            {
                return new RecognizedUtterance(text, text.Length == 0 ? 0 : 1);
            }

            double logProb = 0, noSpeech = 0;
            int n = 0;
            foreach (var segment in segments.EnumerateArray())
            {
                logProb += segment.TryGetProperty("avg_logprob", out var lp) && lp.ValueKind == JsonValueKind.Number ? lp.GetDouble() : 0;
                noSpeech += segment.TryGetProperty("no_speech_prob", out var ns) && ns.ValueKind == JsonValueKind.Number ? ns.GetDouble() : 0;
                n++;
            }

            double confidence = Math.Exp(logProb / n) * (1 - (noSpeech / n));
            return new RecognizedUtterance(text, Math.Clamp(confidence, 0, 1));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SpeechProviderException(Name, "answered something that is not a transcription: " + ex.Message);
        }
    }

    private sealed class Stream : UtteranceSpeechToTextStream
    {
        private readonly OpenAiCompatibleSpeechToText _owner;

        public Stream(OpenAiCompatibleSpeechToText owner, SpeechToTextOptions options, ILogger logger)
            : base(options, logger)
        {
            _owner = owner;
            Start();
        }

        protected override Task<RecognizedUtterance> RecognizeAsync(short[] pcm, int sampleRateHz, CancellationToken cancellationToken) =>
            _owner.TranscribeAsync(WavWriter.Mono16(pcm, sampleRateHz), Options.Language, cancellationToken);
    }
}
