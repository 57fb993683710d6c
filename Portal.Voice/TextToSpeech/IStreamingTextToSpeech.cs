using Portal.Voice.SpeechToText;

namespace Portal.Voice.TextToSpeech;

/// <summary>
/// Text-to-speech that streams audio as it is produced (ElevenLabs WebSocket/stream endpoints, an OpenAI-compatible
/// <c>/v1/audio/speech</c>, espeak-ng synthesized then converted). Calls speak one sentence at a time through it, so
/// the first audio leaves before the whole reply exists.
/// </summary>
public interface IStreamingTextToSpeech
{
    /// <summary>Provider name shown to owners.</summary>
    string ProviderName { get; }

    /// <summary>The voices offered, English first.</summary>
    Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Synthesizes <paramref name="text"/> (one sentence or short prompt) with <paramref name="voiceId"/> and yields raw,
    /// headerless audio in <paramref name="format"/> (μ-law 8000 Hz for phone calls; PCM16 for the browser) in chunks of
    /// any size, as soon as the provider sends them. Throws <see cref="ArgumentException"/> for empty text or an unknown
    /// voice, <see cref="SpeechProviderException"/> when the provider fails.
    /// </summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeStreamAsync(string text, string voiceId, AudioFormat format, CancellationToken cancellationToken);
}
