using Portal.Voice.Audio;
using Portal.Voice.SpeechToText.LanguageModels;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// What Whisper is fed: 16 kHz mono float samples in [-1, 1) (whisper.cpp's <c>WHISPER_SAMPLE_RATE</c>,
/// https://github.com/ggerganov/whisper.cpp/blob/master/include/whisper.h), and the initial prompt that biases its
/// decoder towards a business's words.
/// </summary>
public static class WhisperAudio
{
    /// <summary>Whisper's sample rate, Hz.</summary>
    public const int SampleRateHz = 16_000;

    /// <summary>Longest prompt in characters (Whisper keeps at most 224 prompt tokens; a token is about 4 characters).</summary>
    public const int MaxPromptLength = 800;

    /// <summary>Converts PCM16 at any rate to Whisper's input: resampled to 16 kHz (8 kHz phone audio is upsampled), scaled by 1/32768.</summary>
    /// <param name="pcm">PCM16 samples.</param>
    /// <param name="sampleRateHz">Their rate, Hz.</param>
    /// <returns>Float samples at 16 kHz.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleRateHz"/> is not positive.</exception>
    public static float[] ToSamples(ReadOnlySpan<short> pcm, int sampleRateHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRateHz);
        short[] audio = pcm.ToArray();
        if (sampleRateHz != SampleRateHz)
        {
            var resampler = new Resampler(sampleRateHz, SampleRateHz, Resampler.MaxRationalFactor);
            var resampled = new short[resampler.MaxOutputLength(audio.Length)];
            audio = resampled[..resampler.Process(audio, resampled)];
        }

        var samples = new float[audio.Length];
        for (int i = 0; i < audio.Length; i++)
        {
            samples[i] = audio[i] / 32768f;
        }

        return samples;
    }

    /// <summary>
    /// The initial prompt for a business's line: its name, services and people as a sentence, so Whisper spells them
    /// as the business does ("Bright Smile Dental. Teeth Cleaning, Whitening. Dr. Patel."). Null without a vocabulary.
    /// </summary>
    /// <param name="vocabulary">The business's words, or null.</param>
    /// <returns>The prompt (at most <see cref="MaxPromptLength"/> characters), or null.</returns>
    public static string? Prompt(SpeechVocabulary? vocabulary)
    {
        if (vocabulary is null)
        {
            return null;
        }

        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(vocabulary.BusinessName))
        {
            parts.Add(vocabulary.BusinessName.Trim() + ".");
        }

        var services = vocabulary.Services.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (services.Count > 0)
        {
            parts.Add(string.Join(", ", services) + ".");
        }

        var people = vocabulary.People.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).ToList();
        if (people.Count > 0)
        {
            parts.Add(string.Join(", ", people) + ".");
        }

        var prompt = string.Join(' ', parts);
        if (prompt.Length > MaxPromptLength)
        {
            int cut = prompt.LastIndexOf(' ', MaxPromptLength);
            prompt = prompt[..(cut > 0 ? cut : MaxPromptLength)];
        }

        return prompt.Length == 0 ? null : prompt;
    }
}
