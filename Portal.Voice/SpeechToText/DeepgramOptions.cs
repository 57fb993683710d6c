using System.ComponentModel.DataAnnotations;

namespace Portal.Voice.SpeechToText;

/// <summary>Settings of <see cref="DeepgramSpeechToText"/>, bound from <c>Voice:SpeechToText:Deepgram</c>.</summary>
public sealed class DeepgramOptions
{
    /// <summary>API origin; <c>https</c>/<c>wss</c> and <c>http</c>/<c>ws</c> are both accepted (default <c>wss://api.deepgram.com</c>).</summary>
    [Required]
    public string BaseUrl { get; set; } = "wss://api.deepgram.com";

    /// <summary>API key sent as <c>Authorization: Token &lt;key&gt;</c>. Secret: never logged. Empty: the provider is not offered.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Model (<c>nova-3</c>; <c>nova-2-phonecall</c> suits 8 kHz calls).</summary>
    [Required]
    public string Model { get; set; } = "nova-3";

    /// <summary>Deepgram <c>utterance_end_ms</c> in ms (0: not requested). Needs interim results, which are always on.</summary>
    [Range(0, 5000)]
    public int UtteranceEndMs { get; set; } = 1000;

    /// <summary>Idle time after which a <c>KeepAlive</c> is sent, in ms (Deepgram closes after 10 s without data; docs advise 3–5 s).</summary>
    [Range(100, 9000)]
    public int KeepAliveIntervalMs { get; set; } = 4000;

    /// <summary>Longest wait for the WebSocket handshake, in ms.</summary>
    [Range(100, 60000)]
    public int ConnectTimeoutMs { get; set; } = 10_000;

    /// <summary>Longest wait after <c>CloseStream</c> for the last results and the server's close, in ms.</summary>
    [Range(100, 60000)]
    public int CloseTimeoutMs { get; set; } = 5000;
}
