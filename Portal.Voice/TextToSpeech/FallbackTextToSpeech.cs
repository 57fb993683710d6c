using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Portal.Voice.SpeechToText;

namespace Portal.Voice.TextToSpeech;

/// <summary>A voice that could not speak during a call, and what spoke instead.</summary>
/// <param name="Provider">Display name of the provider that failed.</param>
/// <param name="VoiceId">The voice that failed.</param>
/// <param name="Error">Why (the provider's error, or "no audio").</param>
/// <param name="SpokenWith">The provider and voice that spoke instead ("espeak-ng (offline) en-us"), or null when none could.</param>
public sealed record SynthesisFailure(string Provider, string VoiceId, string Error, string? SpokenWith)
{
    /// <summary>One line for owners and admins, at most <paramref name="maxLength"/> characters.</summary>
    /// <param name="maxLength">Longest result.</param>
    /// <returns>E.g. "espeak-ng (offline) could not speak with voice 'variant+f3' (…); spoken with espeak-ng (offline) en-us".</returns>
    public string Describe(int maxLength = 200)
    {
        string text = $"{Provider} could not speak with voice '{VoiceId}' ({Error}); " + (SpokenWith is null ? "no voice could speak" : "spoken with " + SpokenWith);
        return text.Length <= maxLength ? text : text[..(maxLength - 1)] + "…";
    }
}

/// <summary>
/// Keeps a call audible when its voice cannot speak. Wraps a call's synthesizer: a sentence whose synthesis fails (an
/// exception, or no audio at all) before any audio left is spoken again in the provider's default voice (the first it
/// lists), and if that fails too in the keyless engine's voice (espeak-ng <c>en-us</c>). Each failure is logged and
/// reported once through the callback (the call counts it for its agent), and the failed voice is skipped for the rest of
/// the call, so later sentences go straight to the voice that works. A failure after audio already left cannot be undone:
/// it is reported and rethrown (the session ends that reply), and the next sentence starts on the fallback.
/// </summary>
/// <remarks>
/// Two instances are equal when their inner synthesizers are, so the greeting cache (<c>PhoneSpeechCache</c>, keyed by
/// provider) is shared by calls as before. A prompt cached from a fallback keeps the fallback voice until restart.
/// </remarks>
public sealed partial class FallbackTextToSpeech : IStreamingTextToSpeech
{
    private readonly IStreamingTextToSpeech _primary;
    private readonly IStreamingTextToSpeech? _lastResort;
    private readonly string? _lastResortVoice;
    private readonly Func<SynthesisFailure, CancellationToken, Task> _report;
    private readonly ILogger _logger;
    private readonly HashSet<(string Provider, string Voice)> _broken = [];

    /// <summary>Wraps <paramref name="primary"/>.</summary>
    /// <param name="primary">The call's synthesizer.</param>
    /// <param name="lastResort">Synthesizer of the last resort (espeak-ng), or null for none.</param>
    /// <param name="lastResortVoice">Its voice (<see cref="EspeakTextToSpeech.DefaultVoice"/>).</param>
    /// <param name="report">Called once per failure (awaited; its exceptions are logged, never thrown into the call).</param>
    /// <param name="logger">Logger.</param>
    public FallbackTextToSpeech(IStreamingTextToSpeech primary, IStreamingTextToSpeech? lastResort, string? lastResortVoice,
        Func<SynthesisFailure, CancellationToken, Task> report, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(primary);
        _primary = primary;
        _lastResort = lastResort;
        _lastResortVoice = lastResortVoice;
        _report = report;
        _logger = logger;
    }

    /// <summary>Longest wait for the failure callback, so a slow store never holds the call's audio.</summary>
    public static TimeSpan ReportTimeout { get; } = TimeSpan.FromSeconds(3);

    /// <inheritdoc />
    public string ProviderName => _primary.ProviderName;

