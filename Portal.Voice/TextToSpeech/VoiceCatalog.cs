using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;

namespace Portal.Voice.TextToSpeech;

/// <summary>A voice and what its probe heard.</summary>
/// <param name="Voice">The voice as its provider lists it.</param>
/// <param name="SpokenSeconds">Seconds of speech in the probe sentence (<see cref="SpeechMeasure"/>); 0 when it failed.</param>
/// <param name="Error">Why the voice is not offered, or null when it spoke.</param>
public sealed record VoiceProbe(VoiceInfo Voice, double SpokenSeconds, string? Error);

/// <summary>
/// The voices owners may choose: for each text-to-speech provider of this deployment (<see cref="SpeechProviders"/>), the
/// voices it lists that really speak. A provider's list is not trusted on its own (espeak-ng listed the "Storm" variant,
/// which is not a voice; an ElevenLabs account lists voices its plan cannot use; an OpenAI-compatible server has its own
/// voice names): every listed voice is probed once with <see cref="ProbeText"/> and offered only when the audio holds at
/// least <see cref="MinimumSpeechSeconds"/> of speech. Results are cached per provider; a list with failed voices is probed
/// again after <see cref="RetryFailedAfter"/>, so a vendor's passing outage does not hide voices for good.
/// </summary>
/// <remarks>
/// REVIEW: vendors bill synthesized characters: a probe costs ~50 characters per voice, once per process (and after
/// <see cref="RetryFailedAfter"/> when some failed); an ElevenLabs account with hundreds of library voices would pay that
/// for each of them.
/// </remarks>
public sealed partial class VoiceCatalog(SpeechProviders providers, TimeProvider time, ILogger<VoiceCatalog> logger)
{
    /// <summary>The sentence every voice must speak to be offered.</summary>
    public const string ProbeText = "Hello, thanks for calling. How can I help you today?";

    /// <summary>Speech a probe must contain, in seconds.</summary>
    public const double MinimumSpeechSeconds = 0.5;

    /// <summary>Sample rate of probes and previews (PCM16), in Hz.</summary>
    public const int PreviewSampleRateHz = 16_000;

    /// <summary>Longest preview text, in characters (longer text is cut).</summary>
    public const int MaxPreviewLength = 300;

    /// <summary>When a provider's list had failed voices, how long before it is probed again.</summary>
    public static readonly TimeSpan RetryFailedAfter = TimeSpan.FromMinutes(10);

    /// <summary>Longest wait for one probe.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<string, Lazy<Task<ProbedList>>> _lists = new(StringComparer.Ordinal);

    /// <summary>The provider name a choice resolves to: <paramref name="provider"/> when this deployment offers it, else the default.</summary>
    /// <param name="provider">A <see cref="SpeechProviders"/> name (any case), or null for the default.</param>
    /// <returns>An offered provider name.</returns>
    public string ResolveProvider(string? provider)
    {
        string? key = provider?.Trim().ToLowerInvariant();
        return key is not null && providers.TextToSpeechNames.Contains(key) ? key : providers.DefaultTextToSpeechName;
    }

    /// <summary>The owner-facing name of a provider ("espeak-ng (offline)", "ElevenLabs"…).</summary>
    /// <param name="provider">A provider name, or null for the default.</param>
    /// <returns>The provider's display name.</returns>
    public string ProviderDisplayName(string? provider) => providers.GetTextToSpeech(ResolveProvider(provider)).ProviderName;

    /// <summary>The voices of <paramref name="provider"/> that speak, in the provider's order (English first).</summary>
    /// <param name="provider">A provider name, or null for the deployment default (unknown names resolve to it too).</param>
    /// <param name="cancellationToken">Cancels the wait; a probe already running completes for the cache.</param>
    /// <returns>Offered voices; empty when the provider lists none that speak.</returns>
    /// <exception cref="SpeechProviderException">The provider's voice list could not be fetched (not cached).</exception>
    public async Task<IReadOnlyList<VoiceInfo>> ListAsync(string? provider, CancellationToken cancellationToken) =>
        (await ProbedAsync(provider, cancellationToken)).Offered;

