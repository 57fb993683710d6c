using System.Buffers;
using System.Collections.Concurrent;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.Calls;

/// <summary>
/// Phone-ready speech: text synthesized by <see cref="ITextToSpeech"/>, WAV parsed, resampled to 8000 Hz and
/// μ-law encoded (raw, no header, as Twilio Media Streams want, https://www.twilio.com/docs/voice/media-streams/websocket-messages). Cached in memory per
/// text + voice, so the greeting and menu start at once from the second call on.
/// </summary>
/// <remarks>
/// REVIEW: the cache is unbounded; the keypad prompts are a handful of sentences per tenant, but answers built
/// from business facts change when the facts do. Bound it (MemoryCache with a size limit) once calls are common.
/// </remarks>
public sealed class PhoneSpeechCache(ITextToSpeech textToSpeech)
{
    private readonly ConcurrentDictionary<(string Text, string Voice), Lazy<Task<byte[]>>> _cache = new();

    private readonly ConcurrentDictionary<(IStreamingTextToSpeech Provider, string Text, string Voice), Lazy<Task<byte[]>>> _streamed = new();

    /// <summary>Number of cached (text, voice) entries.</summary>
    public int Count => _cache.Count + _streamed.Count;

    /// <summary>
    /// Returns the μ-law 8000 Hz audio of a fixed prompt (the persona's greeting, the menu) from a streaming provider,
    /// synthesized once per provider, text and voice and then served from memory, so the greeting starts at once.
    /// </summary>
    /// <param name="provider">The streaming text-to-speech provider.</param>
    /// <param name="text">The prompt (one sentence).</param>
    /// <param name="voiceId">Provider voice id.</param>
    /// <param name="cancellationToken">Cancels the wait (a synthesis already running completes for the cache).</param>
    /// <returns>Raw μ-law bytes.</returns>
    /// <exception cref="SpeechProviderException">The provider failed (not cached).</exception>
    public async Task<byte[]> GetMuLawAsync(IStreamingTextToSpeech provider, string text, string voiceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var key = (provider, text.Trim(), voiceId);
        var entry = _streamed.GetOrAdd(key, k => new Lazy<Task<byte[]>>(() => CollectAsync(k.Provider, k.Text, k.Voice)));
        try
        {
            return await entry.Value.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _streamed.TryRemove(new KeyValuePair<(IStreamingTextToSpeech, string, string), Lazy<Task<byte[]>>>(key, entry));
            throw;
        }
    }

    private static async Task<byte[]> CollectAsync(IStreamingTextToSpeech provider, string text, string voiceId)
    {
        var audio = new ArrayBufferWriter<byte>(8000);
        await foreach (var chunk in provider.SynthesizeStreamAsync(text, voiceId, AudioFormat.Phone, CancellationToken.None).ConfigureAwait(false))
        {
            audio.Write(chunk.Span);
        }

        return audio.WrittenSpan.ToArray();
    }

    /// <summary>Returns the μ-law 8000 Hz audio of <paramref name="text"/> spoken with <paramref name="voiceId"/>.</summary>
    /// <param name="text">One sentence or short prompt (at most the provider's limit, 500 characters for espeak-ng).</param>
    /// <param name="voiceId">Provider voice id.</param>
    /// <param name="cancellationToken">Cancels the wait (a synthesis already running completes for the cache).</param>
    /// <returns>Raw μ-law bytes.</returns>
    /// <exception cref="InvalidOperationException">The engine failed or produced something other than mono 16-bit PCM WAV (not cached).</exception>
    public async Task<byte[]> GetMuLawAsync(string text, string voiceId, CancellationToken cancellationToken)
    {
        var key = (text.Trim(), voiceId);
        var entry = _cache.GetOrAdd(key, k => new Lazy<Task<byte[]>>(() => SynthesizeAsync(k.Text, k.Voice)));
        try
        {
            return await entry.Value.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _cache.TryRemove(new KeyValuePair<(string, string), Lazy<Task<byte[]>>>(key, entry));
            throw;
        }
    }

    /// <summary>Converts mono PCM16 WAV bytes to raw μ-law at 8000 Hz.</summary>
    /// <param name="wav">A RIFF/WAVE file, mono 16-bit PCM, any rate the resampler reduces to factors ≤ 512.</param>
    /// <returns>Raw μ-law bytes at 8000 Hz.</returns>
    /// <exception cref="InvalidOperationException">The WAV is malformed or not mono 16-bit PCM.</exception>
    public static byte[] WavToMuLaw8k(ReadOnlySpan<byte> wav)
    {
        if (!WavPcm.TryRead(wav, out short[]? pcm, out int rate, out string? error))
        {
            throw new InvalidOperationException("Text-to-speech audio is unusable: " + error);
        }

        short[] at8k = pcm;
        if (rate != MuLawFrameSplitter.SampleRateHz)
        {
            var resampler = new Resampler(rate, MuLawFrameSplitter.SampleRateHz, Resampler.MaxRationalFactor);
            at8k = new short[resampler.MaxOutputLength(pcm.Length)];
            at8k = at8k[..resampler.Process(pcm, at8k)];
        }

        var ulaw = new byte[at8k.Length];
        MuLaw.Encode(at8k, ulaw);
        return ulaw;
    }

    private async Task<byte[]> SynthesizeAsync(string text, string voiceId)
    {
        // Not cancelled by one caller: other calls may be waiting on the same entry.
        var audio = await textToSpeech.SynthesizeAsync(text, voiceId, CancellationToken.None).ConfigureAwait(false);
        return WavToMuLaw8k(audio.Audio);
    }
}
