using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Fakes;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.Tests.Providers;

public sealed class OpenAiCompatibleAudioTests : IAsyncLifetime, IDisposable
{
    private FakeOpenAiAudioServer _fake = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _fake = await FakeOpenAiAudioServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private OpenAiCompatibleSpeechToText Stt(string? key = null, string format = "verbose_json") => new(
        _http, Options.Create(new OpenAiSpeechToTextOptions { BaseUrl = _fake.BaseUrl.ToString(), ApiKey = key, Model = "Systran/faster-whisper-small", ResponseFormat = format }), NullLoggerFactory.Instance);

    private OpenAiCompatibleTextToSpeech Tts() => new(
        _http, Options.Create(new OpenAiTextToSpeechOptions { BaseUrl = _fake.BaseUrl.ToString(), ApiKey = "sk-test" }), NullLogger<OpenAiCompatibleTextToSpeech>.Instance);

    private static async Task<List<TranscriptEvent>> RunAsync(ISpeechToText stt, byte[] audio, AudioFormat format)
    {
        await using var stream = await stt.OpenAsync(new SpeechToTextOptions(format, "en-US", EndpointingMs: 500), CancellationToken.None);
        var events = new List<TranscriptEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in stream.ReadTranscriptsAsync(CancellationToken.None))
            {
                events.Add(e);
            }
        });
        await SpokenAudio.SendFramesAsync(stream, audio, format);
        await stream.CompleteAsync(CancellationToken.None);
        await reading.WaitAsync(TimeSpan.FromSeconds(20));
        return events;
    }

    [Fact]
    public async Task Transcriptions_TwoSpokenUtterances_PostsOneWavEach_AndEmitsOneFinalEach()
    {
        _fake.EnqueueTranscripts("I'd like a cleaning tomorrow at 3.", "My name is Ana Lee.");
        byte[] audio = [.. await SpokenAudio.UtteranceAsync("I would like a cleaning tomorrow at three", AudioFormat.Phone),
            .. await SpokenAudio.UtteranceAsync("my name is Ana Lee", AudioFormat.Phone)];

        var events = await RunAsync(Stt(), audio, AudioFormat.Phone);

        Assert.Equal(["I'd like a cleaning tomorrow at 3.", "My name is Ana Lee."], events.Select(e => e.Text));
        Assert.All(events, e => Assert.True(e.IsFinal && e.SpeechFinal));
        Assert.All(events, e => Assert.InRange(e.Confidence, 0.85, 0.95)); // exp(-0.1) × 0.99
        Assert.True(events[1].StartMs > events[0].EndMs);
        var requests = _fake.Transcriptions.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("Systran/faster-whisper-small", r.Model);
            Assert.Equal("en", r.Language);
            Assert.Equal("verbose_json", r.ResponseFormat);
            Assert.Equal(8000, r.SampleRateHz);
            Assert.InRange(r.DurationMs, 1000, 4500); // one utterance, not the whole stream
            Assert.True(r.RmsDbfs > -40, "the posted audio must be the speech");
        });
    }

    [Fact]
    public async Task Transcriptions_JsonFormat_WidebandAudio_Works()
    {
        _fake.EnqueueTranscripts("Yes.");
        var events = await RunAsync(Stt(format: "json"), await SpokenAudio.UtteranceAsync("yes please", AudioFormat.Wideband), AudioFormat.Wideband);

        var e = Assert.Single(events);
        Assert.Equal("Yes.", e.Text);
        Assert.Equal(16000, _fake.Transcriptions.Single().SampleRateHz);
    }

    [Fact]
    public async Task Transcriptions_ServerErrorOnce_SkipsThatUtterance_WithEmptyFinal()
    {
        _fake.FailNextTranscriptions = 1;
        _fake.EnqueueTranscripts("My name is Ana Lee.");
        byte[] audio = [.. await SpokenAudio.UtteranceAsync("hello there", AudioFormat.Phone), .. await SpokenAudio.UtteranceAsync("my name is Ana Lee", AudioFormat.Phone)];

        var events = await RunAsync(Stt(), audio, AudioFormat.Phone);

        Assert.Equal(2, events.Count);
        Assert.Equal((string.Empty, 0.0), (events[0].Text, events[0].Confidence));
        Assert.Equal("My name is Ana Lee.", events[1].Text);
    }

    [Fact]
    public async Task Transcriptions_KeyRefused_FailsTheStream()
    {
        _fake.ApiKey = "sk-right";
        var error = await Assert.ThrowsAsync<SpeechProviderException>(async () => await RunAsync(Stt(key: "sk-wrong"), await SpokenAudio.UtteranceAsync("hello there", AudioFormat.Phone), AudioFormat.Phone));

        Assert.Contains("401", error.Message);
        Assert.DoesNotContain("sk-wrong", error.ToString());
    }

    [Fact]
    public async Task Transcriptions_CompleteMidUtterance_PostsTheWholeUtterance()
    {
        _fake.EnqueueTranscripts("I'd like a cleaning tomorrow at 3.");
        byte[] audio = [.. SpokenAudio.Silence(400, AudioFormat.Phone), .. await SpokenAudio.SayAsync("I would like a cleaning tomorrow at three", AudioFormat.Phone)];

        var events = await RunAsync(Stt(), audio, AudioFormat.Phone);

        var e = Assert.Single(events);
        Assert.Equal("I'd like a cleaning tomorrow at 3.", e.Text);
        Assert.InRange(e.StartMs, 300, 600);
        Assert.InRange(_fake.Transcriptions.Single().DurationMs, 1500, 4500);
    }

    [Fact]
    public async Task Transcriptions_SilenceOnly_PostsNothing()
    {
        var events = await RunAsync(Stt(), SpokenAudio.Silence(3000, AudioFormat.Phone), AudioFormat.Phone);

        Assert.Empty(events);
        Assert.Empty(_fake.Transcriptions);
    }

    [Fact]
    public async Task Speech_Pcm24k_ConvertedToPhoneMuLaw_IsSpeech()
    {
        using var all = new MemoryStream();
        await foreach (var chunk in Tts().SynthesizeStreamAsync("Your appointment is booked for Tuesday at three.", "nova", AudioFormat.Phone, CancellationToken.None))
        {
            all.Write(chunk.Span);
        }

        var request = Assert.Single(_fake.SpeechRequests);
        Assert.Equal(("tts-1", "nova", "pcm"), (request.Model, request.Voice, request.Format));
        byte[] ulaw = all.ToArray();
        Assert.InRange(ulaw.Length / 8000.0, 1.5, 6);
        Assert.True(SpokenAudio.RmsDbfs(PcmStreamConverter.ToPcm16(ulaw, AudioFormat.Phone)) > -35);
    }

    [Fact]
    public async Task Speech_UnknownVoice_Throws_BeforeAnyRequest()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var _ in Tts().SynthesizeStreamAsync("Hi.", "nobody", AudioFormat.Phone, CancellationToken.None))
            {
            }
        });
        Assert.Empty(_fake.SpeechRequests);
    }

    [Fact]
    public async Task EspeakStreaming_WidebandPcm_IsSpeechInChunks()
    {
        int chunks = 0;
        long bytes = 0;
        await foreach (var chunk in SpokenAudio.Espeak.SynthesizeStreamAsync("Hello, this is the offline voice.", "en-us", AudioFormat.Wideband, CancellationToken.None))
        {
            chunks++;
            bytes += chunk.Length;
            Assert.True(chunk.Length <= 3200);
        }

        Assert.True(chunks > 5);
        Assert.InRange(bytes / 32000.0, 1.0, 5.0);
    }
}
