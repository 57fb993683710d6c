using System.ComponentModel.DataAnnotations;

namespace Portal.Voice.TextToSpeech;

/// <summary>Settings of <see cref="OpenAiCompatibleTextToSpeech"/>, bound from <c>Voice:TextToSpeech:OpenAi</c>.</summary>
public sealed class OpenAiTextToSpeechOptions
{
    /// <summary>Server origin, e.g. <c>https://api.openai.com</c> or a self-hosted server. Empty: the provider is not offered.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Bearer key; self-hosted servers often need none. Secret: never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Model sent as <c>model</c> (<c>gpt-4o-mini-tts</c>, <c>tts-1</c>, or the server's own).</summary>
    [Required]
    public string Model { get; set; } = "tts-1";

    /// <summary>OpenAI's built-in voices (https://platform.openai.com/docs/guides/text-to-speech#voice-options), used when <see cref="Voices"/> is empty.</summary>
    public static readonly IReadOnlyList<string> OpenAiVoices = ["alloy", "ash", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer"];

    /// <summary>
    /// Voices to offer (self-hosted servers have their own names); empty: <see cref="OpenAiVoices"/>. Starts empty on purpose:
    /// configuration binding appends to a list's initial items, so a default list here would mix OpenAI's names into a
    /// self-hosted server's.
    /// </summary>
    public List<string> Voices { get; set; } = [];

    /// <summary>The voices in effect: <see cref="Voices"/> without blanks and repeats, or <see cref="OpenAiVoices"/> when none is set.</summary>
    public IReadOnlyList<string> EffectiveVoices
    {
        get
        {
            var configured = Voices.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct(StringComparer.Ordinal).ToList();
            return configured.Count > 0 ? configured : OpenAiVoices;
        }
    }

    /// <summary>Sample rate of the server's <c>pcm</c> output in Hz (OpenAI: 24000).</summary>
    [Range(8000, 48000)]
    public int PcmSampleRateHz { get; set; } = 24_000;

    /// <summary>Timeout of one synthesis request (until the response headers), in seconds.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;
}
