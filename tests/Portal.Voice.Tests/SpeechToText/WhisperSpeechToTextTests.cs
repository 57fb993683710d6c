using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Voice.SpeechToText;
using Portal.Voice.SpeechToText.LanguageModels;

namespace Portal.Voice.Tests.SpeechToText;

public sealed class WhisperSpeechToTextTests : IDisposable
{
    // Not a model: whether a file exists is all the selection looks at (no transcript is ever produced from it).
    private readonly string _modelFile = Path.GetTempFileName();

    public void Dispose() => File.Delete(_modelFile);

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPortalVoice();
        builder.Services.AddLogging();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void NoModelPath_WhisperIsNotOffered()
    {
        using var sp = Build([]);

        Assert.DoesNotContain(SpeechProviders.Whisper, sp.GetRequiredService<SpeechProviders>().SpeechToTextNames);
        Assert.False(sp.GetRequiredService<WhisperSpeechToText>().IsAvailable);
    }

    [Fact]
    public async Task ModelPathToMissingFile_IsNotOffered_AndOpenFailsPermanently()
    {
        using var sp = Build(new() { ["Voice:SpeechToText:Whisper:ModelPath"] = "/nonexistent/ggml-base.en.bin" });
        var whisper = sp.GetRequiredService<WhisperSpeechToText>();

        Assert.DoesNotContain(SpeechProviders.Whisper, sp.GetRequiredService<SpeechProviders>().SpeechToTextNames);
        Assert.Contains("not found", whisper.UnavailableReason, StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<SpeechProviderException>(() => whisper.OpenAsync(new SpeechToTextOptions(AudioFormat.Phone), CancellationToken.None));
        Assert.True(SpeechProviderErrors.IsPermanent(error));
    }

    [Fact]
    public void ModelFilePresent_WhisperIsOffered_AndIsTheKeylessDefault()
    {
        using var sp = Build(new() { ["Voice:SpeechToText:Whisper:ModelPath"] = _modelFile });
        var providers = sp.GetRequiredService<SpeechProviders>();

        Assert.Contains(SpeechProviders.Whisper, providers.SpeechToTextNames);
        Assert.Equal(SpeechProviders.Whisper, providers.DefaultSpeechToTextName);
        Assert.IsType<WhisperSpeechToText>(providers.GetSpeechToText("Whisper"));
    }

    [Fact]
    public void KeyedVendor_StaysTheDefault_WhisperSelectableByName()
    {
        using var sp = Build(new() { ["Voice:SpeechToText:Whisper:ModelPath"] = _modelFile, ["Voice:SpeechToText:Deepgram:ApiKey"] = "dg-key" });
        var providers = sp.GetRequiredService<SpeechProviders>();

        Assert.Equal(SpeechProviders.Deepgram, providers.DefaultSpeechToTextName);
        Assert.IsType<WhisperSpeechToText>(providers.GetSpeechToText("whisper"));
    }

    [Fact]
    public void ProviderWhisper_WithoutModelPath_FailsValidation()
    {
        using var sp = Build(new() { ["Voice:SpeechToText:Provider"] = "whisper" });

        var error = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<SpeechProviderSelection>>().Value);
        Assert.Contains("Whisper:ModelPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PhoneAudio_IsUpsampledTo16kFloats_KeepingPitchAndLevel()
    {
        // One second of a 440 Hz tone at half scale, 8 kHz.
        var pcm = Enumerable.Range(0, 8000).Select(i => (short)(16384 * Math.Sin(2 * Math.PI * 440 * i / 8000))).ToArray();

        var samples = WhisperAudio.ToSamples(pcm, 8000);

        Assert.InRange(samples.Length, 15_900, 16_000);
        var steady = samples[800..^800];
        Assert.InRange(steady.Max(), 0.45f, 0.55f);
        Assert.InRange(steady.Min(), -0.55f, -0.45f);
        int crossings = Enumerable.Range(1, steady.Length - 1).Count(i => steady[i - 1] < 0 && steady[i] >= 0);
        double hz = crossings / (steady.Length / 16000.0);
        Assert.InRange(hz, 430, 450);
    }

    [Fact]
    public void WidebandAudio_IsOnlyScaled()
    {
        short[] pcm = [0, 16384, -32768, 32767];

        Assert.Equal([0f, 0.5f, -1f, 32767 / 32768f], WhisperAudio.ToSamples(pcm, 16000));
    }

    [Fact]
    public void Prompt_NamesTheBusinessServicesAndPeople_AndIsBounded()
    {
        var prompt = WhisperAudio.Prompt(new SpeechVocabulary("Bright Smile Dental", ["Teeth Cleaning", "Whitening", "whitening", " "], ["Dr. Patel"]));
        var longPrompt = WhisperAudio.Prompt(new SpeechVocabulary("X", Enumerable.Range(0, 300).Select(i => $"Service number {i}").ToList(), []));

        Assert.Equal("Bright Smile Dental. Teeth Cleaning, Whitening. Dr. Patel.", prompt);
        Assert.Null(WhisperAudio.Prompt(null));
        Assert.InRange(longPrompt!.Length, 1, WhisperAudio.MaxPromptLength);
    }

    [Fact]
    public async Task VocabularyDecorator_FillsTheBusinessVocabulary_UnlessGiven()
    {
        var seen = new List<SpeechToTextOptions>();
        var business = new SpeechVocabulary("Luna", ["Haircut"], []);
        var other = new SpeechVocabulary("Other", [], []);
        var stt = new VocabularySpeechToText(new RecordingSpeechToText(seen), business);

        await Assert.ThrowsAsync<SpeechProviderException>(() => stt.OpenAsync(new SpeechToTextOptions(AudioFormat.Phone), CancellationToken.None));
        await Assert.ThrowsAsync<SpeechProviderException>(() => stt.OpenAsync(new SpeechToTextOptions(AudioFormat.Phone, Vocabulary: other), CancellationToken.None));

        Assert.Same(business, seen[0].Vocabulary);
        Assert.Same(other, seen[1].Vocabulary);
        Assert.Equal("recording", stt.ProviderName);
    }

    private sealed class RecordingSpeechToText(List<SpeechToTextOptions> seen) : ISpeechToText
    {
        public string ProviderName => "recording";

        public Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
        {
            seen.Add(options);
            return Task.FromException<ISpeechToTextStream>(new SpeechProviderException(ProviderName, "not a real recognizer"));
        }
    }
}
