using Microsoft.Extensions.Logging;

namespace Portal.Voice.Calls.Stages;

/// <summary>The call stages' log messages (source-generated, https://learn.microsoft.com/dotnet/core/extensions/logger-message-generator).</summary>
internal static partial class CallLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: malformed message skipped: {Error}")]
    public static partial void Malformed(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream for call {CallSid} rejected: invalid token")]
    public static partial void Rejected(ILogger logger, string callSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid} started for call {CallSid}")]
    public static partial void Started(ILogger logger, string callSid, string streamSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: hanging up: {Goodbye}")]
    public static partial void HangUp(ILogger logger, string? streamSid, string goodbye);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: socket error {Error}")]
    public static partial void SocketError(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: playback failed: {Error}")]
    public static partial void PlaybackFailed(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: ending the conversation failed: {Error}")]
    public static partial void EndFailed(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: a caller event failed: {Error}")]
    public static partial void EventFailed(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Media stream {StreamSid}: backchannel while the agent speaks ignored: {Text}")]
    public static partial void Backchannel(ILogger logger, string? streamSid, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: low recognition confidence {Confidence}")]
    public static partial void LowConfidence(ILogger logger, string? streamSid, double confidence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: recording the caller")]
    public static partial void Recording(ILogger logger, string? streamSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: voice message of {DurationMs} ms stored")]
    public static partial void RecordingSaved(ILogger logger, string? streamSid, int durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: storing the voice message failed: {Error}")]
    public static partial void RecordingFailed(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: falling back to the keypad: {Reason}")]
    public static partial void KeypadFallback(ILogger logger, string? streamSid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid}: speech-to-text failed: {Error}")]
    public static partial void RecognizerFailed(ILogger logger, string? streamSid, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: the agent turn was not heard whole; it keeps the {Length} characters heard")]
    public static partial void Truncated(ILogger logger, string? streamSid, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream closed: no valid start within {Seconds} s")]
    public static partial void NoStart(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media stream {StreamSid} closed: nothing received for {Seconds} s")]
    public static partial void SilentStream(ILogger logger, string? streamSid, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Media stream for call {CallSid} could not be set up; the caller is told and the call ends")]
    public static partial void StartFailed(ILogger logger, Exception error, string callSid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media stream {StreamSid}: end of turn waits for the recognizer ({PendingMs} ms of caller audio not transcribed yet)")]
    public static partial void AwaitingRecognizer(ILogger logger, string? streamSid, long pendingMs);
}
