using System.Net.WebSockets;
using System.Security.Cryptography;
using Portal.Voice.Audio;
using Portal.Voice.Twilio;

namespace Portal.LoadDriver;

/// <summary>
/// The Media Streams side of one call, as Twilio plays it (https://www.twilio.com/docs/voice/media-streams/websocket-messages):
/// <c>connected</c> and <c>start</c>, then one 20 ms caller <c>media</c> frame per 20 ms of the stream's clock (silence, or
/// the pre-rendered speech of a <c>say:</c> step), <c>dtmf</c> for a key press, each <c>mark</c> echoed when the agent's
/// audio before it has played (<see cref="CallerPlayout"/>), and <c>stop</c> at the end. Every send and every step of the
/// script happens in <see cref="Tick"/>, called by one thread of the shared <see cref="MediaClock"/>; the receive loop,
/// on the thread pool, only feeds the playout under a lock. A send that does not complete at once is left pending and the
/// call catches up on a later tick, so one slow socket never holds up the other calls.
/// </summary>
internal sealed class LoadCall
{
    private const int FrameMs = MuLawFrameSplitter.FrameMilliseconds;
    private static readonly byte[] Silence = CreateSilence();

    private readonly Lock _gate = new();
    private readonly CallerPlayout _playout;
    private readonly LoadOptions _options;
    private readonly IReadOnlyList<(ScriptStep Step, byte[]? Speech)> _script;
    private readonly RunClock _clock;
    private readonly WebSocket _socket;
    private readonly string _streamSid = "MZ" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly StreamInstruction _stream;
    private readonly InboundMediaWriter _writer;
    private readonly byte[] _frame = new byte[MuLawFrameSplitter.FrameBytes];
    private readonly StreamSender _sender;
    private readonly List<string> _dueMarks = [];
    private readonly List<ReplyResult> _replies = [];
    private readonly TaskCompletionSource<CallResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CallResult _setup;

    private long _sequence;
    private long _framesSent;
    private double _streamStartMs;
    private Phase _phase = Phase.Start;
    private int _step = -1;
    private string _replyTo = "greeting";
    private double _actionMs;
    private double _replyAudioStartMs;
    private int _replyUnderrunsStart;
    private double _phaseUntilMs;
    private byte[]? _speech;
    private int _speechFrame;
    private int _marksEchoed;
    private int _invalidMessages;
    private string? _error;
    private volatile string? _abortReason;
    private volatile bool _socketClosed;

    /// <summary>Creates the stream side of a call whose webhook and upgrade succeeded (<paramref name="setup"/> holds their figures).</summary>
    public LoadCall(CallResult setup, LoadOptions options, IReadOnlyList<(ScriptStep Step, byte[]? Speech)> script, RunClock clock, WebSocket socket, StreamInstruction stream)
    {
        _setup = setup;
        _options = options;
        _script = script;
        _clock = clock;
        _socket = socket;
        _stream = stream;
        _playout = new CallerPlayout(options.QuietMs);
        _writer = new InboundMediaWriter(_streamSid);
        _sender = new StreamSender(socket);
    }

    private enum Phase
    {
        Start,
        Listening,
        Pause,
        Speaking,
        HangUp,
        Closing,
        Done,
    }

    /// <summary>Completes with the call's figures when the call has ended.</summary>
    public Task<CallResult> Completion => _done.Task;

    /// <summary>True once the call has ended.</summary>
    public bool IsDone => _phase == Phase.Done;

    /// <summary>Ends the call at the next tick (run deadline): it counts as failed with <paramref name="reason"/>.</summary>
    public void Abort(string reason) => _abortReason ??= reason;

