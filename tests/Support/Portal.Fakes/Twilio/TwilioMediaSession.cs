using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Xml.Linq;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;
using Portal.Voice.Twilio;

namespace Portal.Fakes.Twilio;

/// <summary>
/// The Media Streams side of one simulated call (<see cref="TwilioCallSimulator"/>): streams the caller's audio in real
/// time, plays the agent's audio on a real-time clock, echoes marks, and measures the caller's latencies.
/// </summary>
internal sealed class TwilioMediaSession(WebSocket socket, SimulatedCallOptions options, string callSid) : IDisposable
{
    private readonly string _streamSid = "MZ" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly MemoryStream _agentAudio = new();
    private readonly List<(string Name, double DueMs)> _pendingMarks = [];
    private readonly ConcurrentQueue<(byte[] Frame, TaskCompletionSource? LastOfLine)> _callerFrames = new();
    private long _sequence;
    private double _bufferEndMs;
    private double _lastAgentMediaMs = double.NegativeInfinity;
    private double _turnStartMs;
    private double? _turnFirstMediaMs;
    private int _marksEchoed;
    private int _clears;
    private int _framesSent;
    private volatile bool _closed;

    private long _turnAudioOffset;

    private double NowMs => _clock.Elapsed.TotalMilliseconds;

    public void Dispose()
    {
        _agentAudio.Dispose();
        _sendLock.Dispose();
    }

    public async Task<SimulatedCallResult> RunAsync(string twiml, IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await SendAsync(new ConnectedMessage("Call", "1.0.0"), ct);
        await SendAsync(new StartMessage(Interlocked.Increment(ref _sequence), _streamSid, options.AccountSid, callSid, ["inbound"], MediaFormat.MuLaw8k, parameters), ct);
        BeginTurn();
        var receive = ReceiveLoopAsync(stop.Token);
        var pump = PumpAsync(stop.Token);
        string? error = null;
        var turns = new List<SimulatedTurn>();
        double? greetingLatency = null;
        byte[] greeting = [];
        try
        {
            (greetingLatency, greeting) = await WaitForAgentAsync(ct);
            foreach (string step in options.Script)
            {
                if (_closed)
                {
                    break;
                }

                await Task.Delay(options.PauseBeforeLineMs, ct);
                if (step.StartsWith("dtmf:", StringComparison.OrdinalIgnoreCase))
                {
                    string digits = step[5..].Trim();
                    for (int i = 0; i < digits.Length; i++)
                    {
                        if (i == digits.Length - 1)
                        {
                            BeginTurn(); // the latency runs from the last key press
                        }
                        else if (i > 0)
                        {
                            await Task.Delay(120, ct);
                        }

                        await SendAsync(new DtmfMessage(Interlocked.Increment(ref _sequence), _streamSid, "inbound_track", digits[i].ToString()), ct);
                    }
                }
                else
                {
                    byte[] speech = await EspeakAudio.SayAsync(step, AudioFormat.Phone, options.CallerVoice, ct);
                    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    int frames = MuLawFrameSplitter.FrameCount(speech.Length);
                    for (int i = 0; i < frames; i++)
                    {
                        var frame = new byte[MuLawFrameSplitter.FrameBytes];
                        MuLawFrameSplitter.CopyFrame(speech, i, frame);
                        _callerFrames.Enqueue((frame, i == frames - 1 ? done : null));
                    }

                    await done.Task.WaitAsync(ct); // the pump began the turn when it sent the last frame
                }

                var (latency, audio) = await WaitForAgentAsync(ct);
                turns.Add(new SimulatedTurn(step, latency, audio));
            }

            if (_closed && turns.Count < options.Script.Count)
            {
                error = $"the call ended after {turns.Count} of {options.Script.Count} steps";
            }
        }
        catch (WebSocketException ex)
        {
            error = "media socket failed: " + ex.Message;
        }
        finally
        {
            if (!_closed && socket.State == WebSocketState.Open)
            {
                try
                {
                    await SendAsync(new StopMessage(Interlocked.Increment(ref _sequence), _streamSid, options.AccountSid, callSid), CancellationToken.None);
                    using var timeout = new CancellationTokenSource(2000);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                    // The server went away first.
                }
            }

            await Task.WhenAny(receive, Task.Delay(3000, CancellationToken.None));
            await stop.CancelAsync();
            await Task.WhenAll(receive, pump).ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        byte[] all;
        lock (_gate)
        {
            all = _agentAudio.ToArray();
        }

        return new SimulatedCallResult(callSid, twiml, parameters, greetingLatency, greeting, turns, all, _marksEchoed, _clears, _framesSent, error);
    }

    private void BeginTurn()
    {
        lock (_gate)
        {
            _turnStartMs = NowMs;
            _turnFirstMediaMs = null;
            _turnAudioOffset = _agentAudio.Length;
        }
    }

    /// <summary>Waits until the agent answered (or the timeout) and then finished speaking.</summary>
    private async Task<(double? LatencyMs, byte[] Audio)> WaitForAgentAsync(CancellationToken ct)
    {
        double deadline = NowMs + options.AgentTimeoutMs;
        while (!_closed && NowMs < deadline)
        {
            lock (_gate)
            {
                double now = NowMs;
                bool answered = _turnFirstMediaMs is not null;
                bool quiet = _pendingMarks.Count == 0 && _bufferEndMs <= now && now - _lastAgentMediaMs >= options.AgentQuietMs;
                if (answered && quiet)
                {
                    break;
                }
            }

            await Task.Delay(20, ct);
        }

        lock (_gate)
        {
            double? latency = _turnFirstMediaMs is { } first ? first - _turnStartMs : null;
            byte[] audio = _agentAudio.ToArray()[(int)_turnAudioOffset..];
            return (latency, audio);
        }
    }

    private async Task PumpAsync(CancellationToken ct)
    {
        var silence = new byte[MuLawFrameSplitter.FrameBytes];
        Array.Fill(silence, MuLaw.Silence);
        double start = NowMs;
        try
        {
            for (long k = 0; !_closed; k++)
            {
                double wait = start + (k * MuLawFrameSplitter.FrameMilliseconds) - NowMs;
                if (wait > 1)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), ct);
                }

                await EchoDueMarksAsync(ct);
                var (frame, lastOfLine) = _callerFrames.TryDequeue(out var next) ? next : (silence, null);
                await SendAsync(new MediaMessage(Interlocked.Increment(ref _sequence), _streamSid, "inbound", k + 1, k * MuLawFrameSplitter.FrameMilliseconds, frame), ct);
                Interlocked.Increment(ref _framesSent);
                if (lastOfLine is not null)
                {
                    BeginTurn();
                    lastOfLine.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The call is over.
        }
    }

