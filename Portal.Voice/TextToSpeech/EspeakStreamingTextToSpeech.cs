using System.Runtime.CompilerServices;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;

namespace Portal.Voice.TextToSpeech;

/// <summary>
/// Keyless streaming text-to-speech: <see cref="EspeakTextToSpeech"/> (espeak-ng, 22 050 Hz PCM16 WAV) synthesizes the
/// whole sentence, then the samples are resampled and encoded into the requested <see cref="AudioFormat"/> and yielded
/// in 100 ms chunks. espeak-ng is fast (a sentence in tens of ms), so per-sentence streaming is enough for calls.
/// </summary>
public sealed class EspeakStreamingTextToSpeech(EspeakTextToSpeech espeak) : IStreamingTextToSpeech
{
    /// <summary>Chunk length yielded, in ms of audio.</summary>
    public const int ChunkMilliseconds = 100;

    /// <inheritdoc />
    public string ProviderName => espeak.ProviderName;

    /// <inheritdoc />
    public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) => espeak.ListVoicesAsync(cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Empty text or an unknown voice.</exception>
    /// <exception cref="SpeechProviderException">espeak-ng failed or produced unusable audio.</exception>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeStreamAsync(string text, string voiceId, AudioFormat format, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(format);
        byte[] audio = await SynthesizeAsync(text, voiceId, format, cancellationToken);
        int chunk = format.SampleRateHz * format.BytesPerSample * ChunkMilliseconds / 1000;
        for (int offset = 0; offset < audio.Length; offset += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return audio.AsMemory(offset, Math.Min(chunk, audio.Length - offset));
        }
    }

    /// <summary>Synthesizes <paramref name="text"/> and returns all of it in <paramref name="format"/>.</summary>
    /// <param name="text">Text to say (at most <see cref="EspeakTextToSpeech.MaxTextLength"/> characters are spoken).</param>
    /// <param name="voiceId">espeak-ng voice id ("en-us", "en-us+f3"...).</param>
    /// <param name="format">Output format.</param>
    /// <param name="cancellationToken">Cancels the synthesis.</param>
    /// <returns>Raw, headerless audio.</returns>
    /// <exception cref="ArgumentException">Empty text or an unknown voice.</exception>
    /// <exception cref="SpeechProviderException">espeak-ng failed or produced unusable audio.</exception>
    public async Task<byte[]> SynthesizeAsync(string text, string voiceId, AudioFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(format);
        SynthesizedAudio wav;
        try
        {
            wav = await espeak.SynthesizeAsync(text, voiceId, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new SpeechProviderException(ProviderName, ex.Message, ex);
        }

        if (!WavPcm.TryRead(wav.Audio, out short[]? samples, out int rate, out string? error))
        {
            throw new SpeechProviderException(ProviderName, "unusable audio: " + error);
        }

        return new PcmStreamConverter(rate, format).Convert(samples);
    }
}
