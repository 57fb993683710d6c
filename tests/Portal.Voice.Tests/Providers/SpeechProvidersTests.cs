using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.Tests.Providers;

public sealed class SpeechProvidersTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPortalVoice();
        builder.Services.AddLogging();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void Keyless_DefaultsToEspeak_AndPocketsphinxWhenInstalled()
    {
        using var sp = Build([]);
        var providers = sp.GetRequiredService<SpeechProviders>();

        Assert.IsType<EspeakStreamingTextToSpeech>(providers.DefaultTextToSpeech);
        Assert.Equal([SpeechProviders.Espeak], providers.TextToSpeechNames);
        bool installed = sp.GetRequiredService<PocketsphinxSpeechToText>().IsAvailable;
        Assert.Equal(installed ? SpeechProviders.Pocketsphinx : SpeechProviders.None, providers.DefaultSpeechToTextName);
        Assert.Equal(installed, providers.DefaultSpeechToText is PocketsphinxSpeechToText);
        Assert.NotNull(sp.GetRequiredService<ITextToSpeech>()); // the existing registration keeps working
    }

    [Fact]
    public void Keyed_DefaultsToTheVendors_AndNamedLookupFallsBack()
    {
        using var sp = Build(new()
        {
            ["Voice:SpeechToText:Deepgram:ApiKey"] = "dg-key",
            ["Voice:TextToSpeech:ElevenLabs:ApiKey"] = "xi-key",
            ["Voice:TextToSpeech:OpenAi:BaseUrl"] = "http://tts.local:8000",
        });
        var providers = sp.GetRequiredService<SpeechProviders>();

        Assert.IsType<DeepgramSpeechToText>(providers.DefaultSpeechToText);
        Assert.IsType<ElevenLabsTextToSpeech>(providers.DefaultTextToSpeech);
        Assert.IsType<OpenAiCompatibleTextToSpeech>(providers.GetTextToSpeech("OpenAI"));
        Assert.IsType<EspeakStreamingTextToSpeech>(providers.GetTextToSpeech("espeak"));
        Assert.IsType<ElevenLabsTextToSpeech>(providers.GetTextToSpeech("unknown-vendor"));
        Assert.IsType<DeepgramSpeechToText>(providers.GetSpeechToText("openai")); // not configured: default
        Assert.Null(providers.GetSpeechToText("none"));
    }

    [Fact]
    public void ExplicitProvider_WithoutItsKey_FailsValidation()
    {
        using var sp = Build(new() { ["Voice:TextToSpeech:Provider"] = "elevenlabs" });

        var error = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<SpeechProviderSelection>>().Value);
        Assert.Contains("ElevenLabs:ApiKey", error.Message);
    }

    [Fact]
    public void UnknownProviderName_FailsValidation()
    {
        using var sp = Build(new() { ["Voice:SpeechToText:Provider"] = "whisperx" });

        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<SpeechProviderSelection>>().Value);
    }

    [Fact]
    public void ExplicitNone_HasNoSpeechToText()
    {
        using var sp = Build(new() { ["Voice:SpeechToText:Provider"] = "none" });

        Assert.Null(sp.GetRequiredService<SpeechProviders>().DefaultSpeechToText);
    }
}
