using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Voice.SpeechToText;

namespace Portal.Voice.TextToSpeech;

/// <summary>
/// Text-to-speech through any OpenAI-compatible <c>POST {BaseUrl}/v1/audio/speech</c>: body
/// <c>{"model", "input", "voice", "response_format": "pcm"}</c>; the answer is raw 24 kHz 16-bit little-endian mono
/// PCM, streamed (chunked), which is resampled and encoded (<see cref="PcmStreamConverter"/>) into the wanted format as
/// it arrives, so the first audio leaves before the sentence is fully synthesized.
/// </summary>
/// <remarks>API: https://platform.openai.com/docs/api-reference/audio/createSpeech (<c>pcm</c>: "24kHz 16-bit signed, low-endian, without the header").</remarks>
public sealed class OpenAiCompatibleTextToSpeech(HttpClient http, IOptions<OpenAiTextToSpeechOptions> options, ILogger<OpenAiCompatibleTextToSpeech> logger) : IStreamingTextToSpeech
{
    /// <summary>Provider name used in errors and shown to owners.</summary>
    public const string Name = "OpenAI-compatible speech";

    /// <summary>Longest input accepted, in characters (OpenAI's limit).</summary>
    public const int MaxTextLength = 4096;

    private readonly OpenAiTextToSpeechOptions _options = options.Value;

    /// <inheritdoc />
    public string ProviderName => Name;

    /// <inheritdoc />
    public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VoiceInfo>>(_options.EffectiveVoices.Select(v => new VoiceInfo(v, char.ToUpperInvariant(v[0]) + v[1..], "en")).ToList());

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Empty or too long text, or a voice not in <see cref="OpenAiTextToSpeechOptions.EffectiveVoices"/>.</exception>
    /// <exception cref="SpeechProviderException">No server configured, or it refused, failed or timed out.</exception>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeStreamAsync(string text, string voiceId, AudioFormat format, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            throw new ArgumentException($"Text must be 1–{MaxTextLength} characters.", nameof(text));
        }

        if (!_options.EffectiveVoices.Contains(voiceId, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Unknown voice '{voiceId}'.", nameof(voiceId));
        }

        if (!Uri.TryCreate(_options.BaseUrl, UriKind.Absolute, out _))
        {
            throw new SpeechProviderException(Name, "no server configured (Voice:TextToSpeech:OpenAi:BaseUrl).");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.BaseUrl!.TrimEnd('/') + "/v1/audio/speech"))
        {
            Content = JsonContent.Create(new { model = _options.Model, input = text.Trim(), voice = voiceId, response_format = "pcm" }),
        };
        if (!string.IsNullOrWhiteSpace(_options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new SpeechProviderException(Name, ex is OperationCanceledException ? $"no answer within {_options.TimeoutSeconds} s" : "unreachable: " + ex.Message, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                string detail = await response.Content.ReadAsStringAsync(cancellationToken);
                logger.LogWarning("OpenAI-compatible speech answered {Status}", (int)response.StatusCode);
                throw new SpeechProviderException(Name, $"HTTP {(int)response.StatusCode}: {(detail.Length > 300 ? detail[..300] : detail)}");
            }

            var converter = new PcmStreamConverter(_options.PcmSampleRateHz, format);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[9600]; // 200 ms at 24 kHz
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                byte[] converted = converter.Convert(buffer.AsSpan(0, read));
                if (converted.Length > 0)
                {
                    yield return converted;
                }
            }
        }
    }
}
