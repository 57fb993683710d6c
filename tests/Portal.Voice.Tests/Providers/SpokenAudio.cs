using Microsoft.Extensions.Logging.Abstractions;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.Tests.Providers;

/// <summary>Real speech for provider tests: espeak-ng output converted to the wanted format, framed in 20 ms.</summary>
internal static class SpokenAudio
{
    public static readonly EspeakStreamingTextToSpeech Espeak = new(new EspeakTextToSpeech(NullLogger<EspeakTextToSpeech>.Instance));

    public static Task<byte[]> SayAsync(string text, AudioFormat format) =>
        Espeak.SynthesizeAsync(text, "en-us", format, CancellationToken.None);

    public static byte[] Silence(int ms, AudioFormat format)
    {
        var bytes = new byte[format.SampleRateHz * ms / 1000 * format.BytesPerSample];
        if (format.Encoding == AudioEncoding.MuLaw)
        {
            Array.Fill(bytes, MuLaw.Silence);
        }

        return bytes;
    }

    /// <summary>Leading silence, the sentence, trailing silence.</summary>
    public static async Task<byte[]> UtteranceAsync(string text, AudioFormat format, int leadMs = 400, int tailMs = 1200) =>
        [.. Silence(leadMs, format), .. await SayAsync(text, format), .. Silence(tailMs, format)];

    /// <summary>Sends <paramref name="audio"/> in 20 ms frames, as fast as the stream takes them.</summary>
    public static async Task SendFramesAsync(ISpeechToTextStream stream, byte[] audio, AudioFormat format)
    {
        int frame = format.SampleRateHz / 50 * format.BytesPerSample;
        for (int offset = 0; offset < audio.Length; offset += frame)
        {
            await stream.SendAudioAsync(audio.AsMemory(offset, Math.Min(frame, audio.Length - offset)), CancellationToken.None);
        }
    }

    public static double RmsDbfs(ReadOnlySpan<short> pcm)
    {
        double sum = 0;
        foreach (var s in pcm)
        {
            sum += (double)s * s;
        }

        return pcm.Length == 0 ? -100 : 20 * Math.Log10(Math.Max(1e-9, Math.Sqrt(sum / pcm.Length) / 32768.0));
    }
}