    /// <summary>Reads the agent's messages until the socket closes; runs on the thread pool for the life of the call.</summary>
    public async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8 * 1024];
        int filled = 0;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(filled), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                filled += result.Count;
                if (!result.EndOfMessage)
                {
                    if (filled == buffer.Length)
                    {
                        if (buffer.Length >= MediaStreamMessage.MaxMessageBytes)
                        {
                            break; // not a message Portal sends
                        }

                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    continue;
                }

                var kind = AgentMessageReader.Read(buffer.AsSpan(0, filled), out int bytes, out string? mark);
                filled = 0;
                double now = _clock.NowMs;
                lock (_gate)
                {
                    switch (kind)
                    {
                        case AgentMessageKind.Media:
                            _playout.OnMedia(now, bytes);
                            break;
                        case AgentMessageKind.Mark:
                            _playout.OnMark(now, mark!);
                            break;
                        case AgentMessageKind.Clear:
                            _playout.OnClear(now);
                            break;
                        default:
                            _invalidMessages++;
                            break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The call is over (closed by either side, or aborted).
        }
        finally
        {
            _socketClosed = true;
        }
    }

    /// <summary>
    /// One beat of the media clock at <paramref name="nowMs"/>: echoes due marks, advances the script, and sends every
    /// caller frame due by now (normally one; more when the clock thread was late). Called by one clock thread only.
    /// </summary>
    /// <returns>True once the call has ended.</returns>
    public bool Tick(double nowMs)
    {
        if (_phase == Phase.Done)
        {
            return true;
        }

        if (_abortReason is { } reason)
        {
            return Finish(reason);
        }

        if (_sender.Poll(out string? failure))
        {
            return _phase == Phase.Closing && nowMs > _phaseUntilMs && Finish(null);
        }

        if (failure is not null && _phase < Phase.Closing)
        {
            return Finish("sending on the media socket failed: " + failure);
        }

        if (_socketClosed && _phase < Phase.HangUp)
        {
            return Finish($"the server closed the stream while the caller waited for the answer to {_replyTo}");
        }

        if (_phase == Phase.Closing)
        {
            return (_socketClosed || nowMs > _phaseUntilMs) && Finish(null);
        }

        Advance(nowMs);
        if (_phase == Phase.Done)
        {
            return true;
        }

        if (!_sender.FlushControl())
        {
            return false;
        }

        if (_phase == Phase.HangUp)
        {
            _phase = Phase.Closing;
            _phaseUntilMs = nowMs + 3000;
            _sender.Close();
            return false;
        }

        SendDueFrames(nowMs);
        return false;
    }

    /// <summary>Starts the stream, echoes marks and moves the script on; queues what has to be sent.</summary>
    private void Advance(double nowMs)
    {
        if (_phase == Phase.Start)
        {
            _sender.Queue(new ConnectedMessage("Call", "1.0.0"));
            _sender.Queue(new StartMessage(++_sequence, _streamSid, _options.AccountSid, _setup.CallSid, ["inbound"], MediaFormat.MuLaw8k, _stream.Parameters));
            _streamStartMs = nowMs;
            _actionMs = nowMs;
            _phase = Phase.Listening;
        }
        else if (_phase >= Phase.HangUp)
        {
            return; // stop is queued: nothing more is said or echoed
        }

        bool answered;
        bool quiet;
        double? firstMedia;
        double audioMs;
        int underruns;
        lock (_gate)
        {
            underruns = _playout.Underruns;
            _playout.TakeDueMarks(nowMs, _dueMarks);
            firstMedia = _playout.FirstMediaSinceReplyMs;
            answered = firstMedia is not null;
            quiet = _playout.IsQuiet(nowMs);
            audioMs = _playout.AudioReceivedMs;
        }

        foreach (string mark in _dueMarks)
        {
            _sender.Queue(new MarkMessage(++_sequence, _streamSid, mark));
            _marksEchoed++;
        }

        _dueMarks.Clear();
        switch (_phase)
        {
            case Phase.Listening when quiet || (answered && nowMs - _actionMs > _options.AnswerTimeoutMs + _options.MaxReplyMs):
                _replies.Add(new ReplyResult(_replyTo, firstMedia - _actionMs, audioMs - _replyAudioStartMs, underruns - _replyUnderrunsStart));
                _phase = Phase.Pause;
                _phaseUntilMs = nowMs + _options.PauseMs;
                break;
            case Phase.Listening when !answered && nowMs - _actionMs > _options.AnswerTimeoutMs:
                _replies.Add(new ReplyResult(_replyTo, null, 0, 0));
                Finish($"no answer to {_replyTo} within {_options.AnswerTimeoutMs / 1000.0:0.#} s");
                break;
            case Phase.Pause when nowMs >= _phaseUntilMs:
                if (++_step >= _script.Count)
                {
                    _sender.Queue(new StopMessage(++_sequence, _streamSid, _options.AccountSid, _setup.CallSid));
                    _phase = Phase.HangUp;
                    break;
                }

                var (step, speech) = _script[_step];
                _replyTo = step.Label;
                if (step.IsKeyPress)
                {
                    _sender.Queue(new DtmfMessage(++_sequence, _streamSid, "inbound_track", step.Text));
                    BeginReply(nowMs, audioMs, underruns);
                }
                else
                {
                    _speech = speech;
                    _speechFrame = 0;
                    _phase = Phase.Speaking;
                }

                break;
        }
    }

    private void BeginReply(double nowMs, double audioMs, int underruns)
    {
        _replyUnderrunsStart = underruns;
        lock (_gate)
        {
            _playout.BeginReply();
        }

        _actionMs = nowMs;
        _replyAudioStartMs = audioMs;
        _phase = Phase.Listening;
    }

    /// <summary>Sends the caller frames due by <paramref name="nowMs"/> on the stream's 20 ms clock.</summary>
    private void SendDueFrames(double nowMs)
    {
        long due = (long)((nowMs - _streamStartMs) / FrameMs) + 1;
        while (_framesSent < due)
        {
            ReadOnlySpan<byte> frame = Silence;
            bool lastOfSpeech = false;
            if (_phase == Phase.Speaking && _speech is { } speech)
            {
                MuLawFrameSplitter.CopyFrame(speech, _speechFrame, _frame);
                frame = _frame;
                lastOfSpeech = ++_speechFrame >= MuLawFrameSplitter.FrameCount(speech.Length);
            }

            var message = _writer.Write(++_sequence, _framesSent + 1, _framesSent * FrameMs, frame);
            _framesSent++;
            if (lastOfSpeech)
            {
                double audioMs;
                int underruns;
                lock (_gate)
                {
                    audioMs = _playout.AudioReceivedMs;
                    underruns = _playout.Underruns;
                }

                _speech = null;
                BeginReply(nowMs, audioMs, underruns); // the latency of a spoken step runs from its last frame
            }

            if (!_sender.TrySend(message))
            {
                return;
            }
        }
    }

    private bool Finish(string? error)
    {
        _error ??= error;
        _phase = Phase.Done;
        if (_socket.State != WebSocketState.Closed)
        {
            _socket.Abort();
        }

        CallResult result;
        lock (_gate)
        {
            result = _setup with
            {
                Error = _error,
                EndedAtMs = _clock.NowMs,
                Replies = [.. _replies],
                MidSentenceUnderruns = _playout.MidSentenceUnderruns,
                BetweenSentenceUnderruns = _playout.BetweenSentenceUnderruns,
                UnderrunMs = _playout.UnderrunMs,
                FramesReceived = _playout.FramesReceived,
                FramesLate = _playout.FramesLate,
                MaxLateMs = _playout.MaxLateMs,
                FramesSent = _framesSent,
                MarksEchoed = _marksEchoed,
                Clears = _playout.Clears,
                InvalidMessages = _invalidMessages,
            };
        }

        _done.TrySetResult(result);
        return true;
    }

    private static byte[] CreateSilence()
    {
        var silence = new byte[MuLawFrameSplitter.FrameBytes];
        Array.Fill(silence, MuLaw.Silence);
        return silence;
    }
}
