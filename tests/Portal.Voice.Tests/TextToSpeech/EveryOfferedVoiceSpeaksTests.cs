using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Fakes;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.Tests.TextToSpeech;

/// <summary>
/// Every voice the wizard and the Agent page offer (<see cref="VoiceCatalog"/>) must speak on a call: for each provider of a
/// deployment with all three configured (espeak-ng for real, ElevenLabs and an OpenAI-compatible server as loopback fakes
/// that speak with espeak-ng), each offered voice says a sentence in the phone format (8 kHz μ-law, what callers hear)
/// and the audio must hold at least half a second of speech. Voices a provider lists but cannot speak must not be offered.
/// </summary>
public sealed class EveryOfferedVoiceSpeaksTests : IAsyncLifetime
{
    private const string Sentence = "Thank you for calling. How can I help you today?";
    private FakeElevenLabsServer _elevenLabs = null!;
    private FakeOpenAiAudioServer _openAi = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _elevenLabs = await FakeElevenLabsServer.StartAsync();
        _openAi = await FakeOpenAiAudioServer.StartAsync();
        // A self-hosted OpenAI-compatible server with its own names: "storm" is configured here but unknown to it.
        _openAi.KnownVoices = new HashSet<string>(StringComparer.Ordinal) { "alloy", "nova" };
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Voice:TextToSpeech:ElevenLabs:BaseUrl"] = _elevenLabs.BaseUrl.ToString(),
            ["Voice:TextToSpeech:ElevenLabs:ApiKey"] = FakeElevenLabsServer.DefaultApiKey,
            ["Voice:TextToSpeech:OpenAi:BaseUrl"] = _openAi.BaseUrl.ToString(),
            ["Voice:TextToSpeech:OpenAi:Voices:0"] = "alloy",
            ["Voice:TextToSpeech:OpenAi:Voices:1"] = "storm",
            ["Voice:TextToSpeech:OpenAi:Voices:2"] = "nova",
        });
        builder.AddPortalVoice();
        builder.Services.AddLogging();
        _services = builder.Services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _elevenLabs.DisposeAsync();
        await _openAi.DisposeAsync();
    }

    [Theory]
    [InlineData(SpeechProviders.Espeak)]
    [InlineData(SpeechProviders.ElevenLabs)]
    [InlineData(SpeechProviders.OpenAi)]
    public async Task EveryOfferedVoice_SpeaksAtLeastHalfASecond_OnTheCallPath(string provider)
    {
        var providers = _services.GetRequiredService<SpeechProviders>();
        Assert.Contains(provider, providers.TextToSpeechNames);
        var catalog = _services.GetRequiredService<VoiceCatalog>();
        var tts = providers.GetTextToSpeech(provider);

        var offered = await catalog.ListAsync(provider, CancellationToken.None);

        Assert.NotEmpty(offered);
        foreach (var voice in offered)
        {
            var pcm = PcmStreamConverter.ToPcm16(await CollectAsync(tts.SynthesizeStreamAsync(Sentence, voice.Id, AudioFormat.Phone, CancellationToken.None)), AudioFormat.Phone);
            double spoken = SpeechMeasure.SpokenSeconds(pcm, AudioFormat.Phone.SampleRateHz);
            Assert.True(spoken >= VoiceCatalog.MinimumSpeechSeconds, $"{provider} voice {voice.Id} ({voice.Name}) spoke only {spoken:0.00} s");
            Assert.False(string.IsNullOrWhiteSpace(voice.Name));
            Assert.NotEqual(voice.Id, voice.Name); // a display name, not the internal id
        }
    }

    [Theory]
    [InlineData(SpeechProviders.Espeak)]
    [InlineData(SpeechProviders.OpenAi)]
    public async Task ListedVoicesThatCannotSpeak_AreNotOffered(string provider)
    {
        var providers = _services.GetRequiredService<SpeechProviders>();
        var catalog = _services.GetRequiredService<VoiceCatalog>();
        var tts = providers.GetTextToSpeech(provider);

        var probes = await catalog.ProbesAsync(provider, CancellationToken.None);
        var offered = await catalog.ListAsync(provider, CancellationToken.None);

        Assert.Equal(probes.Where(p => p.Error is null).Select(p => p.Voice.Id), offered.Select(v => v.Id));
        foreach (var refused in probes.Where(p => p.Error is not null))
        {
            // Not offered means it really cannot speak, not that the probe was careless.
            var spoken = await SpokenSecondsOrZeroAsync(tts, refused.Voice.Id);
            Assert.True(spoken < VoiceCatalog.MinimumSpeechSeconds, $"{refused.Voice.Id} speaks ({spoken:0.00} s) but is not offered: {refused.Error}");
        }

        if (provider == SpeechProviders.OpenAi)
        {
            var storm = Assert.Single(probes, p => p.Voice.Id == "storm");
            Assert.Contains("Invalid value", storm.Error, StringComparison.Ordinal);
            Assert.Equal(["alloy", "nova"], offered.Select(v => v.Id));
        }
    }

    [Fact]
    public async Task Espeak_OffersLanguageVoicesByName_NeverTheVariantRows()
    {
        var offered = await _services.GetRequiredService<VoiceCatalog>().ListAsync(SpeechProviders.Espeak, CancellationToken.None);

        Assert.Equal(EspeakTextToSpeech.DefaultVoice, offered[0].Id); // the default voice of calls comes first
        Assert.Contains(offered, v => v.Id == "en-us+f3" && v.Name == "English (America), female");
        Assert.DoesNotContain(offered, v => v.Id.StartsWith("variant", StringComparison.Ordinal));
        Assert.DoesNotContain(offered, v => v.Name.Contains("Storm", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<double> SpokenSecondsOrZeroAsync(IStreamingTextToSpeech tts, string voice)
    {
        try
        {
            var pcm = PcmStreamConverter.ToPcm16(await CollectAsync(tts.SynthesizeStreamAsync(Sentence, voice, AudioFormat.Phone, CancellationToken.None)), AudioFormat.Phone);
            return SpeechMeasure.SpokenSeconds(pcm, AudioFormat.Phone.SampleRateHz);
        }
        catch (Exception ex) when (ex is ArgumentException or SpeechProviderException)
        {
            return 0;
        }
    }

    private static async Task<byte[]> CollectAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> audio)
    {
        using var all = new MemoryStream();
        await foreach (var chunk in audio)
        {
            all.Write(chunk.Span);
        }

        return all.ToArray();
    }
}