    /// <summary>Every listed voice of <paramref name="provider"/> with its probe result, offered or not (for diagnostics).</summary>
    /// <param name="provider">A provider name, or null for the default.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>One probe per listed voice.</returns>
    /// <exception cref="SpeechProviderException">The provider's voice list could not be fetched.</exception>
    public async Task<IReadOnlyList<VoiceProbe>> ProbesAsync(string? provider, CancellationToken cancellationToken) =>
        (await ProbedAsync(provider, cancellationToken)).Probes;

    /// <summary>The offered voice <paramref name="voiceId"/> of <paramref name="provider"/>, or null when it is not offered.</summary>
    /// <param name="provider">A provider name, or null for the default.</param>
    /// <param name="voiceId">Provider voice id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The voice, or null.</returns>
    /// <exception cref="SpeechProviderException">The provider's voice list could not be fetched.</exception>
    public async Task<VoiceInfo?> FindAsync(string? provider, string? voiceId, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(voiceId) ? null : (await ListAsync(provider, cancellationToken)).FirstOrDefault(v => v.Id == voiceId);

    /// <summary>The provider's default voice: the first it offers (English first), or null when it offers none.</summary>
    /// <param name="provider">A provider name, or null for the default.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A voice id, or null.</returns>
    /// <exception cref="SpeechProviderException">The provider's voice list could not be fetched.</exception>
    public async Task<string?> DefaultVoiceAsync(string? provider, CancellationToken cancellationToken) =>
        (await ListAsync(provider, cancellationToken)).FirstOrDefault()?.Id;

    /// <summary>Speaks <paramref name="text"/> with an offered voice as a 16 kHz mono PCM16 WAV file.</summary>
    /// <param name="provider">A provider name, or null for the default.</param>
    /// <param name="voiceId">An offered voice of that provider.</param>
    /// <param name="text">What to say (cut at <see cref="MaxPreviewLength"/> characters); blank for <see cref="ProbeText"/>.</param>
    /// <param name="cancellationToken">Cancels the synthesis.</param>
    /// <returns>The WAV file.</returns>
    /// <exception cref="ArgumentException">The voice is not offered by that provider.</exception>
    /// <exception cref="SpeechProviderException">The provider failed or produced no speech.</exception>
    public async Task<SynthesizedAudio> PreviewAsync(string? provider, string voiceId, string? text, CancellationToken cancellationToken)
    {
        string name = ResolveProvider(provider);
        if (await FindAsync(name, voiceId, cancellationToken) is null)
        {
            throw new ArgumentException($"The voice '{voiceId}' is not offered by {ProviderDisplayName(name)}.", nameof(voiceId));
        }

        string say = string.IsNullOrWhiteSpace(text) ? ProbeText : text.Trim();
        say = say.Length > MaxPreviewLength ? say[..MaxPreviewLength] : say;
        var tts = providers.GetTextToSpeech(name);
        short[] pcm = await SynthesizePcmAsync(tts, say, voiceId, cancellationToken);
        if (SpeechMeasure.SpokenSeconds(pcm, PreviewSampleRateHz) == 0)
        {
            throw new SpeechProviderException(tts.ProviderName, $"the voice '{voiceId}' produced no speech.");
        }

        return new SynthesizedAudio(WavWriter.Mono16(pcm, PreviewSampleRateHz), "audio/wav");
    }

    /// <summary>Synthesizes <paramref name="text"/> through a streaming provider as 16 kHz PCM16 samples.</summary>
    /// <param name="tts">The provider.</param>
    /// <param name="text">Text to say.</param>
    /// <param name="voiceId">Provider voice id.</param>
    /// <param name="cancellationToken">Cancels the synthesis.</param>
    /// <returns>All samples.</returns>
    /// <exception cref="ArgumentException">Bad text or an unknown voice.</exception>
    /// <exception cref="SpeechProviderException">The provider failed.</exception>
    public static async Task<short[]> SynthesizePcmAsync(IStreamingTextToSpeech tts, string text, string voiceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tts);
        var format = new AudioFormat(AudioEncoding.Linear16, PreviewSampleRateHz);
        var bytes = new ArrayBufferWriter<byte>(64 * 1024);
        await foreach (var chunk in tts.SynthesizeStreamAsync(text, voiceId, format, cancellationToken))
        {
            bytes.Write(chunk.Span);
        }

        return PcmStreamConverter.ToPcm16(bytes.WrittenSpan, format);
    }

