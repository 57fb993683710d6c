using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.SpeechToText;

/// <summary>Registers the speech providers and <see cref="SpeechProviders"/>.</summary>
public static class SpeechProviderServiceCollectionExtensions
{
    /// <summary>Configuration section of the speech-to-text settings.</summary>
    public const string SpeechToTextSection = "Voice:SpeechToText";

    /// <summary>Configuration section of the text-to-speech settings.</summary>
    public const string TextToSpeechSection = "Voice:TextToSpeech";

    /// <summary>
    /// Binds the provider options (<c>Voice:SpeechToText:{Deepgram|OpenAi|Whisper|Pocketsphinx}</c>,
    /// <c>Voice:TextToSpeech:{ElevenLabs|OpenAi}</c>) with DataAnnotations validation on start, registers every provider as
    /// a keyed service under its <see cref="SpeechProviders"/> name (HTTP providers as typed <see cref="HttpClient"/>s
    /// with their configured timeouts), and <see cref="SpeechProviders"/> as a singleton. Unconfigured vendors are
    /// registered but not offered. Requires <see cref="EspeakTextToSpeech"/> to be registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">Root configuration.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="OptionsValidationException">At start, when a provider is named but not configured, or a setting is out of range.</exception>
    public static IServiceCollection AddSpeechProviders(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var stt = configuration.GetSection(SpeechToTextSection);
        var tts = configuration.GetSection(TextToSpeechSection);

        services.AddOptions<DeepgramOptions>().Bind(stt.GetSection("Deepgram")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OpenAiSpeechToTextOptions>().Bind(stt.GetSection("OpenAi")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PocketsphinxOptions>().Bind(stt.GetSection("Pocketsphinx")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WhisperOptions>().Bind(stt.GetSection("Whisper")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ElevenLabsOptions>().Bind(tts.GetSection("ElevenLabs")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OpenAiTextToSpeechOptions>().Bind(tts.GetSection("OpenAi")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SpeechProviderSelection>()
            .Configure(s =>
            {
                s.SpeechToText = stt["Provider"]?.Trim().ToLowerInvariant();
                s.TextToSpeech = tts["Provider"]?.Trim().ToLowerInvariant();
                s.DeepgramConfigured = !string.IsNullOrWhiteSpace(stt["Deepgram:ApiKey"]);
                s.OpenAiSpeechToTextConfigured = Uri.TryCreate(stt["OpenAi:BaseUrl"], UriKind.Absolute, out _);
                s.WhisperConfigured = !string.IsNullOrWhiteSpace(stt["Whisper:ModelPath"]);
                s.ElevenLabsConfigured = !string.IsNullOrWhiteSpace(tts["ElevenLabs:ApiKey"]);
                s.OpenAiTextToSpeechConfigured = Uri.TryCreate(tts["OpenAi:BaseUrl"], UriKind.Absolute, out _);
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Speech-to-text.
        services.TryAddSingleton<DeepgramSpeechToText>();
        services.TryAddSingleton<PocketsphinxSpeechToText>();
        services.TryAddSingleton<WhisperSpeechToText>();
        services.AddHttpClient<OpenAiCompatibleSpeechToText>(client => client.Timeout = Timeout.InfiniteTimeSpan); // per-request timeout inside
        services.AddKeyedSingleton<ISpeechToText>(SpeechProviders.Deepgram, (sp, _) => sp.GetRequiredService<DeepgramSpeechToText>());
        services.AddKeyedSingleton<ISpeechToText>(SpeechProviders.Pocketsphinx, (sp, _) => sp.GetRequiredService<PocketsphinxSpeechToText>());
        services.AddKeyedSingleton<ISpeechToText>(SpeechProviders.Whisper, (sp, _) => sp.GetRequiredService<WhisperSpeechToText>());
        services.AddKeyedTransient<ISpeechToText>(SpeechProviders.OpenAi, (sp, _) => sp.GetRequiredService<OpenAiCompatibleSpeechToText>());

        // Text-to-speech.
        services.TryAddSingleton<EspeakStreamingTextToSpeech>();
        services.AddHttpClient<ElevenLabsTextToSpeech>((sp, client) => client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<ElevenLabsOptions>>().Value.HttpTimeoutSeconds));
        services.AddHttpClient<OpenAiCompatibleTextToSpeech>(client => client.Timeout = Timeout.InfiniteTimeSpan); // per-request timeout inside; the body streams
        services.AddKeyedSingleton<IStreamingTextToSpeech>(SpeechProviders.Espeak, (sp, _) => sp.GetRequiredService<EspeakStreamingTextToSpeech>());
        services.AddKeyedTransient<IStreamingTextToSpeech>(SpeechProviders.ElevenLabs, (sp, _) => sp.GetRequiredService<ElevenLabsTextToSpeech>());
        services.AddKeyedTransient<IStreamingTextToSpeech>(SpeechProviders.OpenAi, (sp, _) => sp.GetRequiredService<OpenAiCompatibleTextToSpeech>());

        services.TryAddSingleton<SpeechProviders>();
        return services;
    }
}
