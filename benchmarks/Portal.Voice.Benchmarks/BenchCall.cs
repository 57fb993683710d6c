using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Domain.Conversations;
using Portal.Voice.Audio;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Voice.TextToSpeech;
using Portal.Voice.Twilio;

namespace Portal.Voice.Benchmarks;

/// <summary>One call: the fake Twilio side, the session and its fake recognizer.</summary>
internal sealed class BenchCall : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly TcpClient _client;
    private readonly WebSocket _twilio;
    private readonly MediaStreamSession _session;
    private readonly ScriptedRecognizer _stt;
    private readonly Task _run;
    private readonly Task _reader;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly string _sid;
    private readonly FakeTwilioWire _wire;
    private long _seq;
    private long _chunk;
    private long _clock;
    private volatile FrameWait? _framesWanted;
    private long _startedAt;
    private long _lastFrameAt;
    private volatile TaskCompletionSource<long>? _firstFrame;
    private volatile TaskCompletionSource? _marks;
    private int _marksWanted;

    private BenchCall(string sid, TcpListener listener, TcpClient client, WebSocket twilio, MediaStreamSession session, ScriptedRecognizer stt, TurnProbe probe)
    {
        _sid = sid;
        Probe = probe;
        _wire = new FakeTwilioWire(sid, Silence);
        _wire.Verify(sid, Silence);
        _listener = listener;
        _client = client;
        _twilio = twilio;
        _session = session;
        _stt = stt;
        _run = Task.Run(() => session.RunAsync(CancellationToken.None));
        _reader = Task.Run(ReadAsync);
    }

    public List<double> TurnMs { get; } = [];

    public List<double> JitterMs { get; } = [];

    public double GreetingMs { get; private set; }

    public TurnProbe Probe { get; }

    public static async Task<BenchCall> OpenAsync(int index, PhoneSpeechCache speech, MediaStreamSessionOptions options)
    {
        string sid = "MZ" + index.ToString("D32", System.Globalization.CultureInfo.InvariantCulture);
        var probe = new TurnProbe();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync();
        server.NoDelay = true;
        var serverSocket = WebSocket.CreateFromStream(new ProbedStream(server.GetStream(), probe), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var twilio = WebSocket.CreateFromStream(client.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var stt = new ScriptedRecognizer(probe);
        var session = new MediaStreamSession(serverSocket, new InstantHandler(probe), speech, TimeProvider.System, NullLogger.Instance, options, stt, new InstantTextToSpeech(probe));
        return new BenchCall(sid, listener, client, twilio, session, stt, probe);
    }

    public async Task GreetAsync()
    {
        _firstFrame = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _marks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _marksWanted, 1);
        await SendAsync(new ConnectedMessage("Call", "1.0.0"));
        _startedAt = Stopwatch.GetTimestamp();
        await SendAsync(new StartMessage(++_seq, _sid, "AC1", "CA" + _sid[2..], ["inbound"], MediaFormat.MuLaw8k, new Dictionary<string, string> { ["token"] = "t" }));
        GreetingMs = Stopwatch.GetElapsedTime(_startedAt, await _firstFrame.Task).TotalMilliseconds;
        await _marks.Task;
        while (_stt.Stream is null || _session.AgentSpeaking)
        {
            await Task.Delay(5);
        }
    }

    /// <summary>Sends the next 20 ms of caller audio (silence) and wakes a turn waiting for it.</summary>
    public async Task SendCallerFrameAsync()
    {
        long seq = Interlocked.Increment(ref _seq);
        await SendMediaAsync(seq, ++_chunk, _clock);
        Volatile.Write(ref _clock, _clock + 20);
        if (_framesWanted is { } wanted && _chunk >= wanted.Target)
        {
            _framesWanted = null;
            wanted.Done.TrySetResult();
        }
    }

    /// <param name="turns">Caller turns.</param>
    /// <param name="phase">Real-time inbound: delay before the first turn; null: burst inbound (60 frames at once before each turn).</param>
    public async Task TalkAsync(int turns, TimeSpan? phase)
    {
        if (phase is { } delay)
        {
            await Task.Delay(delay);
        }

        for (int t = 0; t < turns; t++)
        {
            if (phase is null)
            {
                for (int f = 0; f < 60; f++)
                {
                    await SendCallerFrameAsync();
                }
            }
            else
            {
                // 1.2 s of caller audio (the utterance the transcript stands for) streams in real time first.
                var wanted = new FrameWait(Volatile.Read(ref _chunk) + 60, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                _framesWanted = wanted;
                await wanted.Done.Task;
            }

            _firstFrame = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _marks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _marksWanted, 2);
            long said = Stopwatch.GetTimestamp();
            Probe.Said();
            _stt.Stream!.Say(new TranscriptEvent("I would like to book a cleaning please", true, true, 0.95, (int)_clock - 1100, (int)_clock - 100));
            TurnMs.Add(Stopwatch.GetElapsedTime(said, await _firstFrame.Task).TotalMilliseconds);
            await _marks.Task;
            while (_session.AgentSpeaking)
            {
                await Task.Delay(5);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await SendAsync(new StopMessage(Interlocked.Increment(ref _seq), _sid, "AC1", "CA1"));
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
        _twilio.Dispose();
        _client.Dispose();
        _listener.Stop();
        _session.Dispose();
        _send.Dispose();
        await Task.WhenAny(_reader, Task.Delay(1000));
    }

    private static readonly byte[] Silence = Enumerable.Repeat((byte)0xFF, 160).ToArray();

    private async Task SendMediaAsync(long sequenceNumber, long chunk, long timestampMs)
    {
        await _send.WaitAsync();
        try
        {
            await _twilio.SendAsync(_wire.Media(sequenceNumber, chunk, timestampMs), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task SendAsync(MediaStreamMessage message)
    {
        await _send.WaitAsync();
        try
        {
            await _twilio.SendAsync(message.ToUtf8Json(), WebSocketMessageType.Text, true, CancellationToken.None);
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
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _twilio.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                long now = Stopwatch.GetTimestamp();
                if (FakeTwilioWire.IsOutboundMedia(buffer.AsSpan(0, length)) && _firstFrame is { Task.IsCompleted: true })
                {
                    // Frames after the first of a turn: only their arrival time matters (the first is parsed in full below).
                    if (_lastFrameAt != 0)
                    {
                        JitterMs.Add(Math.Abs(Stopwatch.GetElapsedTime(_lastFrameAt, now).TotalMilliseconds - 20));
                    }

                    _lastFrameAt = now;
                    continue;
                }

                if (!MediaStreamMessage.TryParseOutbound(buffer.AsSpan(0, length), out var message, out _))
                {
                    continue;
                }

                switch (message)
                {
                    case OutboundMediaMessage:
                        if (_firstFrame is { Task.IsCompleted: false } first)
                        {
                            Probe.Received(now);
                            first.TrySetResult(now);
                        }
                        else if (_lastFrameAt != 0)
                        {
                            JitterMs.Add(Math.Abs(Stopwatch.GetElapsedTime(_lastFrameAt, now).TotalMilliseconds - 20));
                        }

                        _lastFrameAt = now;
                        break;
                    case MarkMessage mark:
                        _lastFrameAt = 0; // a new sentence restarts the pacing schedule
                        await SendAsync(new MarkMessage(Interlocked.Increment(ref _seq), _sid, mark.Name));
                        if (Interlocked.Decrement(ref _marksWanted) == 0)
                        {
                            _marks?.TrySetResult();
                        }

                        break;
                }
            }
        }
        catch (WebSocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}

/// <summary>A wait for the caller stream to reach frame <paramref name="Target"/>.</summary>
internal sealed record FrameWait(long Target, TaskCompletionSource Done);
