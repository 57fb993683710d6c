using Microsoft.Extensions.Logging;
using Portal.Voice.SpeechToText;
using Portal.Voice.SpeechToText.LanguageModels;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.Calls;

/// <summary>
/// The speech providers of one phone call. A Media Streams session is built before its persona is known (the socket's
/// <c>start</c> message names the call), so it is handed <see cref="SpeechToText"/> and <see cref="TextToSpeech"/>:
/// stand-ins that use whatever <see cref="Choose"/> picked when <see cref="MediaCallHandler"/> accepted the call — the
/// persona's <c>SpeechToTextProvider</c>/<c>TextToSpeechProvider</c> when set and offered by this deployment, else the
/// deployment default of <see cref="SpeechProviders"/> (logged). Before <see cref="Choose"/> the defaults apply.
/// The recognizer's streams are opened with the business's <see cref="SpeechVocabulary"/> given to <see cref="Choose"/>,
/// so an offline recognizer listens for that business's services, people, dates and times.
/// The synthesizer is wrapped in a <see cref="FallbackTextToSpeech"/>: a voice that cannot speak is replaced by the
/// provider's default voice, then espeak-ng's, and each failure goes to the recorder set by <see cref="RecordFailuresWith"/>
/// (the call counts it on its conversation), so a call never goes silent for a bad voice.
/// </summary>
public sealed partial class CallSpeechProviders
{
    private readonly SpeechProviders _providers;
    private readonly ILogger<CallSpeechProviders> _logger;
    private ISpeechToText? _speechToText;
    private IStreamingTextToSpeech _textToSpeech;
    private SpeechVocabulary? _vocabulary;
    private bool _chosen;
    private Func<SynthesisFailure, CancellationToken, Task>? _recordFailure;

