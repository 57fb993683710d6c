using System.Net.WebSockets;
using System.Threading.Channels;
using Portal.Domain.Conversations;
using Portal.Voice.Pipeline;

namespace Portal.Voice.Calls.Stages;

/// <summary>
/// The agent's side of turn taking: one reply at a time flows sentences → synthesis → paced output over bounded
/// channels; a new reply or a barge-in cancels the one playing (with <c>clear</c> when its audio is out) and settles its
/// stored turn by what was heard. After an engine turn it records the turn's figures and applies the engine's state
/// (dictation, taking a message, the conversation's end); a transfer lets "please hold" be heard before redirecting.
/// </summary>
/// <remarks>
/// Start and stop are serialized by one semaphore (the call setup, the dialogue stage and the end of the call all start
/// or stop playback); the reply itself runs on its own task so the caller's audio keeps flowing while it plays.
/// </remarks>
internal sealed class PlaybackStage(
    CallContext call,
    HeardTextStage heard,
    SentenceSynthesisStage synthesis,
    PacedOutputStage output,
    ListeningStage listening,
    VoiceMessageStage recorder) : IDisposable
{
    /// <summary>Longest wait for "please hold" to be heard before the call is redirected.</summary>
    private static readonly TimeSpan TransferWait = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private Task _playback = Task.CompletedTask;
    private CancellationTokenSource? _playbackCts;

    /// <summary>Starts speaking <paramref name="reply"/>, first stopping what is playing (with a <c>clear</c> when asked and audio is out).</summary>
    public async Task StartAsync(AgentReply reply, bool sendClear, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            await StopCoreAsync(sendClear, ct);
            if (call.HungUp)
            {
                return;
            }

            var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            lock (call.Gate)
            {
                _playbackCts = cts;
                call.Playing = true;
                heard.BeginReply(reply);
            }

            _playback = Task.Run(() => PlayAsync(reply, cts.Token, ct), CancellationToken.None);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Speaks a fixed prompt.</summary>
    public Task SayAsync(string text, bool sendClear, CancellationToken ct) => StartAsync(AgentReply.Prompt(text), sendClear, ct);

    /// <summary>Stops what is playing (with a <c>clear</c> when asked and audio is out) and settles its stored turn.</summary>
    public async Task StopAsync(bool sendClear, CancellationToken ct)
    {
        await _lock.WaitAsync(CancellationToken.None);
        try
        {
            await StopCoreAsync(sendClear, ct);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Lets the last words play out (bounded), then closes the wire, which ends a <c>&lt;Connect&gt;&lt;Stream&gt;</c>.</summary>
    public async Task HangUpAsync(string reason, CancellationToken ct)
    {
        await heard.WaitUntilHeardAsync(TimeSpan.FromSeconds(10), ct);
        lock (call.Gate)
        {
            call.HungUp = true;
            call.HangingUp = true;
        }

        // https://www.twilio.com/docs/voice/twiml/stream#bidirectional-media-streams: closing our side ends the stream.
        await call.Transport.CloseAsync(WebSocketCloseStatus.NormalClosure, reason, ct);
        call.SessionCts?.CancelAfter(CallContext.CloseGrace); // the peer answers the close; if it does not, stop waiting
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _lock.Dispose();
        _playbackCts?.Dispose();
    }

    private async Task StopCoreAsync(bool sendClear, CancellationToken ct)
    {
        CancellationTokenSource? cts;
        bool speaking;
        lock (call.Gate)
        {
            cts = _playbackCts;
            _playbackCts = null;
            speaking = call.AgentAudible;
        }

        if (cts is not null)
        {
            await cts.CancelAsync();
        }

        if (sendClear && speaking)
        {
            try
            {
                await output.SendClearAsync(ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }
        }

        if (cts is not null)
        {
            await CallContext.IgnoreCancellation(_playback);
            cts.Dispose();
        }

        await heard.SettleAsync(ct);
    }

    private async Task PlayAsync(AgentReply reply, CancellationToken playCt, CancellationToken sessionCt)
    {
        var timing = new ReplyTiming { Dispatched = call.Time.GetTimestamp() };
        try
        {
            if (reply.Transfer is { } menu)
            {
                await TransferAsync(menu, timing, playCt);
                return;
            }

            var (interrupted, produced) = await StreamReplyAsync(reply, timing, playCt, sessionCt);
            if (reply.FromHandler && produced)
            {
                await AfterTurnAsync(reply, timing, interrupted, sessionCt);
                if (call.HangingUp)
                {
                    return;
                }
            }

            if (!interrupted && reply.StartRecordingAfter)
            {
                recorder.Start(fromSpeech: false);
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
            // A failed turn (database, engine, provider) or a dead socket must not take the call down.
            CallLog.PlaybackFailed(call.Logger, call.StreamSid, ex.Message);
            if (reply.HangUpAfter)
            {
                await HangUpAsync("goodbye", sessionCt); // a goodbye that could not be spoken still ends the call
            }
        }
        finally
        {
            lock (call.Gate)
            {
                call.Playing = false;
                call.Touch();
            }
        }
    }

    /// <summary>Sentences → synthesis (one ahead) → paced output; returns whether it was cut short and whether the text was produced whole.</summary>
    private async Task<(bool Interrupted, bool Produced)> StreamReplyAsync(AgentReply reply, ReplyTiming timing, CancellationToken playCt, CancellationToken sessionCt)
    {
        bool interrupted = false;
        var sentences = Channel.CreateUnbounded<SentenceFrame>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        // Not cancelled by a barge-in: the turn must be stored whole before it is truncated to what was heard. Started
        // inline: a sentence that is ready at once is in the channel without two more trips through the thread pool.
        var produce = synthesis.ProduceAsync(reply, sentences.Writer, timing, sessionCt);
        var speakable = Channel.CreateBounded<SpeakableFrame>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var synthesize = synthesis.SynthesizeAheadAsync(sentences.Reader, speakable.Writer, reply.FromHandler, playCt);
        try
        {
            await foreach (var sentence in speakable.Reader.ReadAllAsync(playCt))
            {
                await output.SpeakAsync(sentence, timing, playCt);
            }

            await synthesize;
            heard.OnComplete();
            await heard.ReportAsync(sessionCt); // the last mark may have come back before the reply was complete
        }
        catch (OperationCanceledException) when (playCt.IsCancellationRequested)
        {
            interrupted = true;
            await CallContext.IgnoreCancellation(synthesize);
        }

        try
        {
            await produce;
            return (interrupted, true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed turn (database, engine) must not take the call down.
            CallLog.PlaybackFailed(call.Logger, call.StreamSid, ex.Message);
            return (interrupted, false);
        }
    }

    private async Task TransferAsync(string menu, ReplyTiming timing, CancellationToken playCt)
    {
        await output.SpeakAsync(synthesis.Prompt(CallPrompts.TransferPrompt, playCt), timing, playCt);
        // The redirect replaces the stream at once: let "please hold" play out first (bounded), and store what was heard.
        await heard.WaitUntilHeardAsync(TransferWait, playCt);
        string heardPrompt;
        lock (call.Gate)
        {
            heardPrompt = call.Tracker.HeardText();
        }

        if (!await call.Handler.TransferAsync(CallPrompts.TransferRequest, heardPrompt, playCt))
        {
            foreach (var sentence in SentenceSplitter.Split(CallPrompts.TransferUnavailable + " " + menu))
            {
                await output.SpeakAsync(synthesis.Prompt(sentence, playCt), timing, playCt);
            }
        }
    }

    private async Task AfterTurnAsync(AgentReply reply, ReplyTiming timing, bool interrupted, CancellationToken ct)
    {
        var state = call.Handler.LastTurn;
        heard.OnStored();
        listening.SetDictation(state.Dictation != DictationSlot.None);
        if (!interrupted && state.TakingMessage)
        {
            recorder.Start(fromSpeech: true);
        }

        if (state.Ended)
        {
            lock (call.Gate)
            {
                call.HangingUp = true;
            }
        }

        await heard.ReportAsync(ct); // marks that came back before the turn was stored
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
        call.LastMetrics = metrics;
        CallTelemetry.RecordTurn(call, reply, timing);
        try
        {
            await call.Handler.RecordTurnMetricsAsync(metrics, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CallLog.PlaybackFailed(call.Logger, call.StreamSid, ex.Message);
        }

        if (state.Ended)
        {
            await HangUpAsync("conversation ended", ct);
        }
    }

    private int? Between(long from, long to) =>
        from == 0 || to == 0 ? null : (int)Math.Max(0, call.Time.GetElapsedTime(from, to).TotalMilliseconds);
}
