using System.Net.WebSockets;
using Portal.Voice.Twilio;

namespace Portal.LoadDriver;

/// <summary>
/// Sends one call's messages from the media clock's thread without ever waiting: a send that does not complete at once is
/// left pending and checked on later ticks (<see cref="Poll"/>), and nothing else is sent on the socket until it has
/// completed (a WebSocket allows one send at a time). Control messages (<c>connected</c>, <c>start</c>, marks,
/// <c>dtmf</c>, <c>stop</c>) queue and go out in order before the next media frame.
/// </summary>
internal sealed class StreamSender(WebSocket socket)
{
    private readonly Queue<byte[]> _control = new();
    private Task? _pending;

    /// <summary>Checks the pending send.</summary>
    /// <param name="failure">Why the last send failed, or null.</param>
    /// <returns>True while a send is still in flight (send nothing now).</returns>
    public bool Poll(out string? failure)
    {
        failure = null;
        if (_pending is not { } pending)
        {
            return false;
        }

        if (!pending.IsCompleted)
        {
            return true;
        }

        _pending = null;
        if (!pending.IsCompletedSuccessfully)
        {
            failure = pending.Exception?.InnerException?.Message ?? "cancelled";
        }

        return false;
    }

    /// <summary>Queues a control message (serialized now, sent by <see cref="FlushControl"/>).</summary>
    public void Queue(MediaStreamMessage message) => _control.Enqueue(message.ToUtf8Json());

    /// <summary>Sends the queued control messages in order; false when a send is left pending.</summary>
    public bool FlushControl()
    {
        while (_control.TryDequeue(out var json))
        {
            if (!TrySend(json))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Starts a send of one text message; true when it completed at once, false when it is left pending.</summary>
    /// <param name="json">The message; must stay unchanged until the send completed.</param>
    public bool TrySend(ReadOnlyMemory<byte> json)
    {
        ValueTask send;
        try
        {
            send = socket.SendAsync(json, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            _pending = Task.FromException(ex);
            return false;
        }

        if (send.IsCompletedSuccessfully)
        {
            return true;
        }

        _pending = send.AsTask();
        return false;
    }

    /// <summary>Starts the closing handshake (after <c>stop</c>); its completion is checked like a send's.</summary>
    public void Close() => _pending = socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
}
