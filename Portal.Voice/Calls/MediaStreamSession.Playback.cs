using System.Buffers;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Portal.Voice.Audio;
using Portal.Voice.Pipeline;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls;

/// <summary>Silence watchdog, playback and sending of <see cref="MediaStreamSession"/>.</summary>
public sealed partial class MediaStreamSession
{
    private async Task WatchSilenceAsync(CancellationToken ct)
    {
        var tick = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(tick, _time, ct);
            bool reprompt = false, hangUp = false;
            lock (_gate)
            {
                if (_playing || _tracker.IsSpeaking || _vad.IsSpeech || _time.GetUtcNow() - _idleSince < _options.SilenceTimeout)
                {
                    continue;
                }

                if (_reprompts >= _options.MaxReprompts)
                {
                    hangUp = true;
                    _hungUp = true;
                }
                else
                {
                    _reprompts++;
                    reprompt = true;
                    _idleSince = _time.GetUtcNow();
                }
            }

            if (hangUp)
            {
                LogHangUp(_logger, _streamSid);
                await _sendLock.WaitAsync(ct);
                try
                {
                    // Closing our side ends a <Connect><Stream> (protocols.md §2.5); the TwiML has nothing after it.
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "no input", ct);
                }
                finally
                {
                    _sendLock.Release();
                }

                // Twilio answers the close; if it does not, stop waiting for it.
                _sessionCts?.CancelAfter(CloseGrace);

                return;
            }

            if (reprompt)
            {
                await StartPlaybackAsync(_ => Task.FromResult(RepromptPrefix + " " + Menu), ct);
            }
        }
    }

    private async Task StartPlaybackAsync(Func<CancellationToken, Task<string>> text, CancellationToken ct)
    {
        await _playbackLock.WaitAsync(ct);
        try
        {
            await StopPlaybackCoreAsync();
            StartPlayback(text, ct);
        }
        finally
        {
            _playbackLock.Release();
        }
    }

    private void StartPlayback(Func<CancellationToken, Task<string>> text, CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        lock (_gate)
        {
            _playbackCts = cts;
            _playing = true;
            _tracker.Reset();
        }

        _playback = Task.Run(
            async () =>
            {
                try
                {
                    var say = await text(cts.Token);
                    if (say.Length > 0)
                    {
                        await SpeakAsync(say, cts.Token);
                    }
                }
                catch (OperationCanceledException) when (cts.IsCancellationRequested)
                {
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A failed turn (database, engine) or a dead socket must not take the call's receive loop down.
                    LogPlaybackFailed(_logger, _streamSid, ex.Message);
                }
                finally
                {
                    lock (_gate)
                    {
                        _playing = false;
                        _idleSince = _time.GetUtcNow();
                    }
                }
            },
            CancellationToken.None);
    }

    private async Task StopPlaybackAsync()
    {
        await _playbackLock.WaitAsync(CancellationToken.None);
        try
        {
            await StopPlaybackCoreAsync();
        }
        finally
        {
            _playbackLock.Release();
        }
    }

    private async Task StopPlaybackCoreAsync()
    {
        CancellationTokenSource? cts;
        lock (_gate)
        {
            cts = _playbackCts;
            _playbackCts = null;
        }

        if (cts is not null)
        {
            await cts.CancelAsync();
            await IgnoreCancellation(_playback);
            cts.Dispose();
        }
    }

    private async Task SpeakAsync(string text, CancellationToken ct)
    {
        var voice = _setup!.VoiceId;
        var pacer = new FramePacer(_time, _options.LeadFrames);
        foreach (var sentence in Sentences(text))
        {
            var ulaw = await _speech.GetMuLawAsync(sentence, voice, ct);
            await foreach (var frame in pacer.PaceAsync(ulaw, ct))
            {
                await SendAsync(w => MediaStreamMessage.WriteOutboundMedia(w, _streamSid!, frame), ct);
            }

            string mark;
            lock (_gate)
            {
                mark = "s" + (++_markCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);
                _tracker.OnChunkSent(mark, sentence);
            }

            await SendAsync(w => new MarkMessage(null, _streamSid!, mark).WriteTo(w), ct);
        }
    }

    private async Task SendClearAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            _tracker.OnClearSent();
        }

        await SendAsync(w => new ClearMessage(_streamSid!).WriteTo(w), ct);
    }

    private async Task SendAsync(Action<IBufferWriter<byte>> write, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            if (_socket.State != WebSocketState.Open)
            {
                return;
            }

            ct.ThrowIfCancellationRequested();
            _sendBuffer.ResetWrittenCount();
            write(_sendBuffer);
            // Not cancelled by ct: cancelling a WebSocket send aborts the whole socket, and playback is cancelled on
            // every barge-in or key press. A frame is a few hundred bytes; the session's end closes the socket anyway.
            await _socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
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

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceBreak();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: malformed message skipped: {Error}")]
    private static partial void LogMalformed(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream for call {CallSid} rejected: invalid token")]
    private static partial void LogRejected(ILogger logger, string callSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid} started for call {CallSid}")]
    private static partial void LogStarted(ILogger logger, string callSid, string streamSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: no input after the last reprompt, hanging up")]
    private static partial void LogHangUp(ILogger logger, string? streamSid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: socket error {Error}")]
    private static partial void LogSocketError(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: playback failed: {Error}")]
    private static partial void LogPlaybackFailed(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: ending the conversation failed: {Error}")]
    private static partial void LogEndFailed(ILogger logger, string? streamSid, string error);
}
