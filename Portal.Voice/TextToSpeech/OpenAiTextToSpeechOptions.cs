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

    /// <summary>Voices offered (the OpenAI built-in voices by default; self-hosted servers have their own names).</summary>
    public List<string> Voices { get; set; } = ["alloy", "ash", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer"];

    /// <summary>Sample rate of the server's <c>pcm</c> output in Hz (OpenAI: 24000).</summary>
    [Range(8000, 48000)]
    public int PcmSampleRateHz { get; set; } = 24_000;

    /// <summary>Timeout of one synthesis request (until the response headers), in seconds.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;
}
