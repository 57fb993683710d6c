using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// The speech providers of this deployment: the default speech-to-text and text-to-speech, and any other configured
/// one by name (personas choose by name: <see cref="Deepgram"/>, <see cref="OpenAi"/>, <see cref="Whisper"/>, <see cref="Pocketsphinx"/>,
/// <see cref="ElevenLabs"/>, <see cref="Espeak"/>). A name that is not configured or not available falls back to the
/// default, so a persona saved under one deployment still speaks under another.
/// </summary>
/// <remarks>
/// Automatic defaults (no <c>Provider</c> set): speech-to-text Deepgram when keyed, else the OpenAI-compatible server
/// when configured, else Whisper when its model file is configured and present, else pocketsphinx when installed, else
/// none (calls use the keypad menu); text-to-speech ElevenLabs
/// when keyed, else the OpenAI-compatible server, else espeak-ng. Providers are resolved from keyed services.
/// </remarks>
public sealed class SpeechProviders
{
    /// <summary>Deepgram live streaming (speech-to-text).</summary>
    public const string Deepgram = "deepgram";

    /// <summary>OpenAI-compatible server (speech-to-text or text-to-speech).</summary>
    public const string OpenAi = "openai";

    /// <summary>pocketsphinx, offline (speech-to-text).</summary>
    public const string Pocketsphinx = "pocketsphinx";

    /// <summary>Whisper (whisper.cpp) with a model file the operator placed on disk, offline (speech-to-text).</summary>
    public const string Whisper = "whisper";

    /// <summary>No speech-to-text.</summary>
    public const string None = "none";

    /// <summary>ElevenLabs (text-to-speech).</summary>
    public const string ElevenLabs = "elevenlabs";

    /// <summary>espeak-ng, offline (text-to-speech).</summary>
    public const string Espeak = "espeak";

    private readonly IServiceProvider _services;
    private readonly Lazy<IReadOnlyList<string>> _speechToText;

    /// <summary>Creates the registry.</summary>
    /// <param name="services">Root provider holding the keyed providers.</param>
    /// <param name="selection">The configured choice.</param>
    /// <param name="logger">Logger.</param>
    public SpeechProviders(IServiceProvider services, IOptions<SpeechProviderSelection> selection, ILogger<SpeechProviders> logger)
    {
        ArgumentNullException.ThrowIfNull(selection);
        _services = services;
        var s = selection.Value;
        var tts = new List<string>();
        if (s.ElevenLabsConfigured)
        {
            tts.Add(ElevenLabs);
        }

        if (s.OpenAiTextToSpeechConfigured)
        {
            tts.Add(OpenAi);
        }

        tts.Add(Espeak);
        TextToSpeechNames = tts;
        DefaultTextToSpeechName = string.IsNullOrEmpty(s.TextToSpeech) ? tts[0] : s.TextToSpeech;

        _speechToText = new Lazy<IReadOnlyList<string>>(() =>
        {
            var stt = new List<string>();
            if (s.DeepgramConfigured)
            {
                stt.Add(Deepgram);
            }

            if (s.OpenAiSpeechToTextConfigured)
            {
                stt.Add(OpenAi);
            }

            var whisper = services.GetRequiredService<WhisperSpeechToText>();
            if (whisper.IsAvailable)
            {
                stt.Add(Whisper);
            }
            else if (s.WhisperConfigured)
            {
                logger.LogWarning("Whisper is configured but not offered: {Reason}", whisper.UnavailableReason);
            }

            var pocketsphinx = services.GetRequiredService<PocketsphinxSpeechToText>();
            if (pocketsphinx.IsAvailable)
            {
                stt.Add(Pocketsphinx);
            }
            else
            {
                logger.LogInformation("pocketsphinx is not available: {Reason}", pocketsphinx.UnavailableReason);
            }

            return stt;
        });

        DefaultSpeechToTextName = s.SpeechToText switch
        {
            null or "" => null,
            _ => s.SpeechToText,
        };
    }

    /// <summary>Names of the text-to-speech providers configured here, default first among equals.</summary>
    public IReadOnlyList<string> TextToSpeechNames { get; }

    /// <summary>Names of the speech-to-text providers configured and available here (Whisper only with its model file, pocketsphinx only when installed).</summary>
    public IReadOnlyList<string> SpeechToTextNames => _speechToText.Value;

    /// <summary>Name of the default text-to-speech provider.</summary>
    public string DefaultTextToSpeechName { get; }

    /// <summary>Name of the default speech-to-text provider, or <see cref="None"/>.</summary>
    public string DefaultSpeechToTextName => field ?? ResolveAutomaticSpeechToText();

    /// <summary>The default text-to-speech provider.</summary>
    public IStreamingTextToSpeech DefaultTextToSpeech => _services.GetRequiredKeyedService<IStreamingTextToSpeech>(DefaultTextToSpeechName);

    /// <summary>The default speech-to-text provider, or null when there is none (calls then serve the keypad menu).</summary>
    public ISpeechToText? DefaultSpeechToText => DefaultSpeechToTextName is None || !SpeechToTextNames.Contains(DefaultSpeechToTextName)
        ? null
        : _services.GetRequiredKeyedService<ISpeechToText>(DefaultSpeechToTextName);

    /// <summary>The text-to-speech provider named <paramref name="name"/>, or the default when it is null, unknown or not configured.</summary>
    /// <param name="name">Provider name (case-insensitive), e.g. a persona's choice.</param>
    /// <returns>A provider; never null (espeak-ng is always there).</returns>
    public IStreamingTextToSpeech GetTextToSpeech(string? name)
    {
        string? key = name?.Trim().ToLowerInvariant();
        return key is not null && TextToSpeechNames.Contains(key) ? _services.GetRequiredKeyedService<IStreamingTextToSpeech>(key) : DefaultTextToSpeech;
    }

    /// <summary>The speech-to-text provider named <paramref name="name"/>, or the default when it is null, unknown or not available.</summary>
    /// <param name="name">Provider name (case-insensitive); <see cref="None"/> gives null.</param>
    /// <returns>A provider, or null when none applies.</returns>
    public ISpeechToText? GetSpeechToText(string? name)
    {
        string? key = name?.Trim().ToLowerInvariant();
        if (key == None)
        {
            return null;
        }

        return key is not null && SpeechToTextNames.Contains(key) ? _services.GetRequiredKeyedService<ISpeechToText>(key) : DefaultSpeechToText;
    }

    private string ResolveAutomaticSpeechToText() => SpeechToTextNames.Count > 0 ? SpeechToTextNames[0] : None;
}
