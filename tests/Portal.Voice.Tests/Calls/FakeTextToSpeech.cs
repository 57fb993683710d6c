using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Conversations;
using Portal.Voice.Audio;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Tests.Audio;
using Portal.Voice.Twilio;

namespace Portal.Voice.Tests.Calls;

/// <summary>0.1 s of a tone per sentence (keyless WAV engine); records every text it speaks.</summary>
internal sealed class RecordingTextToSpeech : ITextToSpeech
{
    public ConcurrentQueue<string> Texts { get; } = new();

    public double Seconds { get; init; } = 0.1;

    public string ProviderName => "fake";

    public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VoiceInfo>>([new VoiceInfo("en-us", "US", "en-us")]);

    public Task<SynthesizedAudio> SynthesizeAsync(string text, string voiceId, CancellationToken cancellationToken)
    {
        Texts.Enqueue(text);
        var samples = new short[(int)(22050 * Seconds)];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)(4000 * Math.Sin(2 * Math.PI * 300 * i / 22050));
        }

        return Task.FromResult(new SynthesizedAudio(WavPcmTests.Wav(samples, 22050), "audio/wav"));
    }
}

/// <summary>Instant streaming text-to-speech: μ-law tone, <see cref="Seconds"/> per sentence, in 3 chunks of odd sizes.</summary>
internal sealed class FakeStreamingTextToSpeech : IStreamingTextToSpeech
{
    public ConcurrentQueue<string> Texts { get; } = new();

    public double Seconds { get; init; } = 0.1;

    public string ProviderName => "fake streaming";

    public Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VoiceInfo>>([new VoiceInfo("en-us", "US", "en-us")]);

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> SynthesizeStreamAsync(string text, string voiceId, AudioFormat format, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        Assert.Equal(AudioFormat.Phone, format);
        Texts.Enqueue(text);
        var audio = new byte[(int)(8000 * Seconds)];
        for (int i = 0; i < audio.Length; i++)
        {
            audio[i] = MuLaw.EncodeSample((short)(6000 * Math.Sin(2 * Math.PI * 300 * i / 8000)));
        }

        int third = audio.Length / 3 + 7;
        for (int start = 0; start < audio.Length; start += third)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return audio.AsMemory(start, Math.Min(third, audio.Length - start));
        }
    }
}