    /// <summary>Starts on the deployment defaults.</summary>
    /// <param name="providers">The deployment's providers.</param>
    /// <param name="logger">Logger (fallbacks).</param>
    public CallSpeechProviders(SpeechProviders providers, ILogger<CallSpeechProviders> logger)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = providers;
        _logger = logger;
        _speechToText = providers.DefaultSpeechToText;
        _textToSpeech = providers.DefaultTextToSpeech;
        SpeechToTextName = providers.DefaultSpeechToTextName;
        TextToSpeechName = providers.DefaultTextToSpeechName;
        // No recognizer at all in this deployment: the session serves the keypad menu, whatever the persona says.
        SpeechToText = providers.SpeechToTextNames.Count > 0 ? new SpeechToTextStandIn(this) : null;
        TextToSpeech = new FallbackTextToSpeech(
            new TextToSpeechStandIn(this),
            providers.GetTextToSpeech(SpeechProviders.Espeak),
            EspeakTextToSpeech.DefaultVoice,
            (failure, ct) => _recordFailure?.Invoke(failure, ct) ?? Task.CompletedTask,
            logger);
    }

    /// <summary>Name of the speech-to-text provider in use (<see cref="SpeechProviders"/> names; <c>none</c> when there is none).</summary>
    public string SpeechToTextName { get; private set; }

    /// <summary>Name of the text-to-speech provider in use.</summary>
    public string TextToSpeechName { get; private set; }

    /// <summary>The recognizer to give the session, or null when the deployment offers none (keypad-only calls).</summary>
    public ISpeechToText? SpeechToText { get; }

    /// <summary>The synthesizer to give the session (the chosen provider, with the fallback voices of <see cref="FallbackTextToSpeech"/>).</summary>
    public IStreamingTextToSpeech TextToSpeech { get; }

    /// <summary>
    /// Picks the call's providers from its persona's choice: a name this deployment offers is used; null or blank means the
    /// default; any other name (not configured here, pocketsphinx not installed) falls back to the default with a warning.
    /// </summary>
    /// <param name="speechToText">The persona's speech-to-text provider name, or null.</param>
    /// <param name="textToSpeech">The persona's text-to-speech provider name, or null.</param>
    /// <param name="callSid">The call, for the log.</param>
    /// <param name="vocabulary">The called business's words, passed to the recognizer (<see cref="SpeechToTextOptions.Vocabulary"/>); null when unknown.</param>
    /// <exception cref="InvalidOperationException">Called twice for one call.</exception>
    public void Choose(string? speechToText, string? textToSpeech, string callSid, SpeechVocabulary? vocabulary = null)
    {
        if (_chosen)
        {
            throw new InvalidOperationException("The call's speech providers are already chosen.");
        }

        _chosen = true;
        _vocabulary = vocabulary;
        var stt = Normalize(speechToText);
        if (stt is not null)
        {
            if (_providers.SpeechToTextNames.Contains(stt))
            {
                _speechToText = _providers.GetSpeechToText(stt);
                SpeechToTextName = stt;
            }
            else
            {
                LogFallback(_logger, callSid, "speech-to-text", stt, SpeechToTextName);
            }
        }

        var tts = Normalize(textToSpeech);
        if (tts is not null)
        {
            if (_providers.TextToSpeechNames.Contains(tts))
            {
                _textToSpeech = _providers.GetTextToSpeech(tts);
                TextToSpeechName = tts;
            }
            else
            {
                LogFallback(_logger, callSid, "text-to-speech", tts, TextToSpeechName);
            }
        }

        LogChosen(_logger, callSid, SpeechToTextName, TextToSpeechName);
    }

    /// <summary>Sends each speech-synthesis failure of the call to <paramref name="recorder"/> (before this, failures are only logged).</summary>
    /// <param name="recorder">Stores one failure; awaited with a short timeout, its exceptions are logged.</param>
    public void RecordFailuresWith(Func<SynthesisFailure, CancellationToken, Task> recorder) => _recordFailure = recorder;

    private static string? Normalize(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: the persona's {Kind} provider '{Chosen}' is not available here; using the deployment default '{Default}'")]
    private static partial void LogFallback(ILogger logger, string callSid, string kind, string chosen, string @default);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: speech-to-text {SpeechToText}, text-to-speech {TextToSpeech}")]
    private static partial void LogChosen(ILogger logger, string callSid, string speechToText, string textToSpeech);

    /// <summary>Opens streams on the chosen recognizer, with the business's vocabulary unless the session gave one.</summary>
    private sealed class SpeechToTextStandIn(CallSpeechProviders owner) : ISpeechToText
    {
        public string ProviderName => owner._speechToText?.ProviderName ?? SpeechProviders.None;

        public Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken) =>
            owner._speechToText is { } stt
                ? stt.OpenAsync(options.Vocabulary is null ? options with { Vocabulary = owner._vocabulary } : options, cancellationToken)
                : throw new SpeechProviderException(SpeechProviders.None, "no speech-to-text provider is configured for this call.");
    }

    /// <summary>
    /// Speaks with the chosen synthesizer. Two stand-ins are equal when they speak through the same provider, so the
    /// greeting cache (<c>PhoneSpeechCache</c>, keyed by provider) is shared by the calls of every persona using it.
    /// </summary>
    private sealed class TextToSpeechStandIn(CallSpeechProviders owner) : IStreamingTextToSpeech
    {
        private CallSpeechProviders Owner => owner;

        public string ProviderName => owner._textToSpeech.ProviderName;

        public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) => owner._textToSpeech.ListVoicesAsync(cancellationToken);

        public IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeStreamAsync(string text, string voiceId, AudioFormat format, CancellationToken cancellationToken) =>
            owner._textToSpeech.SynthesizeStreamAsync(text, voiceId, format, cancellationToken);

        public override bool Equals(object? obj) => obj is TextToSpeechStandIn other && string.Equals(other.Owner.TextToSpeechName, owner.TextToSpeechName, StringComparison.Ordinal);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(owner.TextToSpeechName);
    }
}
