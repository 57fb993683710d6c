namespace Portal.Voice.TextToSpeech;

/// <summary>A voice the active text-to-speech provider offers.</summary>
/// <param name="Id">Provider voice id (espeak-ng: "en-us", "en-gb"...).</param>
/// <param name="Name">Display name.</param>
/// <param name="Language">BCP 47 language tag.</param>
public sealed record VoiceInfo(string Id, string Name, string Language);

/// <summary>Synthesized audio.</summary>
/// <param name="Audio">Encoded audio bytes.</param>
/// <param name="ContentType">MIME type ("audio/wav").</param>
public sealed record SynthesizedAudio(byte[] Audio, string ContentType);

/// <summary>
/// Text-to-speech provider. Keyless default: espeak-ng; ElevenLabs and OpenAI-compatible
/// providers arrive with the phone-call issue.
/// </summary>
public interface ITextToSpeech
{
    /// <summary>Provider name shown to owners.</summary>
    string ProviderName { get; }

    /// <summary>The voices offered, English first.</summary>
    Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken);

    /// <summary>Synthesizes <paramref name="text"/> (at most 500 characters) with <paramref name="voiceId"/>. Throws <see cref="ArgumentException"/> for an unknown voice or empty text, <see cref="InvalidOperationException"/> when the engine fails.</summary>
    Task<SynthesizedAudio> SynthesizeAsync(string text, string voiceId, CancellationToken cancellationToken);
}
