using System.Net.WebSockets;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls.Stages;

/// <summary>
/// The life of a call on its wire: the <c>start</c> (the handler checks the token and opens the conversation; the greeting
/// plays from the cache before the recognizer is even open), a start that never comes (closed after
/// <see cref="MediaStreamSessionOptions.StartTimeout"/>), a failed start (apologized for, the record closed), the end of
/// the call (playback settled, the voice message stored, the conversation ended) and the WebSocket close handshake
/// (RFC 6455 §7.1.1, https://www.rfc-editor.org/rfc/rfc6455#section-7.1.1).
/// </summary>
internal sealed class CallLifetimeStage(CallContext call, PlaybackStage playback, RecognitionStage recognition, HeardTextStage heard, VoiceMessageStage recorder)
{
    /// <summary>Sets the call up; false when the stream is refused (bad token: the wire is closed, the session ends).</summary>
    public async Task<bool> StartAsync(StartMessage start, CancellationToken ct)
    {
        call.StartReceived = true;
        MediaCallSetup? setup;
        try
        {
            setup = await call.Handler.StartAsync(start, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailStartAsync(start, ex, ct);
            return true; // the apology plays, then the call hangs up
        }

        if (setup is null)
        {
            CallLog.Rejected(call.Logger, start.CallSid);
            // Output only: the endpoint returns at once and the server drops the connection; never wait on a rejected peer.
            await call.Transport.CloseAsync(WebSocketCloseStatus.PolicyViolation, "stream refused", ct);
            return false;
        }

        call.Setup = setup;
        call.LogScope.Fill(start.CallSid, setup.TenantId, setup.ConversationId);
        CallTelemetry.TagCall(call.CallActivity, start.CallSid, setup);
        call.StreamSid = start.StreamSid;
        call.StartTimestamp = call.Time.GetTimestamp();
        lock (call.Gate)
        {
            call.Touch();
        }

        CallLog.Started(call.Logger, start.CallSid, start.StreamSid);
        bool askConsent = setup.RecordingEnabled && setup.ConsentRequired;
        call.Consent = askConsent ? ConsentState.Awaiting : ConsentState.NotNeeded;

        // The greeting is the call's stored first agent turn: a barge-in cuts it to what was heard, like any reply; the
        // consent question or menu after it is not.
        bool speechPossible = call.SpeechToText is not null;
        string? after = askConsent ? CallPrompts.ConsentPrompt : speechPossible ? null : CallPrompts.Menu;
        await playback.StartAsync(AgentReply.Greeting(setup.Greeting, after), sendClear: false, ct);
        if (speechPossible && !await recognition.OpenAsync(ct) && !askConsent)
        {
            await playback.SayAsync(CallPrompts.Menu, sendClear: false, ct);
        }

        return true;
    }

    /// <summary>Closes the socket when no <c>start</c> arrived within <see cref="MediaStreamSessionOptions.StartTimeout"/>.</summary>
    public async Task GuardStartAsync(CancellationToken ct)
    {
        await Task.Delay(call.Options.StartTimeout, call.Time, ct);
        if (call.StartReceived)
        {
            return;
        }

        CallLog.NoStart(call.Logger, call.Options.StartTimeout.TotalSeconds);
        lock (call.Gate)
        {
            call.HungUp = true;
        }

        await call.Transport.CloseAsync(WebSocketCloseStatus.PolicyViolation, "no start", ct);
        call.SessionCts?.CancelAfter(CallContext.CloseGrace); // a peer that does not answer the close is not waited for
    }

    /// <summary>The call is over: stop playback, close the recognizer, settle the last turn, store a message, end the conversation.</summary>
    public async Task FinishAsync(Task watchdog)
    {
        await playback.StopAsync(sendClear: false, CancellationToken.None);
        await CallContext.IgnoreCancellation(watchdog);
        lock (call.Gate)
        {
            call.Tracker.OnStop();
        }

        await recognition.CloseAsync();
        if (call.Setup is null || call.StartFailed)
        {
            return;
        }

        try
        {
            await heard.SettleAsync(CancellationToken.None);
            await recorder.FinishAsync(CancellationToken.None);
            await call.Handler.EndAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CallLog.EndFailed(call.Logger, call.StreamSid, ex.Message);
        }
    }

    /// <summary>
    /// Ends the session with a close frame when ours was not sent yet (after <c>stop</c>, or when the peer closed first),
    /// then, for an accepted call, waits up to <see cref="CallContext.CloseGrace"/> for the peer's; never throws.
    /// </summary>
    public async Task CloseWireAsync()
    {
        using var grace = new CancellationTokenSource(CallContext.CloseGrace, call.Time);
        try
        {
            await call.Transport.CloseAsync(WebSocketCloseStatus.NormalClosure, "call ended", grace.Token);
            if (call.Setup is null || call.PeerClosed)
            {
                return; // never wait on a rejected or silent peer
            }

            while (!(await call.Transport.ReceiveAsync(grace.Token)).IsClosed)
            {
                // Frames after our close (late media) are dropped.
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or InvalidOperationException)
        {
            // The peer went away without its close frame, or it never answers: the socket is aborted with the request.
        }
    }

    /// <summary>
    /// The handler could not set the call up (the database or the persona's settings failed): log it, close the call
    /// record through the handler, and tell the caller before hanging up.
    /// </summary>
    private async Task FailStartAsync(StartMessage start, Exception error, CancellationToken ct)
    {
        CallLog.StartFailed(call.Logger, error, start.CallSid);
        call.StartFailed = true;
        call.Setup = new MediaCallSetup("", "en-us");
        call.StreamSid = start.StreamSid;
        call.StartTimestamp = call.Time.GetTimestamp();
        lock (call.Gate)
        {
            call.HangingUp = true; // no reprompts: the apology is the whole call
            call.Touch();
        }

        try
        {
            await call.Handler.StartFailedAsync(start, error.GetType().Name, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CallLog.EndFailed(call.Logger, start.StreamSid, ex.Message); // the record stays open; the orphaned-calls job closes it
        }

        await playback.StartAsync(AgentReply.Prompt(CallPrompts.TechnicalDifficulties) with { HangUpAfter = true }, sendClear: false, ct);
    }
}
