using Portal.Voice.SpeechToText.LanguageModels;

namespace Portal.Voice.SpeechToText;

/// <summary>Sample encoding of an audio stream.</summary>
public enum AudioEncoding
{
    /// <summary>G.711 μ-law, 8 bits per sample (ITU-T G.711; Twilio Media Streams, https://www.twilio.com/docs/voice/media-streams/websocket-messages).</summary>
    MuLaw,

    /// <summary>Signed 16-bit little-endian linear PCM.</summary>
    Linear16,
}

/// <summary>Format of raw (headerless) mono audio.</summary>
/// <param name="Encoding">Sample encoding.</param>
/// <param name="SampleRateHz">Samples per second (8000 for phone calls, 16000/24000/48000 for the browser).</param>
public sealed record AudioFormat(AudioEncoding Encoding, int SampleRateHz)
{
    /// <summary>Twilio Media Streams audio: μ-law, 8000 Hz, mono.</summary>
    public static AudioFormat Phone { get; } = new(AudioEncoding.MuLaw, 8000);

    /// <summary>Wideband browser audio after downsampling: PCM16, 16000 Hz, mono.</summary>
    public static AudioFormat Wideband { get; } = new(AudioEncoding.Linear16, 16000);

    /// <summary>Bytes per sample (1 for μ-law, 2 for PCM16).</summary>
    public int BytesPerSample => Encoding == AudioEncoding.MuLaw ? 1 : 2;
}

/// <summary>What a recognizer should listen for.</summary>
/// <param name="Format">Format of the audio that will be sent.</param>
/// <param name="Language">BCP 47 language (e.g. <c>en-US</c>).</param>
/// <param name="EndpointingMs">Silence after speech that ends an utterance, ms (Deepgram <c>endpointing</c>).</param>
/// <param name="Keywords">Words to boost (service names, the business's name); may be empty.</param>
/// <param name="Vocabulary">
/// The business whose line this is (services, people, name), or null when unknown. Offline recognizers constrain their
/// language model to it (<see cref="PocketsphinxSpeechToText"/>) or prompt with it; cloud recognizers may ignore it.
/// </param>
public sealed record SpeechToTextOptions(AudioFormat Format, string Language = "en-US", int EndpointingMs = 500, IReadOnlyList<string>? Keywords = null, SpeechVocabulary? Vocabulary = null);

/// <summary>A transcript of part of the caller's speech.</summary>
/// <param name="Text">Transcribed words (may be empty for a silence-only final).</param>
/// <param name="IsFinal">True when this text will not change any more (Deepgram <c>is_final</c>).</param>
/// <param name="SpeechFinal">True when the recognizer believes the utterance ended (Deepgram <c>speech_final</c>).</param>
/// <param name="Confidence">Recognizer confidence in 0..1.</param>
/// <param name="StartMs">Start of the transcribed audio, ms from the start of the stream.</param>
/// <param name="EndMs">End of the transcribed audio, ms from the start of the stream.</param>
public sealed record TranscriptEvent(string Text, bool IsFinal, bool SpeechFinal, double Confidence, int StartMs, int EndMs);

/// <summary>
/// A speech-to-text provider (Deepgram live streaming, an OpenAI-compatible <c>/v1/audio/transcriptions</c> server,
/// pocketsphinx). Batch engines are wrapped as streams that cut utterances with local endpointing, so every
/// provider looks the same to a call.
/// </summary>
public interface ISpeechToText
{
    /// <summary>Provider name shown to people ("Deepgram", "pocketsphinx (offline)").</summary>
    string ProviderName { get; }

    /// <summary>Opens a recognition stream for one call. Throws <see cref="SpeechProviderException"/> when the provider cannot be reached or refuses.</summary>
    Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken);
}

/// <summary>One call's recognition stream: audio in, transcripts out. Disposing closes it.</summary>
public interface ISpeechToTextStream : IAsyncDisposable
{
    /// <summary>Sends audio in the format given at open (any length; 20 ms frames for phone calls).</summary>
    ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken);

    /// <summary>Transcripts as they arrive, interim and final; completes after <see cref="CompleteAsync"/> or when the provider closes.</summary>
    IAsyncEnumerable<TranscriptEvent> ReadTranscriptsAsync(CancellationToken cancellationToken);

    /// <summary>No more audio: asks the provider to flush its last transcripts (Deepgram <c>CloseStream</c>).</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>A speech provider (recognition or synthesis) failed: unreachable, refused the key, or broke its protocol.</summary>
/// <param name="provider">Provider name.</param>
/// <param name="message">What went wrong, for logs and admins (never contains a key).</param>
/// <param name="inner">Underlying error.</param>
public sealed class SpeechProviderException(string provider, string message, Exception? inner = null)
    : Exception($"{provider}: {message}", inner)
{
    /// <summary>Provider name.</summary>
    public string Provider { get; } = provider;
}
