using System.Buffers.Binary;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Portal.Voice.Calls;

namespace Portal.IntegrationTests;

/// <summary>One event the server sent on a browser call (<see cref="BrowserCallTransport"/>'s JSON text frames).</summary>
internal sealed record CallEvent(string Event, string? Role, string Text, bool Final, JsonElement Json);

/// <summary>
/// The browser's side of "Call your agent": echoes marks once their audio "played" (immediately), collects events and
/// audio, and answers the server's close frame like a browser does. <see cref="ReadPauseAfterEnded"/> plays a slow
/// browser (a busy machine): its reader stalls after the <c>ended</c> event while its microphone keeps sending.
/// </summary>
internal sealed class BrowserCallClient : IAsyncDisposable
{
    /// <summary>How long any wait of a test on the call may take.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly List<CallEvent> _events = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _cts = new();
    private Task _reader = Task.CompletedTask;
    private int _cursor;
    private long _audioBytes;
    private long _lastAudioAt;
    private int? _framesAtEnded;

    private BrowserCallClient(TimeSpan readPauseAfterEnded) => ReadPauseAfterEnded = readPauseAfterEnded;

    /// <summary>Agent audio received, bytes.</summary>
    public long AudioBytes => Interlocked.Read(ref _audioBytes);

    /// <summary>Largest absolute PCM16 sample of the agent audio.</summary>
    public int LoudestSample { get; private set; }

    /// <summary>Binary frames that were not 640 bytes.</summary>
    public int OddAudioFrames { get; private set; }

    /// <summary>True once the reader stopped (close frame received, or the connection failed).</summary>
    public bool Closed { get; private set; }

    /// <summary>How long the reader stalls after the <c>ended</c> event before reading on.</summary>
    public TimeSpan ReadPauseAfterEnded { get; }

    /// <summary>Caller audio frames sent.</summary>
    public int FramesSent { get; private set; }

    /// <summary>Caller audio frames sent after the <c>ended</c> event arrived (while the close handshake was under way).</summary>
    public int FramesSentAfterEnded => _framesAtEnded is { } atEnded ? FramesSent - atEnded : 0;

    /// <summary>The close status the server sent, once its close frame arrived.</summary>
    public WebSocketCloseStatus? ServerCloseStatus => _socket.CloseStatus;

    /// <summary>Opens the call with the owner's cookies.</summary>
    public static async Task<BrowserCallClient> ConnectAsync(Uri uri, CookieContainer cookies, TimeSpan readPauseAfterEnded = default)
    {
        var client = new BrowserCallClient(readPauseAfterEnded);
        client._socket.Options.Cookies = cookies;
        await client._socket.ConnectAsync(uri, CancellationToken.None);
        client._reader = Task.Run(client.ReadAsync);
        return client;
    }

