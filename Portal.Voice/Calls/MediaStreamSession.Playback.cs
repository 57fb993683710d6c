using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Portal.Domain.Conversations;
using Portal.Voice.Audio;
using Portal.Voice.Pipeline;
using Portal.Voice.SpeechToText;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls;

/// <summary>Playback (sentence streaming, marks, barge-in truncation, figures) and sending of <see cref="MediaStreamSession"/>.</summary>
public sealed partial class MediaStreamSession
{
    private readonly List<bool> _chunkInTurn = [];
    private Task _playback = Task.CompletedTask;
    private CancellationTokenSource? _playbackCts;
    private bool _playing;
    private bool _replyHasTurn;
    private bool _replyStored;
    private bool _replyComplete;
    private int _markCounter;

    /// <summary>Starts speaking <paramref name="reply"/>, first stopping what is playing (with a <c>clear</c> when asked and audio is out).</summary>
    private async Task StartPlaybackAsync(AgentReply reply, bool sendClear, CancellationToken ct)
    {
        await _playbackLock.WaitAsync(ct);
        try
        {
            await StopPlaybackCoreAsync(sendClear, ct);
            if (_hungUp)
            {
                return;
            }

            var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            lock (_gate)
            {
                _playbackCts = cts;
                _playing = true;
                _tracker.Reset();
                _chunkInTurn.Clear();
                _replyHasTurn = reply.Stored;
                _replyStored = reply.IsGreeting; // the greeting was stored with the call; a reply once the engine is done
                _replyComplete = false;
                _heardReported = null;
            }

            _playback = Task.Run(() => PlayAsync(reply, cts.Token, ct), CancellationToken.None);
        }
        finally
        {
            _playbackLock.Release();
        }
    }

    private async Task StopPlaybackAsync(bool sendClear, CancellationToken ct)
    {
        await _playbackLock.WaitAsync(CancellationToken.None);
        try
        {
            await StopPlaybackCoreAsync(sendClear, ct);
        }
        finally
        {
            _playbackLock.Release();
        }
    }

