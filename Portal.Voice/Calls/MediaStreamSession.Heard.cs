using System.Text;
using Microsoft.Extensions.Logging;
using Portal.Voice.Pipeline;

namespace Portal.Voice.Calls;

/// <summary>
/// What the caller heard, by marks (https://www.twilio.com/docs/voice/media-streams/websocket-messages#mark-message): a
/// stored agent turn (the greeting, or a reply stored before it is spoken) is reported as its marks come back, settled as
/// stored once all of it was heard, and cut to the heard part on a barge-in, a key press or a hang-up.
/// </summary>
/// <remarks>
/// Writes are serialized by <see cref="_heardWrites"/> and address "the last agent turn". <see cref="SettleHeardAsync"/>
/// runs before the next reply starts and closes the current reply's reporting under that lock, so a late progress write
/// can never land on the next turn.
/// </remarks>
public sealed partial class MediaStreamSession
{
    /// <summary>Utterance stored as the caller's turn for digit 0 (a hand-over to a person).</summary>
    public const string TransferRequest = "I'd like to speak to someone.";

    /// <summary>Longest wait for "please hold" to be heard before the call is redirected.</summary>
    private static readonly TimeSpan TransferWait = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _heardWrites = new(1, 1);
    private (string Text, bool Complete)? _heardReported;

    /// <summary>
    /// Reports how much of the current reply's stored turn the caller has heard, when it changed: the heard sentences, and
    /// whether that is all of it. Nothing happens before the turn is stored or after it was settled. Never throws but for
    /// cancellation (a failed write is logged: the turn stays "not yet heard" and is settled at the end).
    /// </summary>
    private async Task ReportHeardAsync(CancellationToken ct)
    {
        await _heardWrites.WaitAsync(ct);
        try
        {
            (string Text, bool Complete) heard;
            lock (_gate)
            {
                if (!_replyHasTurn || !_replyStored)
                {
                    return;
                }

                heard = HeardOfTurn();
                if (heard.Text.Length == 0 || _heardReported == heard)
                {
                    return;
                }

                _heardReported = heard;
            }

            await _handler.AgentTurnPlayedAsync(heard.Text, heard.Complete, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPlaybackFailed(_logger, _streamSid, ex.Message);
        }
        finally
        {
            _heardWrites.Release();
        }
    }

    /// <summary>
    /// Ends the current reply's reporting: when its stored turn was not heard whole (barge-in, key press, hang-up), the turn
    /// keeps only what was heard and is marked interrupted; when it was, it is settled as stored. Runs before any next reply.
    /// </summary>
    private async Task SettleHeardAsync(CancellationToken ct)
    {
        await _heardWrites.WaitAsync(CancellationToken.None);
        try
        {
            (string Text, bool Complete) heard;
            lock (_gate)
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
                if (_heardReported is not { Complete: true })
                {
                    await _handler.AgentTurnPlayedAsync(heard.Text, complete: true, ct);
                }

                return;
            }

            await _handler.AgentTurnHeardAsync(heard.Text, ct);
            LogTruncated(_logger, _streamSid, heard.Text.Length);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPlaybackFailed(_logger, _streamSid, ex.Message);
        }
        finally
        {
            _heardWrites.Release();
        }
    }

    /// <summary>The heard sentences of the stored turn, and whether they are all of it (called under <see cref="_gate"/>).</summary>
    private (string Text, bool Complete) HeardOfTurn()
    {
        bool all = _replyComplete;
        var text = new StringBuilder();
        for (int i = 0; i < _tracker.ChunkCount; i++)
        {
            if (!_chunkInTurn[i])
            {
                continue;
            }

            if (_tracker.StateOf(i) != ChunkPlayback.Heard)
            {
                all = false;
                continue;
            }

            text.Append(text.Length > 0 ? " " : "").Append(_tracker.HeardChunkText(i));
        }

        return (text.ToString(), all);
    }

    /// <summary>Waits until every mark sent has come back (the caller heard it all), at most <paramref name="max"/>.</summary>
    private async Task WaitUntilHeardAsync(TimeSpan max, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + max;
        while (_time.GetUtcNow() < deadline)
        {
            lock (_gate)
            {
                if (!_tracker.IsSpeaking)
                {
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: the agent turn was not heard whole; it keeps the {Length} characters heard")]
    private static partial void LogTruncated(ILogger logger, string? streamSid, int length);
}
