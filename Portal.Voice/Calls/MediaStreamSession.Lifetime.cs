using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls;

/// <summary>
/// The life of the wire under a <see cref="MediaStreamSession"/>: sockets that never send a valid <c>start</c> or fall silent
/// are closed, a failure while setting the call up is apologized for and closes the call record, and every session ends
/// with a WebSocket close handshake.
/// </summary>
public sealed partial class MediaStreamSession
{
    /// <summary>Said when the call cannot be set up (a fault on our side at stream start), before hanging up.</summary>
    public const string TechnicalDifficulties = "Sorry, we're having technical difficulties and can't take your call right now. Please call again shortly. Goodbye.";

    /// <summary>Closes the socket when no <c>start</c> arrived within <see cref="MediaStreamSessionOptions.StartTimeout"/>.</summary>
    private async Task GuardStartAsync(CancellationToken ct)
    {
        await Task.Delay(_options.StartTimeout, _time, ct);
        if (_startReceived)
        {
            return;
        }

        LogNoStart(_logger, _options.StartTimeout.TotalSeconds);
        lock (_gate)
        {
            _hungUp = true;
        }

        await _transport.CloseAsync(WebSocketCloseStatus.PolicyViolation, "no start", ct);
        // A peer that does not answer the close is not waited for.
        _sessionCts?.CancelAfter(CloseGrace);
    }

    /// <summary>True (and the socket is being closed) when a started stream has sent nothing for <see cref="MediaStreamSessionOptions.SilentStreamTimeout"/>; called under <see cref="_gate"/>.</summary>
    private bool IsSilentStream() => _time.GetUtcNow() - _lastInbound >= _options.SilentStreamTimeout;

    private async Task CloseSilentStreamAsync(CancellationToken ct)
    {
        LogSilentStream(_logger, _streamSid, _options.SilentStreamTimeout.TotalSeconds);
        await _transport.CloseAsync(WebSocketCloseStatus.NormalClosure, "stream silent", ct);
        _sessionCts?.CancelAfter(CloseGrace);
    }

    /// <summary>
    /// The call could not be set up (<see cref="IMediaCallHandler.StartAsync"/> threw: the database or the persona's
    /// settings failed): log it, close the call record through the handler, and tell the caller before hanging up.
    /// </summary>
    private async Task FailStartAsync(StartMessage start, Exception error, CancellationToken ct)
    {
        LogStartFailed(_logger, error, start.CallSid);
        _startFailed = true;
        _setup = new MediaCallSetup("", "en-us");
        _streamSid = start.StreamSid;
        _startTimestamp = _time.GetTimestamp();
        lock (_gate)
        {
            _hangingUp = true; // no reprompts: the apology is the whole call
            _idleSince = _time.GetUtcNow();
        }

        try
        {
            await _handler.StartFailedAsync(start, error.GetType().Name, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The record stays open; the orphaned-calls job closes it.
            LogEndFailed(_logger, start.StreamSid, ex.Message);
        }

        await StartPlaybackAsync(AgentReply.Prompt(TechnicalDifficulties) with { HangUpAfter = true }, sendClear: false, ct);
    }

    /// <summary>
    /// Ends the session with a close frame when ours was not sent yet (after <c>stop</c>, or when the peer closed first), then,
    /// for an accepted call, waits up to <see cref="CloseGrace"/> for the peer's (RFC 6455 §7.1.1); never throws.
    /// </summary>
    private async Task CloseWireAsync()
    {
        using var grace = new CancellationTokenSource(CloseGrace, _time);
        try
        {
            await _transport.CloseAsync(WebSocketCloseStatus.NormalClosure, "call ended", grace.Token);
            if (_setup is null || _peerClosed)
            {
                return; // never wait on a rejected or silent peer
            }

            while (!(await _transport.ReceiveAsync(grace.Token)).IsClosed)
            {
                // Frames after our close (late media) are dropped.
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or InvalidOperationException)
        {
            // The peer went away without its close frame, or it never answers: the socket is aborted with the request.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream closed: no valid start within {Seconds} s")]
    private static partial void LogNoStart(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid} closed: nothing received for {Seconds} s")]
    private static partial void LogSilentStream(ILogger logger, string? streamSid, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Media stream for call {CallSid} could not be set up; the caller is told and the call ends")]
    private static partial void LogStartFailed(ILogger logger, Exception error, string callSid);
}
