using System.Net.WebSockets;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;

namespace Portal.Fakes.Twilio;

/// <summary>How <see cref="TwilioCallSimulator"/> places one call.</summary>
public sealed record SimulatedCallOptions
{
    /// <summary>Origin of the Portal under test, e.g. <c>http://127.0.0.1:5000</c>.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The called number (the business's Twilio number), E.164.</summary>
    public required string To { get; init; }

    /// <summary>The caller's number, E.164.</summary>
    public string From { get; init; } = "+14155550199";

    /// <summary>Auth token signing the webhook (the sandbox token in keyless mode). Secret: never printed.</summary>
    public required string AuthToken { get; init; }

    /// <summary>
    /// What the caller does, in order: a line of speech (spoken by espeak-ng), or <c>dtmf:DIGITS</c> to press keys.
    /// After each step the caller waits for the agent to finish speaking.
    /// </summary>
    public IReadOnlyList<string> Script { get; init; } = [];

    /// <summary>Path of the voice webhook (default <c>/twilio/voice</c>).</summary>
    public string VoicePath { get; init; } = "/twilio/voice";

    /// <summary>Account SID sent (AC + 32 hex).</summary>
    public string AccountSid { get; init; } = "AC" + new string('0', 31) + "1";

    /// <summary>CallSid; null makes a random one.</summary>
    public string? CallSid { get; init; }

    /// <summary>espeak-ng voice of the caller.</summary>
    public string CallerVoice { get; init; } = "en-us";

    /// <summary>Pause before each caller step once the agent is quiet, in ms.</summary>
    public int PauseBeforeLineMs { get; init; } = 600;

    /// <summary>Agent silence (no media and no pending mark) that counts as "finished speaking", in ms.</summary>
    public int AgentQuietMs { get; init; } = 900;

    /// <summary>Longest wait for the agent to answer and finish, in ms, before the caller goes on anyway.</summary>
    public int AgentTimeoutMs { get; init; } = 20_000;

    /// <summary>
    /// Sends <c>X-Twilio-Signature</c> on the Media Streams WebSocket upgrade, as Twilio does: HMAC-SHA1 with
    /// <see cref="AuthToken"/> over the <c>wss://</c> URL of the TwiML's <c>&lt;Stream&gt;</c>, no parameters
    /// (docs/protocols/twilio.md). Default true; not sent through <see cref="ConnectWebSocket"/>.
    /// </summary>
    public bool SignMediaStreamUpgrade { get; init; } = true;

    /// <summary>Connects the Media Streams WebSocket (tests can use an in-memory server); null = <see cref="ClientWebSocket"/>.</summary>
    public Func<Uri, CancellationToken, Task<WebSocket>>? ConnectWebSocket { get; init; }
}

/// <summary>One caller step and the agent's answer to it.</summary>
/// <param name="Caller">What the caller said, or <c>dtmf:…</c>.</param>
/// <param name="LatencyMs">End of the caller's audio (or the DTMF) → first agent <c>media</c> frame, ms; null when the agent did not answer.</param>
/// <param name="AgentAudio">The agent's μ-law 8 kHz audio received after this step.</param>
public sealed record SimulatedTurn(string Caller, double? LatencyMs, byte[] AgentAudio)
{
    /// <summary>Length of the agent's answer in ms (8 bytes per ms).</summary>
    public int AgentAudioMs => AgentAudio.Length / 8;
}

/// <summary>What happened on one simulated call.</summary>
/// <param name="CallSid">The call's SID.</param>
/// <param name="Twiml">The webhook's answer.</param>
/// <param name="StreamParameters">The <c>&lt;Parameter&gt;</c>s of the <c>&lt;Stream&gt;</c>.</param>
/// <param name="GreetingLatencyMs"><c>start</c> sent → first agent media frame, ms (null when none came).</param>
/// <param name="Greeting">The agent's audio before the caller's first step.</param>
/// <param name="Turns">One entry per script step.</param>
/// <param name="AgentAudio">All agent audio, μ-law 8 kHz, in order of arrival.</param>
/// <param name="MarksEchoed">Marks echoed back to the agent.</param>
/// <param name="ClearsReceived"><c>clear</c> messages received.</param>
/// <param name="MediaFramesSent">Caller media frames sent (20 ms each, silence included).</param>
/// <param name="Error">Why the call did not run fully (403, no stream, socket closed early...), or null.</param>
public sealed record SimulatedCallResult(
    string CallSid,
    string Twiml,
    IReadOnlyDictionary<string, string> StreamParameters,
    double? GreetingLatencyMs,
    byte[] Greeting,
    IReadOnlyList<SimulatedTurn> Turns,
    byte[] AgentAudio,
    int MarksEchoed,
    int ClearsReceived,
    int MediaFramesSent,
    string? Error)
{
    /// <summary>Writes <see cref="AgentAudio"/> as an 8 kHz 16-bit mono WAV file.</summary>
    /// <param name="path">File path; its directory is created.</param>
    public void SaveAgentWav(string path)
    {
        var pcm = new short[AgentAudio.Length];
        MuLaw.Decode(AgentAudio, pcm);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, WavWriter.Mono16(pcm, 8000));
    }
}
