using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Fakes;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.Tests.TextToSpeech;

/// <summary>A call never goes silent: a voice that fails is replaced for the sentence and the rest of the call, and the failure is reported.</summary>
public sealed class FallbackTextToSpeechTests
{
    /// <summary>A synthesizer whose voices are byte values: voice "v7" yields 0x07 bytes; listed voices fail as told.</summary>
    private sealed class ScriptedSynthesizer(string name, params string[] voices) : IStreamingTextToSpeech
    {
        public ConcurrentQueue<string> Attempts { get; } = new();

        public HashSet<string> Throwing { get; } = [];

        public HashSet<string> Silent { get; } = [];

        public HashSet<string> FailingMidway { get; } = [];

        public string ProviderName => name;

        public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<VoiceInfo>>(voices.Select(v => new VoiceInfo(v, v.ToUpperInvariant(), "en")).ToList());

        public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeStreamAsync(string text, string voiceId, AudioFormat format, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Attempts.Enqueue(voiceId);
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            if (Throwing.Contains(voiceId))
            {
                throw new SpeechProviderException(name, $"voice {voiceId} refused");
            }

            if (Silent.Contains(voiceId))
            {
                yield break;
            }

            byte value = byte.Parse(voiceId[1..], System.Globalization.CultureInfo.InvariantCulture);
            yield return Enumerable.Repeat(value, 160).ToArray();
            if (FailingMidway.Contains(voiceId))
            {
                throw new SpeechProviderException(name, "connection lost");
            }

            yield return Enumerable.Repeat(value, 160).ToArray();
        }
    }

    private static async Task<byte[]> SayAsync(IStreamingTextToSpeech tts, string voice, CancellationToken ct = default)
    {
        using var all = new MemoryStream();
        await foreach (var chunk in tts.SynthesizeStreamAsync("Thanks for calling.", voice, AudioFormat.Phone, ct))
        {
            all.Write(chunk.Span);
        }

        return all.ToArray();
    }

    private static (FallbackTextToSpeech Tts, List<SynthesisFailure> Failures) Wrap(IStreamingTextToSpeech primary, IStreamingTextToSpeech? lastResort = null, string? lastResortVoice = null)
    {
        var failures = new List<SynthesisFailure>();
        var tts = new FallbackTextToSpeech(primary, lastResort, lastResortVoice, (f, _) =>
        {
            lock (failures)
            {
                failures.Add(f);
            }

            return Task.CompletedTask;
        }, NullLogger.Instance);
        return (tts, failures);
    }

    [Fact]
    public async Task VoiceThatThrows_IsSpokenInTheProviderDefault_ReportedOnce_AndSkippedForTheRestOfTheCall()
    {
        var primary = new ScriptedSynthesizer("Vendor", "v1", "v2", "v3");
        primary.Throwing.Add("v3");
        var (tts, failures) = Wrap(primary);

        var first = await SayAsync(tts, "v3");
        var second = await SayAsync(tts, "v3");

        Assert.Equal(320, first.Length);
        Assert.All(first, b => Assert.Equal(1, b)); // the provider's default voice: its first listed
        Assert.Equal(first, second);
        Assert.Equal(["v3", "v1", "v1"], primary.Attempts); // the failed voice is not retried on every sentence
        var failure = Assert.Single(failures);
        Assert.Equal(("Vendor", "v3", "Vendor v1"), (failure.Provider, failure.VoiceId, failure.SpokenWith));
        Assert.Contains("voice v3 refused", failure.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderDown_FallsBackToTheLastResort_EachFailureReported()
    {
        var primary = new ScriptedSynthesizer("Vendor", "v1", "v2");
        primary.Throwing.UnionWith(["v1", "v2"]);
        var keyless = new ScriptedSynthesizer("Keyless", "v9");
        var (tts, failures) = Wrap(primary, keyless, "v9");

        var audio = await SayAsync(tts, "v2");

        Assert.All(audio, b => Assert.Equal(9, b));
        Assert.Equal(["v2", "v1"], primary.Attempts);
        Assert.Equal([("v2", "Vendor v1"), ("v1", "Keyless v9")], failures.Select(f => (f.VoiceId, f.SpokenWith)));
    }

    [Fact]
    public async Task VoiceThatProducesNoAudio_CountsAsAFailure()
    {
        var primary = new ScriptedSynthesizer("Vendor", "v1", "v2");
        primary.Silent.Add("v2");
        var (tts, failures) = Wrap(primary);

        var audio = await SayAsync(tts, "v2");

        Assert.All(audio, b => Assert.Equal(1, b));
        Assert.Contains("no audio", Assert.Single(failures).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailureAfterAudioLeft_IsReportedAndRethrown_AndTheNextSentenceUsesTheFallback()
    {
        var primary = new ScriptedSynthesizer("Vendor", "v1", "v2");
        primary.FailingMidway.Add("v2");
        var (tts, failures) = Wrap(primary);

        await Assert.ThrowsAsync<SpeechProviderException>(() => SayAsync(tts, "v2"));
        var next = await SayAsync(tts, "v2");

        Assert.All(next, b => Assert.Equal(1, b));
        var failure = Assert.Single(failures);
        Assert.Null(failure.SpokenWith); // the sentence had started in the failing voice: nothing replaced it
    }

    [Fact]
    public async Task WorkingVoice_NeverAsksForTheVoiceList_NorReports()
    {
        var primary = new ScriptedSynthesizer("Vendor", "v1", "v2");
        var (tts, failures) = Wrap(primary);

        var audio = await SayAsync(tts, "v2");

        Assert.All(audio, b => Assert.Equal(2, b));
        Assert.Equal(["v2"], primary.Attempts);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Cancellation_IsNotAFailure()
    {
        var primary = new ScriptedSynthesizer("Vendor", "v1", "v2");
        var (tts, failures) = Wrap(primary);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SayAsync(tts, "v2", cts.Token));
        Assert.Empty(failures);
    }

    [Fact]
    public async Task RecorderThatThrows_NeverBreaksTheAudio()
    {
        var primary = new ScriptedSynthesizer("Vendor", "v1", "v2");
        primary.Throwing.Add("v2");
        var tts = new FallbackTextToSpeech(primary, null, null, (_, _) => throw new InvalidOperationException("database down"), NullLogger.Instance);

        var audio = await SayAsync(tts, "v2");

        Assert.All(audio, b => Assert.Equal(1, b));
    }

    [Fact]
    public async Task Espeak_StormVariantVoice_StillSpeaksInEnUs()
    {
        var espeak = EspeakAudio.Engine;
        var (tts, failures) = Wrap(espeak, espeak, EspeakTextToSpeech.DefaultVoice);

        var audio = await SayAsync(tts, "variant+f3");

        var pcm = PcmStreamConverter.ToPcm16(audio, AudioFormat.Phone);
        Assert.True(SpeechMeasure.SpokenSeconds(pcm, 8000) >= 0.5, "the fallback voice did not speak");
        var failure = Assert.Single(failures);
        Assert.Equal("variant+f3", failure.VoiceId);
        Assert.Equal($"{espeak.ProviderName} {EspeakTextToSpeech.DefaultVoice}", failure.SpokenWith);
    }
}