    private async Task<ProbedList> ProbedAsync(string? provider, CancellationToken cancellationToken)
    {
        string name = ResolveProvider(provider);
        while (true)
        {
            var entry = _lists.GetOrAdd(name, n => new Lazy<Task<ProbedList>>(() => ProbeProviderAsync(n)));
            ProbedList list;
            try
            {
                list = await entry.Value.WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _lists.TryRemove(new KeyValuePair<string, Lazy<Task<ProbedList>>>(name, entry));
                throw;
            }

            if (list.ExpiresAt > time.GetUtcNow() || !_lists.TryRemove(new KeyValuePair<string, Lazy<Task<ProbedList>>>(name, entry)))
            {
                return list;
            }
        }
    }

    private async Task<ProbedList> ProbeProviderAsync(string name)
    {
        var tts = providers.GetTextToSpeech(name);
        var listed = await tts.ListVoicesAsync(CancellationToken.None).ConfigureAwait(false);
        var probes = new VoiceProbe[listed.Count];
        using var gate = new SemaphoreSlim(2); // two probes at a time: espeak-ng is a process each, vendors rate-limit
        await Task.WhenAll(listed.Select(async (voice, i) =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                probes[i] = await ProbeAsync(tts, voice).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        foreach (var failed in probes.Where(p => p.Error is not null))
        {
            LogNotOffered(logger, tts.ProviderName, failed.Voice.Id, failed.Voice.Name, failed.Error!);
        }

        var offered = probes.Where(p => p.Error is null).Select(p => p.Voice).ToList();
        LogProbed(logger, tts.ProviderName, offered.Count, probes.Length);
        var expires = probes.Any(p => p.Error is not null) ? time.GetUtcNow() + RetryFailedAfter : DateTimeOffset.MaxValue;
        return new ProbedList(offered, probes, expires);
    }

    private static async Task<VoiceProbe> ProbeAsync(IStreamingTextToSpeech tts, VoiceInfo voice)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        try
        {
            short[] pcm = await SynthesizePcmAsync(tts, ProbeText, voice.Id, timeout.Token).ConfigureAwait(false);
            double spoken = SpeechMeasure.SpokenSeconds(pcm, PreviewSampleRateHz);
            return spoken >= MinimumSpeechSeconds
                ? new VoiceProbe(voice, spoken, null)
                : new VoiceProbe(voice, spoken, $"only {spoken:0.00} s of speech");
        }
        catch (Exception ex) when (ex is ArgumentException or SpeechProviderException or InvalidOperationException or HttpRequestException or OperationCanceledException)
        {
            return new VoiceProbe(voice, 0, ex is OperationCanceledException ? $"no audio within {ProbeTimeout.TotalSeconds:0} s" : ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} lists the voice {VoiceId} ({VoiceName}) but it does not speak: {Error}; not offered")]
    private static partial void LogNotOffered(ILogger logger, string provider, string voiceId, string voiceName, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider}: {Offered} of {Listed} listed voices speak and are offered")]
    private static partial void LogProbed(ILogger logger, string provider, int offered, int listed);

    /// <summary>One provider's probed voices.</summary>
    private sealed record ProbedList(IReadOnlyList<VoiceInfo> Offered, IReadOnlyList<VoiceProbe> Probes, DateTimeOffset ExpiresAt);
}
