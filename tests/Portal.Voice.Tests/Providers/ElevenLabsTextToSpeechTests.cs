using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Fakes;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.Tests.Providers;

public sealed class ElevenLabsTextToSpeechTests : IAsyncLifetime, IDisposable
{
    private const string Rachel = "21m00Tcm4TlvDq8ikWAM";
    private FakeElevenLabsServer _fake = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeElevenLabsServer.StartAsync();
        _http = new HttpClient();
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private ElevenLabsTextToSpeech Client(string? key = null) => new(
        _http,
        Options.Create(new ElevenLabsOptions { BaseUrl = _fake.BaseUrl.ToString(), ApiKey = key ?? FakeElevenLabsServer.DefaultApiKey }),
        NullLogger<ElevenLabsTextToSpeech>.Instance);

    private static async Task<(byte[] Audio, int Chunks)> CollectAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> stream)
    {
        using var all = new MemoryStream();
        int chunks = 0;
        await foreach (var chunk in stream)
        {
            all.Write(chunk.Span);
            chunks++;
        }

        return (all.ToArray(), chunks);
    }

    [Fact]
    public async Task StreamInput_Ulaw8000_ReturnsNonSilentSpeechInSeveralChunks()
    {
        var (audio, chunks) = await CollectAsync(Client().SynthesizeStreamAsync("Thanks for calling Bright Smile Dental. How can I help?", Rachel, AudioFormat.Phone, CancellationToken.None));

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("stream-input", request.Kind);
        Assert.Equal("ulaw_8000", request.Query["output_format"]);
        Assert.Equal("eleven_flash_v2_5", request.Query["model_id"]);
        Assert.Equal([" ", "Thanks for calling Bright Smile Dental. How can I help? ", ""], request.Texts);
        Assert.Equal(request.AudioBytes, audio.Length);
        Assert.True(chunks > 3, $"{chunks} chunk(s)");
        Assert.InRange(audio.Length / 8000.0, 2.0, 8.0); // seconds of 8 kHz μ-law
        var pcm = PcmStreamConverter.ToPcm16(audio, AudioFormat.Phone);
        Assert.True(SpokenAudio.RmsDbfs(pcm) > -35, "speech expected, got near silence");
        Assert.True(audio.Count(b => b == 0xFF) < audio.Length / 2, "mostly μ-law silence");
    }

    [Fact]
    public async Task StreamInput_Pcm16000_ReturnsEvenLengthPcm()
    {
        var (audio, _) = await CollectAsync(Client().SynthesizeStreamAsync("Hello there.", Rachel, AudioFormat.Wideband, CancellationToken.None));

        Assert.Equal("pcm_16000", _fake.Requests.Single().Query["output_format"]);
        Assert.Equal(0, audio.Length % 2);
        Assert.True(SpokenAudio.RmsDbfs(PcmStreamConverter.ToPcm16(audio, AudioFormat.Wideband)) > -35);
    }

    [Fact]
    public async Task HttpStream_ForPreview_ReturnsSpeech()
    {
        var (audio, _) = await CollectAsync(Client().SynthesizeHttpStreamAsync("This is how I sound.", Rachel, AudioFormat.Phone, CancellationToken.None));

        Assert.Equal("http-stream", _fake.Requests.Single().Kind);
        Assert.True(audio.Length > 8000);
        Assert.True(SpokenAudio.RmsDbfs(PcmStreamConverter.ToPcm16(audio, AudioFormat.Phone)) > -35);
    }

    [Fact]
    public async Task ListVoices_ReadsTheVoiceList()
    {
        var voices = await Client().ListVoicesAsync(CancellationToken.None);

        Assert.Equal(3, voices.Count);
        Assert.Contains(voices, v => v.Id == Rachel && v.Name == "Rachel (american)" && v.Language == "en");
    }

    [Fact]
    public async Task WrongKey_FailsWithProviderError_OnSocketAndHttp()
    {
        var socketError = await Assert.ThrowsAsync<SpeechProviderException>(() => CollectAsync(Client("nope").SynthesizeStreamAsync("Hi.", Rachel, AudioFormat.Phone, CancellationToken.None)));
        var httpError = await Assert.ThrowsAsync<SpeechProviderException>(() => Client("nope").ListVoicesAsync(CancellationToken.None));

        Assert.Contains("Invalid API key", socketError.Message);
        Assert.Contains("401", httpError.Message);
        Assert.DoesNotContain("nope", socketError.ToString() + httpError);
    }

    [Fact]
    public async Task UnknownVoice_FailsWithProviderError()
    {
        var error = await Assert.ThrowsAsync<SpeechProviderException>(() => CollectAsync(Client().SynthesizeStreamAsync("Hi.", "no-such-voice", AudioFormat.Phone, CancellationToken.None)));

        Assert.Contains("404", error.Message);
    }

    [Fact]
    public async Task BadInput_ThrowsArgumentException_BeforeAnyRequest()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => CollectAsync(Client().SynthesizeStreamAsync(" ", Rachel, AudioFormat.Phone, CancellationToken.None)));
        await Assert.ThrowsAsync<ArgumentException>(() => CollectAsync(Client().SynthesizeStreamAsync("Hi.", Rachel, new AudioFormat(AudioEncoding.MuLaw, 16000), CancellationToken.None)));
        Assert.Empty(_fake.Requests);
    }
}
