using Portal.Voice.Calls;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Tests.Audio;

namespace Portal.Voice.Tests.Calls;

public sealed class PhoneSpeechCacheTests
{
    /// <summary>Counts calls; speaks one second of a 440 Hz tone at 22050 Hz, as espeak-ng's WAV format.</summary>
    internal sealed class FakeTextToSpeech : ITextToSpeech
    {
        public int Calls;

        public string ProviderName => "fake";

        public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<VoiceInfo>>([new VoiceInfo("en-us", "US", "en-us")]);

        public Task<SynthesizedAudio> SynthesizeAsync(string text, string voiceId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            var samples = new short[22050 * Math.Max(1, text.Length / 40)];
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 22050));
            }

            return Task.FromResult(new SynthesizedAudio(WavPcmTests.Wav(samples, 22050), "audio/wav"));
        }
    }

    [Fact]
    public async Task GetMuLaw_ConvertsTo8kHz_AndCachesPerTextAndVoice()
    {
        var tts = new FakeTextToSpeech();
        var cache = new PhoneSpeechCache(tts);

        var first = await cache.GetMuLawAsync("Hello there.", "en-us", CancellationToken.None);
        var second = await cache.GetMuLawAsync("Hello there.", "en-us", CancellationToken.None);
        _ = await cache.GetMuLawAsync("Hello there.", "en-gb", CancellationToken.None);

        Assert.InRange(first.Length, 7999, 8001); // one second at 8 kHz, one byte per sample
        Assert.Same(first, second);
        Assert.Equal(2, tts.Calls);
    }

    [Fact]
    public void WavToMuLaw8k_RejectsNonWav() =>
        Assert.Throws<InvalidOperationException>(() => PhoneSpeechCache.WavToMuLaw8k("nope"u8));

    [Fact]
    public async Task GetMuLaw_WithEspeak_ProducesPhoneAudio()
    {
        var cache = new PhoneSpeechCache(new EspeakTextToSpeech(Microsoft.Extensions.Logging.Abstractions.NullLogger<EspeakTextToSpeech>.Instance));
        var ulaw = await cache.GetMuLawAsync("Press 1 to hear our opening hours.", "en-us", CancellationToken.None);
        Assert.InRange(ulaw.Length, 8000, 8000 * 10); // 1-10 s of speech
        Assert.Contains(ulaw, b => b is < 0x70 or (> 0x80 and < 0xF0)); // not all silence
    }
}