    /// <inheritdoc />
    public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) => _primary.ListVoicesAsync(cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Empty text.</exception>
    /// <exception cref="SpeechProviderException">No voice could speak the sentence, or one failed after its audio began.</exception>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeStreamAsync(string text, string voiceId, AudioFormat format, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("Nothing to say.", nameof(text));
        }

        // The fallbacks are looked up only once the chosen voice has failed: a working call pays nothing for them.
        var attempts = new List<(IStreamingTextToSpeech Tts, string Voice)> { (_primary, voiceId) };
        bool planned = false;
        ExceptionDispatchInfo? lastError = null;
        for (int i = 0; i < attempts.Count; i++)
        {
            if (!planned && IsBroken(_primary, voiceId))
            {
                await PlanFallbacksAsync(attempts, cancellationToken);
                planned = true;
            }

            var (tts, voice) = attempts[i];
            if (i < attempts.Count - 1 && IsBroken(tts, voice))
            {
                continue;
            }

            bool spoke = false;
            Exception? error = null;
            await using (var audio = tts.SynthesizeStreamAsync(text, voice, format, cancellationToken).GetAsyncEnumerator(cancellationToken))
            {
                while (true)
                {
                    try
                    {
                        if (!await audio.MoveNextAsync())
                        {
                            break;
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        error = ex;
                        break;
                    }

                    spoke |= audio.Current.Length > 0;
                    yield return audio.Current;
                }
            }

            if (error is null && spoke)
            {
                yield break;
            }

            error ??= new SpeechProviderException(tts.ProviderName, "produced no audio.");
            MarkBroken(tts, voice);
            if (!planned)
            {
                await PlanFallbacksAsync(attempts, cancellationToken);
                planned = true;
            }

            string? next = spoke ? null : NextDescription(attempts, i);
            await ReportAsync(new SynthesisFailure(tts.ProviderName, voice, Reason(error), next), error);
            lastError = ExceptionDispatchInfo.Capture(error);
            if (spoke)
            {
                break; // audio already left in this voice: the sentence cannot be restarted cleanly
            }
        }

        lastError?.Throw();
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FallbackTextToSpeech other && _primary.Equals(other._primary);

    /// <inheritdoc />
    public override int GetHashCode() => _primary.GetHashCode();

    private static string Reason(Exception error) => error switch
    {
        SpeechProviderException p => p.Message.StartsWith(p.Provider + ": ", StringComparison.Ordinal) ? p.Message[(p.Provider.Length + 2)..] : p.Message,
        _ => error.Message,
    };

    /// <summary>Appends the provider's default voice (its first listed) and the last resort to <paramref name="plan"/>, skipping repeats.</summary>
    private async Task PlanFallbacksAsync(List<(IStreamingTextToSpeech Tts, string Voice)> plan, CancellationToken ct)
    {
        string voiceId = plan[0].Voice;
        try
        {
            var listed = await _primary.ListVoicesAsync(ct);
            if (listed.Count > 0 && listed[0].Id != voiceId)
            {
                plan.Add((_primary, listed[0].Id));
            }
        }
        catch (Exception ex) when (ex is SpeechProviderException or HttpRequestException or InvalidOperationException)
        {
            LogNoVoiceList(_logger, _primary.ProviderName, ex.Message);
        }

        if (_lastResort is not null && _lastResortVoice is not null
            && !plan.Any(p => p.Tts.ProviderName == _lastResort.ProviderName && p.Voice == _lastResortVoice))
        {
            plan.Add((_lastResort, _lastResortVoice));
        }
    }

    /// <summary>The attempt that will speak after <paramref name="failed"/>: the next one not known broken, else the last.</summary>
    private string? NextDescription(IReadOnlyList<(IStreamingTextToSpeech Tts, string Voice)> attempts, int failed)
    {
        for (int j = failed + 1; j < attempts.Count; j++)
        {
            if (j == attempts.Count - 1 || !IsBroken(attempts[j].Tts, attempts[j].Voice))
            {
                return $"{attempts[j].Tts.ProviderName} {attempts[j].Voice}";
            }
        }

        return null;
    }

    private bool IsBroken(IStreamingTextToSpeech tts, string voice)
    {
        lock (_broken)
        {
            return _broken.Contains((tts.ProviderName, voice));
        }
    }

    private void MarkBroken(IStreamingTextToSpeech tts, string voice)
    {
        lock (_broken)
        {
            _broken.Add((tts.ProviderName, voice));
        }
    }

    private async Task ReportAsync(SynthesisFailure failure, Exception error)
    {
        LogFailed(_logger, error, failure.Provider, failure.VoiceId, failure.SpokenWith ?? "nothing");
        using var timeout = new CancellationTokenSource(ReportTimeout);
        try
        {
            await _report(failure, timeout.Token);
        }
        catch (Exception ex)
        {
            // The count is bookkeeping: never let it break the call's audio.
            LogReportFailed(_logger, ex, failure.Provider, failure.VoiceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Speech synthesis failed: {Provider} voice {VoiceId}; continuing with {SpokenWith}")]
    private static partial void LogFailed(ILogger logger, Exception error, string provider, string voiceId, string spokenWith);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Speech synthesis failure of {Provider} voice {VoiceId} could not be recorded")]
    private static partial void LogReportFailed(ILogger logger, Exception error, string provider, string voiceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} voice list unavailable ({Error}); no default-voice fallback on it")]
    private static partial void LogNoVoiceList(ILogger logger, string provider, string error);
}
