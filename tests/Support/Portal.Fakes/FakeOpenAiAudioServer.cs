using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;

namespace Portal.Fakes;

/// <summary>One transcription request received by <see cref="FakeOpenAiAudioServer"/>.</summary>
/// <param name="Model"><c>model</c> field.</param>
/// <param name="Language"><c>language</c> field (null when absent).</param>
/// <param name="ResponseFormat"><c>response_format</c> field.</param>
/// <param name="FileName">Uploaded file name.</param>
/// <param name="SampleRateHz">Sample rate of the uploaded WAV.</param>
/// <param name="DurationMs">Length of the uploaded audio, ms.</param>
/// <param name="RmsDbfs">Energy of the uploaded audio, dBFS.</param>
/// <param name="Answer">Transcript sent back.</param>
public sealed record FakeTranscriptionRequest(string Model, string? Language, string ResponseFormat, string FileName, int SampleRateHz, int DurationMs, double RmsDbfs, string Answer);

/// <summary>
/// A fake OpenAI audio API on 127.0.0.1: <c>POST /v1/audio/transcriptions</c> (multipart: <c>file</c> as WAV, <c>model</c>,
/// <c>language</c>, <c>response_format</c> json|verbose_json|text) answers the next scripted transcript, after checking
/// the file is a real WAV; <c>POST /v1/audio/speech</c> (JSON <c>model</c>/<c>input</c>/<c>voice</c>/<c>response_format</c>
/// pcm|wav) answers real espeak-ng speech, <c>pcm</c> being raw 24 kHz PCM16 LE, streamed in chunks.
/// Keys: <c>Authorization: Bearer &lt;key&gt;</c> when <see cref="ApiKey"/> is set (401 otherwise); errors use OpenAI's
/// <c>{"error": {"message", "type", "code"}}</c> shape.
/// </summary>
public sealed class FakeOpenAiAudioServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _script = new();
    private LoopbackServer _server = null!;

    private FakeOpenAiAudioServer()
    {
    }

    /// <summary>The <c>http://127.0.0.1:port</c> origin.</summary>
    public Uri BaseUrl => _server.BaseUrl;

    /// <summary>Required bearer key; null accepts any request (a self-hosted server).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Voices the speech endpoint knows; null accepts any. Any other voice gets OpenAI's 400 <c>invalid_value</c> answer
    /// ("Invalid value: 'x'. Supported values are: …"), as a self-hosted server with its own voice names does for OpenAI's.
    /// </summary>
    public IReadOnlySet<string>? KnownVoices { get; set; }

    /// <summary>Answers 500 to the next N transcription requests.</summary>
    public int FailNextTranscriptions { get; set; }

    /// <summary>Transcription requests received.</summary>
    public ConcurrentQueue<FakeTranscriptionRequest> Transcriptions { get; } = new();

    /// <summary>Speech requests received: (model, voice, input, response_format).</summary>
    public ConcurrentQueue<(string Model, string Voice, string Input, string Format)> SpeechRequests { get; } = new();

    /// <summary>Starts the fake.</summary>
    /// <returns>The running fake.</returns>
    public static async Task<FakeOpenAiAudioServer> StartAsync()
    {
        var fake = new FakeOpenAiAudioServer();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>Queues the transcripts of the next transcription requests (an empty queue answers "").</summary>
    /// <param name="transcripts">Transcripts in order.</param>
    public void EnqueueTranscripts(params string[] transcripts)
    {
        foreach (var t in transcripts)
        {
            _script.Enqueue(t);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static Task ErrorAsync(HttpContext context, int status, string message, string type, string? code = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = new { message, type, param = (string?)null, code } });
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (ApiKey is not null && context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
        {
            await ErrorAsync(context, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
            return;
        }

        switch (context.Request.Path.Value)
        {
            case "/v1/audio/transcriptions" when HttpMethods.IsPost(context.Request.Method):
                await TranscribeAsync(context);
                break;
            case "/v1/audio/speech" when HttpMethods.IsPost(context.Request.Method):
                await SpeakAsync(context);
                break;
            default:
                await ErrorAsync(context, 404, "Unknown endpoint.", "invalid_request_error");
                break;
        }
    }

    private async Task TranscribeAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await ErrorAsync(context, 400, "Expected multipart/form-data.", "invalid_request_error");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var file = form.Files["file"];
        string model = form["model"].ToString();
        if (file is null || string.IsNullOrEmpty(model))
        {
            await ErrorAsync(context, 400, "file and model are required.", "invalid_request_error");
            return;
        }

        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes, context.RequestAborted);
        if (!WavPcm.TryRead(bytes.ToArray(), out short[]? samples, out int rate, out string? error))
        {
            await ErrorAsync(context, 400, "Invalid file format: " + error, "invalid_request_error");
            return;
        }

        if (FailNextTranscriptions > 0)
        {
            FailNextTranscriptions--;
            await ErrorAsync(context, 500, "The server had an error while processing your request.", "server_error");
            return;
        }

        string format = form["response_format"].ToString() is { Length: > 0 } f ? f : "json";
        string answer = _script.TryDequeue(out var t) ? t : string.Empty;
        double sum = samples.Sum(s => (double)s * s);
        double rms = samples.Length == 0 ? -100 : 20 * Math.Log10(Math.Max(1e-9, Math.Sqrt(sum / samples.Length) / 32768.0));
        int durationMs = samples.Length * 1000 / rate;
        Transcriptions.Enqueue(new FakeTranscriptionRequest(model, form["language"].FirstOrDefault(), format, file.FileName, rate, durationMs, rms, answer));
        switch (format)
        {
            case "text":
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(answer);
                break;
            case "verbose_json":
                await context.Response.WriteAsJsonAsync(new
                {
                    task = "transcribe",
                    language = "english",
                    duration = durationMs / 1000.0,
                    text = answer,
                    segments = new[]
                    {
                        new { id = 0, seek = 0, start = 0.0, end = durationMs / 1000.0, text = answer, tokens = Array.Empty<int>(), temperature = 0.0, avg_logprob = -0.1, compression_ratio = 1.2, no_speech_prob = 0.01 },
                    },
                });
                break;
            default:
                await context.Response.WriteAsJsonAsync(new { text = answer });
                break;
        }
    }

    private async Task SpeakAsync(HttpContext context)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            await ErrorAsync(context, 400, "Invalid JSON body.", "invalid_request_error");
            return;
        }

        string? Get(string name) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        string? input = Get("input");
        string? voice = Get("voice");
        string? model = Get("model");
        string format = Get("response_format") ?? "mp3";
        if (string.IsNullOrWhiteSpace(input) || string.IsNullOrWhiteSpace(voice) || string.IsNullOrWhiteSpace(model))
        {
            await ErrorAsync(context, 400, "model, input and voice are required.", "invalid_request_error");
            return;
        }

        if (KnownVoices is { } known && !known.Contains(voice))
        {
            await ErrorAsync(context, 400, $"Invalid value: '{voice}'. Supported values are: {string.Join(", ", known.Order(StringComparer.Ordinal).Select(v => $"'{v}'"))}.", "invalid_request_error", "invalid_value");
            return;
        }

        if (format is not ("pcm" or "wav"))
        {
            await ErrorAsync(context, 400, "The fake only produces pcm and wav.", "invalid_request_error");
            return;
        }

        SpeechRequests.Enqueue((model, voice, input, format));
        byte[] pcm = await EspeakAudio.SayAsync(input, new AudioFormat(AudioEncoding.Linear16, 24_000), cancellationToken: context.RequestAborted);
        byte[] payload = format == "wav" ? WavWriter.Mono16(PcmBytesToSamples(pcm), 24_000) : pcm;
        context.Response.ContentType = format == "wav" ? "audio/wav" : "audio/pcm";
        // Odd-sized chunks on purpose: clients must handle a sample split across reads.
        for (int offset = 0; offset < payload.Length; offset += 4801)
        {
            await context.Response.Body.WriteAsync(payload.AsMemory(offset, Math.Min(4801, payload.Length - offset)), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private static short[] PcmBytesToSamples(byte[] pcm) => Voice.TextToSpeech.PcmStreamConverter.ToPcm16(pcm, new AudioFormat(AudioEncoding.Linear16, 24_000));
}