    /// <summary>Cancels playback, sends <c>clear</c> when asked and agent audio is out, waits for the playback task, then settles the stored turn by what was heard.</summary>
    private async Task StopPlaybackCoreAsync(bool sendClear, CancellationToken ct)
    {
        CancellationTokenSource? cts;
        bool speaking;
        lock (_gate)
        {
            cts = _playbackCts;
            _playbackCts = null;
            speaking = _playing || _tracker.IsSpeaking;
        }

        if (cts is not null)
        {
            await cts.CancelAsync();
        }

        if (sendClear && speaking)
        {
            try
            {
                await SendClearAsync(ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
        }

        if (cts is not null)
        {
            await IgnoreCancellation(_playback);
            cts.Dispose();
        }

        await SettleHeardAsync(ct);
    }

    private async Task PlayAsync(AgentReply reply, CancellationToken playCt, CancellationToken sessionCt)
    {
        var timing = new ReplyTiming { Dispatched = _time.GetTimestamp() };
        bool interrupted = false;
        try
        {
            if (reply.Transfer is { } menu)
            {
                await SpeakSentenceAsync(TransferPrompt, false, timing, playCt);
                // The redirect replaces the stream at once: let "please hold" play out first (bounded), and store what was heard.
                await WaitUntilHeardAsync(TransferWait, playCt);
                string heard;
                lock (_gate)
                {
                    heard = _tracker.HeardText();
                }

                if (!await _handler.TransferAsync(TransferRequest, heard, playCt))
                {
                    foreach (var sentence in Sentences(TransferUnavailable + " " + menu))
                    {
                        await SpeakSentenceAsync(sentence, false, timing, playCt);
                    }
                }

                return;
            }

            var sentences = Channel.CreateUnbounded<(string Text, bool InTurn)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            // Not cancelled by a barge-in: the turn must be stored whole before it is truncated to what was heard.
            // Started inline, not through Task.Run: it runs until the engine first waits, so a sentence that is ready at
            // once is already in the channel and the first frame leaves without two more trips through the thread pool.
            var produce = ProduceAsync(reply, sentences.Writer, timing, sessionCt);
            // One sentence of lookahead: while a sentence plays, the next one is already being synthesized (capacity 1 below),
            // so the caller hears no gap of a text-to-speech first byte between sentences. Cancelled with the playback.
            var speakable = Channel.CreateBounded<(string Text, bool InTurn, IAsyncEnumerable<ReadOnlyMemory<byte>> Audio)>(
                new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
            var synthesize = SynthesizeAheadAsync(sentences.Reader, speakable.Writer, reply.FromHandler, playCt);
            try
            {
                await foreach (var (text, inTurn, audio) in speakable.Reader.ReadAllAsync(playCt))
                {
                    await SpeakSentenceAsync(text, inTurn, audio, timing, playCt);
                }

                await synthesize;

                lock (_gate)
                {
                    _replyComplete = true;
                }

                await ReportHeardAsync(sessionCt); // the last mark may have come back before the reply was complete
            }
            catch (OperationCanceledException) when (playCt.IsCancellationRequested)
            {
                interrupted = true;
                await IgnoreCancellation(synthesize);
            }

            bool produced = false;
            try
            {
                await produce;
                produced = true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed turn (database, engine) must not take the call's receive loop down.
                LogPlaybackFailed(_logger, _streamSid, ex.Message);
            }

            if (reply.FromHandler && produced)
            {
                await AfterTurnAsync(reply, timing, interrupted, sessionCt);
                if (_hangingUp)
                {
                    return;
                }
            }

            if (!interrupted && reply.StartRecordingAfter)
            {
                lock (_gate)
                {
                    StartRecording(fromSpeech: false);
                }
            }

            if (reply.HangUpAfter)
            {
                await HangUpAsync("goodbye", sessionCt);
            }
        }
        catch (OperationCanceledException) when (playCt.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed turn (database, engine, provider) or a dead socket must not take the call's receive loop down.
            LogPlaybackFailed(_logger, _streamSid, ex.Message);
            if (reply.HangUpAfter)
            {
                await HangUpAsync("goodbye", sessionCt); // a goodbye that could not be spoken still ends the call
            }
        }
        finally
        {
            lock (_gate)
            {
                _playing = false;
                _idleSince = _time.GetUtcNow();
            }
        }
    }

    private async Task AfterTurnAsync(AgentReply reply, ReplyTiming timing, bool interrupted, CancellationToken ct)
    {
        var state = _handler.LastTurn;
        lock (_gate)
        {
            _replyStored = true;
            _turns.DictationActive = state.Dictation != DictationSlot.None;
            if (!interrupted && state.TakingMessage)
            {
                StartRecording(fromSpeech: true);
            }

            if (state.Ended)
            {
                _hangingUp = true;
            }
        }

        await ReportHeardAsync(ct); // marks that came back before the turn was stored
        var u = reply.Utterance;
        var metrics = new VoiceTurnMetrics(
            u?.Confidence,
            u is null ? null : (int)u.StartMs,
            u is null ? null : (int)u.EndMs,
            timing.FirstFrameStreamMs,
            timing.LastFrameStreamMs,
            u is null ? null : (int)Math.Max(0, u.FinalAtMs - u.EndMs),
            Between(reply.FinalTimestamp != 0 ? reply.FinalTimestamp : timing.Dispatched, timing.FirstToken),
            Between(timing.FirstToken, timing.FirstByte),
            Between(timing.FirstByte, timing.FirstFrame));
        LastMetrics = metrics;
        try
        {
            await _handler.RecordTurnMetricsAsync(metrics, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPlaybackFailed(_logger, _streamSid, ex.Message);
        }

        if (state.Ended)
        {
            await HangUpAsync("conversation ended", ct);
        }
    }

    private int? Between(long from, long to) =>
        from == 0 || to == 0 ? null : (int)Math.Max(0, _time.GetElapsedTime(from, to).TotalMilliseconds);

    private async Task ProduceAsync(AgentReply reply, ChannelWriter<(string Text, bool InTurn)> writer, ReplyTiming timing, CancellationToken ct)
    {
        var splitter = new SentenceSplitter();
        try
        {
            await foreach (var segment in reply.Segments(ct))
            {
                if (timing.FirstToken == 0 && !string.IsNullOrWhiteSpace(segment))
                {
                    timing.FirstToken = _time.GetTimestamp();
                }

                foreach (var sentence in splitter.Append(segment))
                {
                    await writer.WriteAsync((sentence, reply.Stored), ct);
                }
            }

            if (reply.FromHandler)
            {
                // The handler's enumeration is complete, so its turn is stored: marks that come back from now on are reported.
                lock (_gate)
                {
                    _replyStored = true;
                }

                await ReportHeardAsync(ct);
            }

            if (splitter.Flush() is { } last)
            {
                await writer.WriteAsync((last, reply.Stored), ct);
            }

            if (!string.IsNullOrWhiteSpace(reply.Suffix))
            {
                foreach (var sentence in Sentences(reply.Suffix))
                {
                    await writer.WriteAsync((sentence, false), ct);
                }
            }
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task SendClearAsync(CancellationToken ct)
    {
        await _transport.SendClearAsync(
            () =>
            {
                lock (_gate)
                {
                    _tracker.OnClearSent();
                    _bargeIn.Reset();
                }
            },
            ct);
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
    }

    private static async IAsyncEnumerable<string> One(string text)
    {
        await Task.CompletedTask;
        yield return text;
    }

    /// <summary>Timestamps (<see cref="TimeProvider.GetTimestamp"/>, 0 = not yet) and stream times (ms) of one reply.</summary>
    private sealed class ReplyTiming
    {
        public long Dispatched { get; set; }

        public long FirstToken { get; set; }

        public long FirstByte { get; set; }

        public long FirstFrame { get; set; }

        public int? FirstFrameStreamMs { get; set; }

        public int? LastFrameStreamMs { get; set; }
    }

    /// <summary>What the agent says next: a fixed prompt, a stored turn streamed from the handler, or a transfer.</summary>
    private sealed record AgentReply
    {
        public required Func<CancellationToken, IAsyncEnumerable<string>> Segments { get; init; }

        /// <summary>True for a conversation turn produced by the handler now (stored once complete, figures recorded).</summary>
        public bool FromHandler { get; init; }

        /// <summary>True when the reply's text (not its <see cref="Suffix"/>) is a stored agent turn, settled by what the caller heard.</summary>
        public bool Stored { get; init; }

        /// <summary>True for the greeting: a stored agent turn already (written when the call was answered).</summary>
        public bool IsGreeting { get; init; }

        /// <summary>Fixed text spoken after the reply (the keypad menu); not part of the stored turn.</summary>
        public string? Suffix { get; init; }

        public CallerUtterance? Utterance { get; init; }

        /// <summary>When the caller's final transcript arrived (timestamp), 0 for keypad turns.</summary>
        public long FinalTimestamp { get; init; }

        public bool StartRecordingAfter { get; init; }

        public bool HangUpAfter { get; init; }

        /// <summary>Non-null for a transfer: the menu said when it fails.</summary>
        public string? Transfer { get; init; }

        public static AgentReply Prompt(string text) => new() { Segments = _ => One(text) };

        public static AgentReply Turn(Func<CancellationToken, IAsyncEnumerable<string>> segments, CallerUtterance? utterance, long finalTimestamp, string? suffix = null) =>
            new() { Segments = segments, FromHandler = true, Stored = true, Utterance = utterance, FinalTimestamp = finalTimestamp, Suffix = suffix };

        public static AgentReply Greeting(string greeting, string? suffix) =>
            new() { Segments = _ => One(greeting), Stored = true, IsGreeting = true, Suffix = suffix };

        public static AgentReply TransferCall(string menu) => new() { Segments = _ => One(""), Transfer = menu };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: malformed message skipped: {Error}")]
    private static partial void LogMalformed(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream for call {CallSid} rejected: invalid token")]
    private static partial void LogRejected(ILogger logger, string callSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid} started for call {CallSid}")]
    private static partial void LogStarted(ILogger logger, string callSid, string streamSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: hanging up: {Goodbye}")]
    private static partial void LogHangUp(ILogger logger, string? streamSid, string goodbye);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: socket error {Error}")]
    private static partial void LogSocketError(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: playback failed: {Error}")]
    private static partial void LogPlaybackFailed(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: ending the conversation failed: {Error}")]
    private static partial void LogEndFailed(ILogger logger, string? streamSid, string error);
}