    /// <summary>The next event (after the last one returned) that matches; fails after <see cref="Wait"/>.</summary>
    public async Task<CallEvent> NextAsync(Func<CallEvent, bool> match, bool fromStart = false)
    {
        if (fromStart)
        {
            lock (_events)
            {
                return _events.First(match);
            }
        }

        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            lock (_events)
            {
                while (_cursor < _events.Count)
                {
                    var e = _events[_cursor++];
                    if (match(e))
                    {
                        return e;
                    }
                }

                Assert.False(Closed, "the call closed; events: " + Describe());
            }

            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, "timed out; events: " + Describe());
            await _arrived.WaitAsync(left);
        }
    }

    /// <summary>Waits until no agent audio arrived for 600 ms.</summary>
    public async Task UntilAgentQuietAsync()
    {
        var deadline = DateTime.UtcNow + Wait;
        while (Environment.TickCount64 - Interlocked.Read(ref _lastAudioAt) < 600)
        {
            Assert.True(DateTime.UtcNow < deadline, "the agent never stopped talking");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends 16 kHz PCM16 as 640-byte frames, one per 20 ms on an absolute schedule, until the call ends.</summary>
    public async Task SpeakAsync(byte[] pcm)
    {
        var start = System.Diagnostics.Stopwatch.StartNew();
        int frames = pcm.Length / BrowserCallTransport.InputFrameBytes;
        for (int k = 0; k < frames && !Closed && _socket.State == WebSocketState.Open; k++)
        {
            var due = TimeSpan.FromMilliseconds(20 * k) - start.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            if (await SendAsync(pcm.AsMemory(k * BrowserCallTransport.InputFrameBytes, BrowserCallTransport.InputFrameBytes), WebSocketMessageType.Binary))
            {
                FramesSent++;
            }
        }
    }

    /// <summary>
    /// Hangs up as the page's button does (<c>{"event":"stop"}</c>), then expects the server's <c>ended</c> and a clean
    /// close handshake: the reader must end without an error (a connection dropped without a close frame throws).
    /// </summary>
    public async Task HangUpAsync()
    {
        await SendAsync("{\"event\":\"stop\"}"u8.ToArray(), WebSocketMessageType.Text);
        var ended = await NextAsync(e => e.Event == "ended");
        Assert.Equal("call ended", ended.Json.GetProperty("reason").GetString());
        await _reader.WaitAsync(Wait);
        Assert.True(Closed);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, _socket.CloseStatus);
    }

    /// <summary>Hangs up as a closing tab does: a close frame first, waiting for the server's answering close frame.</summary>
    public async Task CloseFirstAsync()
    {
        await _send.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(Wait);
            // Only our close frame: the reader, already receiving, takes the server's answer (a full CloseAsync would
            // receive concurrently with it, and whichever comes second finds the socket Closed).
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "hang up", timeout.Token);
        }
        finally
        {
            _send.Release();
        }

        await _reader.WaitAsync(Wait);
        Assert.Equal(WebSocketState.Closed, _socket.State);
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try
        {
            await _reader;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }

        _socket.Dispose();
        _send.Dispose();
        _cts.Dispose();
    }

    private string Describe() => string.Join(" | ", _events.Select(x => x.Event + ":" + x.Role + ":" + x.Text));

    /// <summary>Sends one message unless the socket is no longer open; true when sent.</summary>
    private async Task<bool> SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type)
    {
        await _send.WaitAsync();
        try
        {
            if (_socket.State != WebSocketState.Open)
            {
                return false;
            }

            await _socket.SendAsync(payload, type, true, CancellationToken.None);
            return true;
        }
        catch (WebSocketException)
        {
            // The server closed first.
            return false;
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (true)
            {
                int length = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await _socket.ReceiveAsync(buffer.AsMemory(length), _cts.Token);
                    length += r.Count;
                }
                while (!r.EndOfMessage);

                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await _send.WaitAsync();
                    try
                    {
                        if (_socket.State == WebSocketState.CloseReceived)
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        }
                    }
                    finally
                    {
                        _send.Release();
                    }

                    return;
                }

                if (r.MessageType == WebSocketMessageType.Binary)
                {
                    OddAudioFrames += length == 640 ? 0 : 1;
                    for (int i = 0; i + 1 < length; i += 2)
                    {
                        LoudestSample = Math.Max(LoudestSample, Math.Abs((int)BinaryPrimitives.ReadInt16LittleEndian(buffer.AsSpan(i))));
                    }

                    Interlocked.Add(ref _audioBytes, length);
                    Interlocked.Exchange(ref _lastAudioAt, Environment.TickCount64);
                    continue;
                }

                var json = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
                var e = new CallEvent(
                    json.GetProperty("event").GetString()!,
                    json.TryGetProperty("role", out var role) ? role.GetString() : null,
                    json.TryGetProperty("text", out var text) ? text.GetString()! : "",
                    json.TryGetProperty("final", out var final) && final.GetBoolean(),
                    json);
                if (e.Event == "mark")
                {
                    // Played at once: this client has no speaker.
                    await SendAsync(Encoding.UTF8.GetBytes($$"""{"event":"mark","name":"{{json.GetProperty("name").GetString()}}"}"""), WebSocketMessageType.Text);
                }

                lock (_events)
                {
                    _events.Add(e);
                }

                _arrived.Release();
                if (e.Event == "ended")
                {
                    _framesAtEnded = FramesSent;
                }

                if (e.Event == "ended" && ReadPauseAfterEnded > TimeSpan.Zero)
                {
                    // A busy browser: the close frame behind `ended` is read late while the microphone keeps sending.
                    await Task.Delay(ReadPauseAfterEnded);
                }
            }
        }
        finally
        {
            Closed = true;
            _arrived.Release();
        }
    }
}
