using System.ComponentModel.DataAnnotations;

namespace Portal.Voice.TextToSpeech;

/// <summary>Settings of <see cref="ElevenLabsTextToSpeech"/>, bound from <c>Voice:TextToSpeech:ElevenLabs</c>.</summary>
public sealed class ElevenLabsOptions
{
    /// <summary>API origin (default <c>https://api.elevenlabs.io</c>); the WebSocket uses the matching <c>wss</c>/<c>ws</c> scheme.</summary>
    [Required]
    public string BaseUrl { get; set; } = "https://api.elevenlabs.io";

    /// <summary>API key sent as the <c>xi-api-key</c> header. Secret: never logged. Empty: the provider is not offered.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Model id; the low-latency <c>eleven_flash_v2_5</c> by default.</summary>
    [Required]
    public string Model { get; set; } = "eleven_flash_v2_5";

    /// <summary>Voice used when a persona names none ("Rachel", <c>21m00Tcm4TlvDq8ikWAM</c>, a premade voice).</summary>
    [Required]
    public string DefaultVoiceId { get; set; } = "21m00Tcm4TlvDq8ikWAM";

    /// <summary>Voice stability 0..1 sent in <c>voice_settings</c> (ElevenLabs default 0.5).</summary>
    [Range(0.0, 1.0)]
    public double Stability { get; set; } = 0.5;

    /// <summary>Similarity boost 0..1 sent in <c>voice_settings</c> (ElevenLabs default 0.75).</summary>
    [Range(0.0, 1.0)]
    public double SimilarityBoost { get; set; } = 0.75;

    /// <summary>Longest wait for the WebSocket handshake, in ms.</summary>
    [Range(100, 60000)]
    public int ConnectTimeoutMs { get; set; } = 10_000;

    /// <summary>Longest wait for the next audio message of a sentence, in ms.</summary>
    [Range(100, 120000)]
    public int ReceiveTimeoutMs { get; set; } = 15_000;

    /// <summary>Timeout of the HTTP calls (voice list, HTTP stream), in seconds.</summary>
    [Range(1, 300)]
    public int HttpTimeoutSeconds { get; set; } = 30;
}
