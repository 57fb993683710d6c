using System.Buffers;
using System.Net.WebSockets;
using Portal.Voice.SpeechToText;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls;

/// <summary>
/// The Twilio Media Streams wire of a phone call: JSON text frames both ways, caller and agent audio as base64 μ-law at
/// 8000 Hz (https://www.twilio.com/docs/voice/media-streams/websocket-messages; summary in docs/protocols/twilio.md). Oversized, binary and
/// malformed frames are reported as <see cref="CallTransportEvent.Malformed"/> and the call goes on.
/// </summary>
/// <remarks>Outbound messages carry the <c>streamSid</c> of the first <c>start</c> read. One reader at a time; sends are serialized.</remarks>
public sealed class TwilioMediaStreamTransport : ICallTransport, IDisposable
{
    /// <summary>Largest WebSocket message accepted, in bytes (64 KiB); larger ones are skipped.</summary>
    public const int MaxFrameBytes = 64 * 1024;

    private readonly WebSocket _socket;
    private readonly byte[] _buffer = new byte[MaxFrameBytes];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(512);
    private string? _streamSid;

    /// <summary>Wraps an accepted Media Streams WebSocket (the caller owns and disposes it).</summary>
    /// <param name="socket">The socket.</param>
    public TwilioMediaStreamTransport(WebSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
    }

    /// <inheritdoc />
    public AudioFormat RecognizerFormat => AudioFormat.Phone;

    /// <inheritdoc />
    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <inheritdoc />
    public async ValueTask<CallTransportEvent> ReceiveAsync(CancellationToken cancellationToken)
    {
        int length = 0;
        bool oversized = false;
        while (true)
        {
            var segment = oversized ? new ArraySegment<byte>(_buffer) : new ArraySegment<byte>(_buffer, length, _buffer.Length - length);
            if (segment.Count == 0)
            {
                oversized = true;
                segment = new ArraySegment<byte>(_buffer);
            }

            var result = await _socket.ReceiveAsync(segment, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return CallTransportEvent.Closed;
            }

            if (!oversized)
            {
                length += result.Count;
            }

            if (result.EndOfMessage)
            {
                if (oversized || result.MessageType != WebSocketMessageType.Text)
                {
                    return CallTransportEvent.Malformed("oversized or binary WebSocket message skipped");
                }

                if (!MediaStreamMessage.TryParse(_buffer.AsSpan(0, length), out var message, out var error))
                {
                    return CallTransportEvent.Malformed(error);
                }

                if (message is StartMessage start)
                {
                    _streamSid ??= start.StreamSid;
                }

                return new CallTransportEvent(message);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> ulawFrame, CancellationToken cancellationToken) =>
        SendAsync(w => MediaStreamMessage.WriteOutboundMedia(w, _streamSid!, ulawFrame.Span), cancellationToken);

    /// <inheritdoc />
    public ValueTask SendMarkAsync(string name, string text, Action onSending, CancellationToken cancellationToken) =>
        SendAsync(
            w =>
            {
                onSending();
                new MarkMessage(null, _streamSid!, name).WriteTo(w);
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask SendClearAsync(Action onSending, CancellationToken cancellationToken) =>
        SendAsync(
            w =>
            {
                onSending();
                new ClearMessage(_streamSid!).WriteTo(w);
            },
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>Twilio Media Streams carry no transcript to the caller's side: nothing is sent.</remarks>
    public ValueTask SendCallerTurnAsync(string text, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(status, reason, cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Releases the send lock; the socket belongs to the caller.</summary>
    public void Dispose() => _sendLock.Dispose();

    private async ValueTask SendAsync(Action<IBufferWriter<byte>> write, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            if (_socket.State != WebSocketState.Open)
            {
                return;
            }

            ct.ThrowIfCancellationRequested();
            _sendBuffer.ResetWrittenCount();
            write(_sendBuffer);
            // Not cancelled by ct: cancelling a WebSocket send aborts the whole socket, and playback is cancelled on
            // every barge-in or key press. A frame is a few hundred bytes; the session's end closes the socket anyway.
            await _socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
