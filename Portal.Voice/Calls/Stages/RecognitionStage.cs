using Portal.Voice.SpeechToText;

namespace Portal.Voice.Calls.Stages;

/// <summary>
/// Recognition: opens the call's speech-to-text stream in the transport's recognizer format, and reads its transcripts
/// on its own task into <see cref="ListeningStage"/>. A recognizer that fails to open, fails mid-call or closes its stream
/// puts the call on the keypad (<see cref="RecognizerLostEvent"/>).
/// </summary>
internal sealed class RecognitionStage(CallContext call, ListeningStage listening)
{
    private ISpeechToTextStream? _recognizer;
    private Task _transcripts = Task.CompletedTask;

    /// <summary>Opens the recognizer and starts reading its transcripts; false when it could not be opened (logged).</summary>
    public async Task<bool> OpenAsync(CancellationToken ct)
    {
        try
        {
            var recognizer = await call.SpeechToText!.OpenAsync(
                new SpeechToTextOptions(call.Transport.RecognizerFormat, call.Options.Language, call.Options.Turns.SilenceMs), ct);
            _recognizer = recognizer;
            listening.Attach(recognizer);
            _transcripts = ReadAsync(recognizer, ct);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CallLog.RecognizerFailed(call.Logger, call.StreamSid, ex.Message);
            return false;
        }
    }

    /// <summary>Tells the recognizer no more audio comes (the keypad took over); never throws but for cancellation.</summary>
    public async Task CompleteAsync(ISpeechToTextStream recognizer, CancellationToken ct)
    {
        try
        {
            await recognizer.CompleteAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CallLog.RecognizerFailed(call.Logger, call.StreamSid, ex.Message);
        }
    }

    /// <summary>Closes the recognizer at the end of the call and waits for the transcript reader; never throws.</summary>
    public async Task CloseAsync()
    {
        if (_recognizer is not { } recognizer)
        {
            return;
        }

        try
        {
            await recognizer.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CallLog.RecognizerFailed(call.Logger, call.StreamSid, ex.Message);
        }

        await CallContext.IgnoreCancellation(_transcripts);
    }

    private async Task ReadAsync(ISpeechToTextStream recognizer, CancellationToken ct)
    {
        try
        {
            await foreach (var transcript in recognizer.ReadTranscriptsAsync(ct))
            {
                listening.OnTranscript(transcript);
            }

            if (!ct.IsCancellationRequested)
            {
                call.Post(new RecognizerLostEvent()); // the provider closed the stream mid-call: no more speech can be heard
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            CallLog.RecognizerFailed(call.Logger, call.StreamSid, ex.Message);
            call.Post(new RecognizerLostEvent());
        }
    }
}
