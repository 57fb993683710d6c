using Microsoft.Extensions.Logging.Abstractions;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Fakes;

/// <summary>Real speech for the fakes: espeak-ng (through the production adapter) converted to any audio format.</summary>
public static class EspeakAudio
{
    /// <summary>The shared espeak-ng adapter.</summary>
    public static EspeakStreamingTextToSpeech Engine { get; } = new(new EspeakTextToSpeech(NullLogger<EspeakTextToSpeech>.Instance));

    /// <summary>Speaks <paramref name="text"/> with espeak-ng voice <paramref name="voice"/> in <paramref name="format"/>.</summary>
    /// <param name="text">Text (at most 500 characters are spoken).</param>
    /// <param name="format">Output format.</param>
    /// <param name="voice">espeak-ng voice id (default <c>en-us</c>).</param>
    /// <param name="cancellationToken">Cancels the synthesis.</param>
    /// <returns>Raw audio.</returns>
    /// <exception cref="SpeechProviderException">espeak-ng is missing or failed.</exception>
    public static Task<byte[]> SayAsync(string text, AudioFormat format, string voice = "en-us", CancellationToken cancellationToken = default) =>
        Engine.SynthesizeAsync(text, voice, format, cancellationToken);
}
