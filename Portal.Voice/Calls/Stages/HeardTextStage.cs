using System.Text;
using Portal.Voice.Pipeline;

namespace Portal.Voice.Calls.Stages;

/// <summary>
/// What the caller heard, by marks (https://www.twilio.com/docs/voice/media-streams/websocket-messages#mark-message): a
/// stored agent turn (the greeting, or a reply stored before it is spoken) is reported as its marks come back, settled as
/// stored once all of it was heard, and cut to the heard part on a barge-in, a key press or a hang-up.
/// </summary>
/// <remarks>
/// Writes are serialized by one semaphore and address "the last agent turn". <see cref="SettleAsync"/> runs before the
/// next reply starts and closes the current reply's reporting under that semaphore, so a late progress write can never
/// land on the next turn. Reply state is read and written under <see cref="CallContext.Gate"/>.
/// </remarks>
internal sealed class HeardTextStage(CallContext call) : IDisposable
{
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly List<bool> _chunkInTurn = [];
    private bool _replyHasTurn;
    private bool _replyStored;
    private bool _replyComplete;
    private (string Text, bool Complete)? _reported;

    /// <summary>A new reply starts (under the gate): forget the last one's chunks.</summary>
    public void BeginReply(AgentReply reply)
    {
        call.Tracker.Reset();
        _chunkInTurn.Clear();
        _replyHasTurn = reply.Stored;
        _replyStored = reply.IsGreeting; // the greeting was stored with the call; a reply once the engine is done
        _replyComplete = false;
        _reported = null;
    }

    /// <summary>A chunk's mark is leaving (under the gate).</summary>
    public void OnChunkSent(string mark, string sentence, bool inTurn)
    {
        call.Tracker.OnChunkSent(mark, sentence);
        _chunkInTurn.Add(inTurn);
    }

    /// <summary>The reply's turn is stored by the handler: progress may be reported from now on.</summary>
    public void OnStored()
    {
        lock (call.Gate)
        {
            _replyStored = true;
        }
    }

    /// <summary>Every sentence of the reply was sent.</summary>
    public void OnComplete()
    {
        lock (call.Gate)
        {
            _replyComplete = true;
        }
    }

    /// <summary>
    /// Reports how much of the current reply's stored turn the caller has heard, when it changed. Nothing happens before the
    /// turn is stored or after it was settled. Never throws but for cancellation (a failed write is logged).
    /// </summary>
    public async Task ReportAsync(CancellationToken ct)
    {
        await _writes.WaitAsync(ct);
        try
        {
            (string Text, bool Complete) heard;
            lock (call.Gate)
            {
                if (!_replyHasTurn || !_replyStored)
                {
                    return;
                }

                heard = HeardOfTurn();
                if (heard.Text.Length == 0 || _reported == heard)
                {
                    return;
                }

                _reported = heard;
            }

            await call.Handler.AgentTurnPlayedAsync(heard.Text, heard.Complete, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CallLog.PlaybackFailed(call.Logger, call.StreamSid, ex.Message);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// Ends the current reply's reporting: when its stored turn was not heard whole the turn keeps only what was heard and
    /// is marked interrupted; when it was, it is settled as stored. Runs before any next reply.
    /// </summary>
    public async Task SettleAsync(CancellationToken ct)
    {
        await _writes.WaitAsync(CancellationToken.None);
        try
        {
            (string Text, bool Complete) heard;
            lock (call.Gate)
            {
                bool settle = _replyHasTurn && _replyStored;
                _replyHasTurn = false; // no progress report for this reply after this point
                if (!settle)
                {
                    return;
                }

                heard = HeardOfTurn();
            }

            if (heard.Complete)
            {
                if (_reported is not { Complete: true })
                {
                    await call.Handler.AgentTurnPlayedAsync(heard.Text, complete: true, ct);
                }

                return;
            }

            await call.Handler.AgentTurnHeardAsync(heard.Text, ct);
            CallLog.Truncated(call.Logger, call.StreamSid, heard.Text.Length);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CallLog.PlaybackFailed(call.Logger, call.StreamSid, ex.Message);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Waits until every mark sent has come back (the caller heard it all), at most <paramref name="max"/>.</summary>
    public async Task WaitUntilHeardAsync(TimeSpan max, CancellationToken ct)
    {
        var deadline = call.Time.GetUtcNow() + max;
        while (call.Time.GetUtcNow() < deadline)
        {
            lock (call.Gate)
            {
                if (!call.Tracker.IsSpeaking)
                {
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), call.Time, ct);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writes.Dispose();

    /// <summary>The heard sentences of the stored turn, and whether they are all of it (under the gate).</summary>
    private (string Text, bool Complete) HeardOfTurn()
    {
        bool all = _replyComplete;
        var text = new StringBuilder();
        for (int i = 0; i < call.Tracker.ChunkCount; i++)
        {
            if (!_chunkInTurn[i])
            {
                continue;
            }

            if (call.Tracker.StateOf(i) != ChunkPlayback.Heard)
            {
                all = false;
                continue;
            }

            text.Append(text.Length > 0 ? " " : "").Append(call.Tracker.HeardChunkText(i));
        }

        return (text.ToString(), all);
    }
}
