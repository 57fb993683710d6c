namespace Portal.Voice.Calls;

/// <summary>
/// One caller-side event read from a call transport: a frame of caller audio, a keypad digit, or the end of the call.
/// Exists so the speech pipeline (turn-taking, endpointing, barge-in) can be fed by the Twilio Media Streams socket
/// or by a browser WebSocket without copying its logic.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Pcm16">Caller audio as 16-bit little-endian mono PCM at <see cref="ICallAudioTransport.InputSampleRate"/> Hz; empty unless <see cref="CallTransportEventKind.Audio"/>.</param>
/// <param name="Digit">The DTMF digit (0-9, *, #); null unless <see cref="CallTransportEventKind.Dtmf"/>.</param>
/// <param name="Mark">The name of a mark the far end finished playing; null unless <see cref="CallTransportEventKind.Mark"/>.</param>
public readonly record struct CallTransportEvent(CallTransportEventKind Kind, ReadOnlyMemory<byte> Pcm16, char? Digit = null, string? Mark = null);

/// <summary>Kinds of <see cref="CallTransportEvent"/>.</summary>
public enum CallTransportEventKind
{
    /// <summary>A frame of caller audio (20 ms is usual).</summary>
    Audio,

    /// <summary>A keypad digit.</summary>
    Dtmf,

    /// <summary>The far end finished playing the audio sent before a mark (Twilio <c>mark</c> echo, browser playback end).</summary>
    Mark,

    /// <summary>The caller hung up or the socket closed.</summary>
    Stop,
}

/// <summary>
/// The wire under a call: receives caller audio/DTMF/marks and sends agent audio, marks and <c>clear</c>.
/// Twilio Media Streams (μ-law 8 kHz JSON, https://www.twilio.com/docs/voice/media-streams/websocket-messages) and the
/// browser test call (PCM16 16 kHz binary frames in, PCM16 out) are two implementations.
/// </summary>
/// <remarks>REVIEW: not yet wired into <see cref="MediaStreamSession"/>; the browser call endpoint is still to be built.</remarks>
public interface ICallAudioTransport
{
    /// <summary>Sample rate of caller audio in <see cref="CallTransportEvent.Pcm16"/>, in Hz (8000 for Twilio, 16000 for the browser).</summary>
    int InputSampleRate { get; }

    /// <summary>Sample rate of agent audio accepted by <see cref="SendAudioAsync"/>, in Hz.</summary>
    int OutputSampleRate { get; }

    /// <summary>Reads the next caller event; returns a <see cref="CallTransportEventKind.Stop"/> event when the far end closed.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">A frame violated the transport's protocol.</exception>
    ValueTask<CallTransportEvent> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Sends agent audio: 16-bit little-endian mono PCM at <see cref="OutputSampleRate"/> Hz.</summary>
    /// <param name="pcm16">The samples; an even number of bytes.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm16, CancellationToken cancellationToken);

    /// <summary>Sends a mark that the far end echoes once everything sent before it has played.</summary>
    /// <param name="name">The mark name (at most 64 characters).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    ValueTask SendMarkAsync(string name, CancellationToken cancellationToken);

    /// <summary>Asks the far end to drop queued agent audio at once (barge-in); pending marks are echoed.</summary>
    /// <param name="cancellationToken">Cancels the send.</param>
    ValueTask SendClearAsync(CancellationToken cancellationToken);
}
