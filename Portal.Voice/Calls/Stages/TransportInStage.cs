using Portal.Voice.Twilio;

namespace Portal.Voice.Calls.Stages;

/// <summary>
/// Transport in: reads the call's wire (<see cref="ICallTransport"/>) until <c>stop</c>, the peer's close or a hang-up,
/// and routes each message (https://www.twilio.com/docs/voice/media-streams/websocket-messages): <c>start</c> once to
/// the call's setup, <c>media</c> frames to the listening stage, <c>dtmf</c> to the dialogue as a <see cref="DigitEvent"/>,
/// echoed <c>mark</c>s to the heard-text stage. Malformed messages are logged and skipped.
/// </summary>
internal sealed class TransportInStage(CallContext call, CallLifetimeStage lifetime, ListeningStage listening, HeardTextStage heard, WatchdogStage watchdog)
{
    /// <summary>The watchdog, once the call was set up.</summary>
    public Task Watchdog { get; private set; } = Task.CompletedTask;

    /// <summary>Reads the wire until the stream ends.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (call.Transport.IsOpen && !call.HungUp)
        {
            var frame = await call.Transport.ReceiveAsync(ct);
            if (frame.IsClosed)
            {
                call.PeerClosed = true;
                return;
            }

            lock (call.Gate)
            {
                call.LastInbound = call.Time.GetUtcNow();
            }

            if (frame.Message is not { } message)
            {
                CallLog.Malformed(call.Logger, call.StreamSid, frame.Error!);
                continue;
            }

            switch (message)
            {
                case StartMessage start when call.StreamSid is null && !call.StartReceived:
                    if (!await lifetime.StartAsync(start, ct))
                    {
                        return;
                    }

                    Watchdog = watchdog.RunAsync(ct);
                    break;
                case MediaMessage media when call.StreamSid is not null:
                    await listening.OnFrameAsync(media, frame.RecognizerAudio, ct);
                    break;
                case DtmfMessage dtmf when call.StreamSid is not null:
                    call.Post(new DigitEvent(dtmf.Digit));
                    break;
                case MarkMessage mark when call.StreamSid is not null:
                    bool matched;
                    lock (call.Gate)
                    {
                        matched = call.Tracker.OnMarkEchoed(mark.Name);
                    }

                    if (matched)
                    {
                        await heard.ReportAsync(ct);
                    }

                    break;
                case StopMessage:
                    return;
            }
        }
    }
}
