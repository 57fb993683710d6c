using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Portal.Voice.Pipeline;

namespace Portal.Voice.Calls;

/// <summary>Caller turns, keypad digits, consent, voice messages and the watchdog of <see cref="MediaStreamSession"/>.</summary>
public sealed partial class MediaStreamSession
{
    private static readonly HashSet<string> YesWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "yes", "yeah", "yep", "yup", "sure", "ok", "okay", "fine", "agree", "consent", "alright", "certainly", "absolutely", "of course",
    };

    private static readonly HashSet<string> NoWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "no", "nope", "nah", "don't", "do not", "not", "decline", "refuse", "rather not",
    };

    private CallAudioRecorder? _recorder;
    private bool _recordingFromSpeech;
    private bool _recordingHeardSpeech;
    private DateTimeOffset _recordingSince;
    private DateTimeOffset _recordingLastSound;
    private long _lastFinalTimestamp;

    private bool RecordingAllowed => _setup is { RecordingEnabled: true } && _consent is ConsentState.NotNeeded or ConsentState.Given;

    /// <summary>Reads a yes/no answer: true, false, or null when unclear. "No" wins over "yes" ("yes, I mean no" → false is safer).</summary>
    /// <param name="text">The caller's words.</param>
    /// <returns>The answer or null.</returns>
    public static bool? ParseYesNo(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string normalized = " " + new string([.. text.ToLowerInvariant().Select(c => char.IsLetter(c) || c == '\'' ? c : ' ')]) + " ";
        normalized = string.Join(' ', normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        string padded = " " + normalized + " ";
        if (NoWords.Any(w => padded.Contains(" " + w + " ", StringComparison.Ordinal)))
        {
            return false;
        }

        return YesWords.Any(w => padded.Contains(" " + w + " ", StringComparison.Ordinal)) ? true : null;
    }

    private async Task OnUtteranceAsync(CallerUtterance utterance, CancellationToken ct)
    {
        bool agentSpeaking;
        TranscriptKind kind;
        bool keypad;
        lock (_gate)
        {
            agentSpeaking = _playing || _tracker.IsSpeaking;
            kind = _bargeIn.Classify(utterance.Text);
            keypad = _keypad;
            _idleSince = _time.GetUtcNow();
        }

        if (_recorder is not null && !_recordingFromSpeech)
        {
            return; // a keypad voice message is being recorded: the words are in the recording
        }

        if (agentSpeaking && kind != TranscriptKind.Content)
        {
            LogBackchannel(_logger, _streamSid, utterance.Text);
            return;
        }

        if (keypad)
        {
            return;
        }

        _reprompts = 0;
        await FinishRecordingAsync(announce: false, ct);
        if (_consent == ConsentState.Awaiting)
        {
            await AnswerConsentAsync(ParseYesNo(utterance.Text), ct);
            return;
        }

        if (utterance.Confidence < _options.MinConfidence)
        {
            LogLowConfidence(_logger, _streamSid, utterance.Confidence);
            if (++_lowConfidence >= _options.LowConfidenceTurns)
            {
                await FallBackToKeypadAsync(KeypadFallback, ct);
            }
            else
            {
                await StartPlaybackAsync(AgentReply.Prompt(RepromptPrefix + " " + SpeechReprompt), sendClear: true, ct);
            }

            return;
        }

        _lowConfidence = 0;
        long finalAt;
        lock (_gate)
        {
            finalAt = _lastFinalTimestamp;
        }

        await StartPlaybackAsync(AgentReply.Turn(c => _handler.ProcessTurnAsync(utterance.Text, c), utterance, finalAt), sendClear: true, ct);
    }

    private async Task AnswerConsentAsync(bool? answer, CancellationToken ct)
    {
        bool keypad = KeypadMode;
        if (answer is null)
        {
            if (++_consentAsks < 2)
            {
                await StartPlaybackAsync(AgentReply.Prompt(RepromptPrefix + " " + ConsentPrompt), sendClear: true, ct);
                return;
            }

            answer = false; // asked twice without a clear yes: no recording
        }

        _consent = answer.Value ? ConsentState.Given : ConsentState.Declined;
        await _handler.SetRecordingConsentAsync(answer.Value, ct);
        string next = (answer.Value ? ConsentGiven : ConsentDeclined) + " " + (keypad ? Menu : HowCanIHelp);
        await StartPlaybackAsync(AgentReply.Prompt(next), sendClear: true, ct);
    }

    private async Task OnDigitAsync(string digit, CancellationToken ct)
    {
        lock (_gate)
        {
            _reprompts = 0;
            _idleSince = _time.GetUtcNow();
        }

        if (_recorder is not null)
        {
            if (digit == "#" || !_recordingFromSpeech)
            {
                await FinishRecordingAsync(announce: !_recordingFromSpeech, ct);
                return;
            }
        }

        if (_consent == ConsentState.Awaiting && digit is "1" or "2")
        {
            await AnswerConsentAsync(digit == "1", ct);
            return;
        }

        bool keypad = KeypadMode;
        string menu = keypad ? " " + Menu : "";
        switch (digit)
        {
            case "1":
                await StartPlaybackAsync(AgentReply.Turn(c => _handler.ProcessTurnAsync(HoursQuestion, c), null, 0, menu), sendClear: true, ct);
                break;
            case "2":
                await StartPlaybackAsync(AgentReply.Turn(c => _handler.ProcessTurnAsync(AddressQuestion, c), null, 0, menu), sendClear: true, ct);
                break;
            case "3":
                if (RecordingAllowed)
                {
                    await StartPlaybackAsync(AgentReply.Prompt(MessagePrompt) with { StartRecordingAfter = true }, sendClear: true, ct);
                }
                else
                {
                    await StartPlaybackAsync(AgentReply.Prompt(MessagesUnavailable + menu), sendClear: true, ct);
                }

                break;
            case "0":
                await StartPlaybackAsync(AgentReply.TransferCall(Menu), sendClear: true, ct);
                break;
            default:
                await StartPlaybackAsync(AgentReply.Prompt(UnknownDigit + menu), sendClear: true, ct);
                break;
        }
    }

    /// <summary>Starts recording the caller (called under <see cref="_gate"/>).</summary>
    private void StartRecording(bool fromSpeech)
    {
        if (_recorder is not null || !RecordingAllowed)
        {
            return;
        }

        _recorder = new CallAudioRecorder(_options.MaxRecording);
        _recordingFromSpeech = fromSpeech;
        _recordingHeardSpeech = false;
        _recordingSince = _recordingLastSound = _time.GetUtcNow();
        _idleSince = _recordingSince;
        LogRecording(_logger, _streamSid);
    }

    /// <summary>Feeds a caller frame to the recording (called under <see cref="_gate"/>); true when a keypad message is complete.</summary>
    private bool OnRecordingFrame(ReadOnlySpan<byte> ulaw, bool speech)
    {
        if (_recorder is not { } recorder)
        {
            return false;
        }

        recorder.Append(ulaw);
        var now = _time.GetUtcNow();
        if (speech)
        {
            _recordingHeardSpeech = true;
            _recordingLastSound = now;
            _idleSince = now;
        }

        if (recorder.IsFull)
        {
            return true;
        }

        return !_recordingFromSpeech && now - (_recordingHeardSpeech ? _recordingLastSound : _recordingSince) >= (_recordingHeardSpeech ? _options.RecordingSilence : _options.SilenceTimeout);
    }

    private async Task FinishRecordingAsync(bool announce, CancellationToken ct)
    {
        CallAudioRecorder? recorder;
        bool heard;
        lock (_gate)
        {
            recorder = _recorder;
            heard = _recordingHeardSpeech;
            _recorder = null;
            _idleSince = _time.GetUtcNow();
        }

        if (recorder is null)
        {
            return;
        }

        bool saved = false;
        if (heard && recorder.DurationMs > 0)
        {
            try
            {
                await _handler.SaveRecordingAsync(recorder.ToWav(), recorder.DurationMs, ct);
                saved = true;
                LogRecordingSaved(_logger, _streamSid, recorder.DurationMs);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRecordingFailed(_logger, _streamSid, ex.Message);
            }
        }

        if (announce)
        {
            bool keypad = KeypadMode;
            string said = saved ? MessageSaved : RepromptPrefix;
            await StartPlaybackAsync(AgentReply.Prompt(said + " " + (keypad ? Menu : HowCanIHelp)), sendClear: false, ct);
        }
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        var tick = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(tick, _time, ct);
            string? goodbye = null;
            bool reprompt = false;
            bool silent = false;
            lock (_gate)
            {
                if (IsSilentStream())
                {
                    silent = _hangingUp = _hungUp = true;
                }
                else if (_hangingUp)
                {
                    continue; // a goodbye is playing; the wire may still go silent under it
                }
                else if (_time.GetElapsedTime(_startTimestamp) >= _options.MaxCallLength)
                {
                    goodbye = TimeLimitGoodbye;
                }
                else if (_playing || _tracker.IsSpeaking || _vad.IsSpeech || _turns.InTurn || _recorder is not null
                    || _time.GetUtcNow() - _idleSince < _options.SilenceTimeout)
                {
                    continue;
                }
                else if (_reprompts >= _options.MaxReprompts)
                {
                    goodbye = NoInputGoodbye;
                }
                else
                {
                    _reprompts++;
                    reprompt = true;
                    _idleSince = _time.GetUtcNow();
                }

                if (goodbye is not null)
                {
                    _hangingUp = true;
                }
            }

            if (silent)
            {
                await CloseSilentStreamAsync(ct);
                return;
            }

            if (goodbye is not null)
            {
                LogHangUp(_logger, _streamSid, goodbye);
                await SerializedAsync(c => StartPlaybackAsync(AgentReply.Prompt(goodbye) with { HangUpAfter = true }, sendClear: true, c), ct);
                return;
            }

            if (reprompt)
            {
                string again = _consent == ConsentState.Awaiting ? ConsentPrompt : KeypadMode ? Menu : SpeechReprompt;
                await SerializedAsync(c => StartPlaybackAsync(AgentReply.Prompt(RepromptPrefix + " " + again), sendClear: false, c), ct);
            }
        }
    }

    private async Task HangUpAsync(string reason, CancellationToken ct)
    {
        // Let the last words play out: wait until their marks come back (bounded).
        await WaitUntilHeardAsync(TimeSpan.FromSeconds(10), ct);

        lock (_gate)
        {
            _hungUp = true;
            _hangingUp = true;
        }

        // Closing our side ends a <Connect><Stream> (protocols.md §2.5); the TwiML has nothing after it.
        await _transport.CloseAsync(WebSocketCloseStatus.NormalClosure, reason, ct);

        // Twilio answers the close; if it does not, stop waiting for it.
        _sessionCts?.CancelAfter(CloseGrace);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Media stream {StreamSid}: backchannel while the agent speaks ignored: {Text}")]
    private static partial void LogBackchannel(ILogger logger, string? streamSid, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: low recognition confidence {Confidence}")]
    private static partial void LogLowConfidence(ILogger logger, string? streamSid, double confidence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: recording the caller")]
    private static partial void LogRecording(ILogger logger, string? streamSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: voice message of {DurationMs} ms stored")]
    private static partial void LogRecordingSaved(ILogger logger, string? streamSid, int durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: storing the voice message failed: {Error}")]
    private static partial void LogRecordingFailed(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: falling back to the keypad: {Reason}")]
    private static partial void LogKeypadFallback(ILogger logger, string? streamSid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: speech-to-text failed: {Error}")]
    private static partial void LogRecognizerFailed(ILogger logger, string? streamSid, string error);
}