    private async Task EchoDueMarksAsync(CancellationToken ct)
    {
        List<string> due;
        lock (_gate)
        {
            double now = NowMs;
            due = _pendingMarks.Where(m => m.DueMs <= now).Select(m => m.Name).ToList();
            _pendingMarks.RemoveAll(m => m.DueMs <= now);
        }

        foreach (var name in due)
        {
            await SendAsync(new MarkMessage(Interlocked.Increment(ref _sequence), _streamSid, name), ct);
            Interlocked.Increment(ref _marksEchoed);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                bool ok = MediaStreamMessage.TryParseOutbound(message.GetBuffer().AsSpan(0, (int)message.Length), out var parsed, out _);
                message.SetLength(0);
                if (!ok)
                {
                    continue;
                }

                lock (_gate)
                {
                    double now = NowMs;
                    switch (parsed)
                    {
                        case OutboundMediaMessage media:
                            _agentAudio.Write(media.Payload.Span);
                            _turnFirstMediaMs ??= now;
                            _bufferEndMs = Math.Max(now, _bufferEndMs) + (media.Payload.Length / 8.0);
                            _lastAgentMediaMs = now;
                            break;
                        case MarkMessage mark:
                            _pendingMarks.Add((mark.Name, Math.Max(now, _bufferEndMs)));
                            break;
                        case ClearMessage:
                            _clears++;
                            _bufferEndMs = now;
                            for (int i = 0; i < _pendingMarks.Count; i++)
                            {
                                _pendingMarks[i] = (_pendingMarks[i].Name, now);
                            }

                            break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The call is over.
        }
        finally
        {
            _closed = true;
        }
    }

    private async Task SendAsync(MediaStreamMessage message, CancellationToken ct)
    {
        byte[] json = message.ToUtf8Json();
        await _sendLock.WaitAsync(ct);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(json, WebSocketMessageType.Text, true, ct);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
