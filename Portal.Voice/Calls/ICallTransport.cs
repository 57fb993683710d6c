using System.Net.WebSockets;
using Portal.Voice.SpeechToText;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls;

/// <summary>
/// One event read from a <see cref="ICallTransport"/>: a call message in the session's vocabulary (the Twilio Media Streams
/// records <see cref="StartMessage"/>, <see cref="MediaMessage"/> with 160 μ-law bytes at 8 kHz = 20 ms and a timestamp in
/// ms, <see cref="DtmfMessage"/>, <see cref="MarkMessage"/>, <see cref="StopMessage"/>), a malformed frame to log and skip,
/// or the end of the wire.
/// </summary>
/// <param name="Message">The message; null for a malformed frame or when the wire closed.</param>
/// <param name="RecognizerAudio">
/// For a <see cref="MediaMessage"/>: the same 20 ms of caller audio in <see cref="ICallTransport.RecognizerFormat"/> (the
/// browser's 16 kHz PCM16, so wideband recognizers hear more than the phone band); empty means "use the μ-law payload".
/// </param>
/// <param name="Error">Why a frame was skipped (safe to log); null otherwise.</param>
public readonly record struct CallTransportEvent(MediaStreamMessage? Message, ReadOnlyMemory<byte> RecognizerAudio = default, string? Error = null)
{
    /// <summary>The far end closed the wire.</summary>
    public static CallTransportEvent Closed => default;

    /// <summary>True when the far end closed the wire (no message and no error).</summary>
    public bool IsClosed => Message is null && Error is null;

    /// <summary>A frame that broke the wire protocol: logged and skipped, the call goes on.</summary>
    /// <param name="error">One-line reason, safe to log.</param>
    /// <returns>The event.</returns>
    public static CallTransportEvent Malformed(string error) => new(null, default, error);
}

/// <summary>
/// The wire under a <see cref="MediaStreamSession"/>: receives caller audio (20 ms μ-law frames with timestamps, plus the
/// same audio in the recognizer's format), keypad digits, echoed marks and the stop; sends agent audio, marks and
/// <c>clear</c>. Turn-taking, endpointing, barge-in, consent and the conversation stay in the session, so a phone call
/// and the browser test call share them. Implementations: <see cref="TwilioMediaStreamTransport"/> (Twilio Media Streams
/// JSON, https://www.twilio.com/docs/voice/media-streams/websocket-messages) and <see cref="BrowserCallTransport"/>
/// (PCM16 binary frames and JSON events from the portal's "Call your agent").
/// </summary>
/// <remarks>
/// Sends are serialized by the transport (a WebSocket allows one send at a time). A send after the wire closed is
/// dropped silently; a send whose token is already cancelled throws <see cref="OperationCanceledException"/> before
/// anything leaves, and once a send started it is not cancelled (cancelling a WebSocket send aborts the socket).
/// </remarks>
public interface ICallTransport
{
    /// <summary>Format of <see cref="CallTransportEvent.RecognizerAudio"/>, given to the speech-to-text provider at open (μ-law 8 kHz for Twilio, PCM16 16 kHz for the browser).</summary>
    AudioFormat RecognizerFormat { get; }

    /// <summary>True while the wire is open for sending.</summary>
    bool IsOpen { get; }

    /// <summary>Reads the next event; <see cref="CallTransportEvent.Closed"/> when the far end closed.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The event.</returns>
    /// <exception cref="WebSocketException">The connection broke.</exception>
    ValueTask<CallTransportEvent> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Sends 20 ms of agent audio: 160 bytes of μ-law at 8000 Hz (the session's paced frames).</summary>
    /// <param name="ulawFrame">The frame.</param>
    /// <param name="cancellationToken">Checked before the send starts.</param>
    ValueTask SendAudioAsync(ReadOnlyMemory<byte> ulawFrame, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a mark after the audio of one spoken sentence; the far end echoes it once that audio played (or was cleared).
    /// </summary>
    /// <param name="name">Mark name (session-unique, at most 64 characters).</param>
    /// <param name="text">The sentence whose audio the mark closes (the browser shows it; Twilio does not carry it).</param>
    /// <param name="onSending">Runs under the send lock right before the mark leaves, and only if it does (the session records the chunk there).</param>
    /// <param name="cancellationToken">Checked before the send starts.</param>
    ValueTask SendMarkAsync(string name, string text, Action onSending, CancellationToken cancellationToken);

    /// <summary>Asks the far end to drop the agent audio it has queued (barge-in); its pending marks come back.</summary>
    /// <param name="onSending">Runs under the send lock right before <c>clear</c> leaves, and only if it does.</param>
    /// <param name="cancellationToken">Checked before the send starts.</param>
    ValueTask SendClearAsync(Action onSending, CancellationToken cancellationToken);

    /// <summary>
    /// Tells the far end the caller's finished turn, exactly as the session acts on it (the recognizer's final results
    /// joined, as the conversation stores the turn). The browser shows it as one transcript line; Twilio has no such
    /// message, so the phone transport sends nothing.
    /// </summary>
    /// <param name="text">The turn's words.</param>
    /// <param name="cancellationToken">Checked before the send starts.</param>
    ValueTask SendCallerTurnAsync(string text, CancellationToken cancellationToken);

    /// <summary>Closes our side of the wire (hang-up, a rejected start, or answering the peer's close); no-op once our close frame was sent.</summary>
    /// <param name="status">WebSocket close status.</param>
    /// <param name="reason">Short reason (at most 123 UTF-8 bytes, RFC 6455 §5.5).</param>
    /// <param name="cancellationToken">Cancels waiting for the send lock and the close frame.</param>
    ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken);
}
