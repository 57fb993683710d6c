using System.ComponentModel.DataAnnotations;

namespace Portal.Voice.SpeechToText;

/// <summary>Settings of <see cref="OpenAiCompatibleSpeechToText"/>, bound from <c>Voice:SpeechToText:OpenAi</c>.</summary>
public sealed class OpenAiSpeechToTextOptions
{
    /// <summary>Server origin, e.g. <c>http://whisper:8000</c> (a self-hosted faster-whisper/whisper.cpp server) or <c>https://api.openai.com</c>. Empty: the provider is not offered.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Bearer key (<c>Authorization: Bearer …</c>); self-hosted servers often need none. Secret: never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Model name sent as <c>model</c> (<c>whisper-1</c>; self-hosted servers use their own names).</summary>
    [Required]
    public string Model { get; set; } = "whisper-1";

    /// <summary><c>response_format</c>: <c>verbose_json</c> (segments with <c>avg_logprob</c>, gives a confidence) or <c>json</c>.</summary>
    [RegularExpression("^(json|verbose_json)$")]
    public string ResponseFormat { get; set; } = "verbose_json";

    /// <summary>Timeout of one transcription request, in seconds.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;
}
