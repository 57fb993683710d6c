using Portal.Domain.Conversations;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls;

/// <summary>
/// The application side of a browser test call: the phone call's <see cref="IMediaCallHandler"/> (turns, truncation,
/// figures, voice messages, end) unchanged, except that there is no phone line to transfer, so key 0 is answered
/// "no one is available" instead of redirecting a provider call that does not exist.
/// </summary>
/// <param name="inner">The phone call's handler.</param>
public sealed class BrowserCallHandler(IMediaCallHandler inner) : IMediaCallHandler
{
    /// <inheritdoc />
    public MediaTurnState LastTurn => inner.LastTurn;

    /// <inheritdoc />
    public Task<MediaCallSetup?> StartAsync(StartMessage start, CancellationToken cancellationToken) => inner.StartAsync(start, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<string> ProcessTurnAsync(string utterance, CancellationToken cancellationToken) => inner.ProcessTurnAsync(utterance, cancellationToken);

    /// <inheritdoc />
    public Task AgentTurnHeardAsync(string heardText, CancellationToken cancellationToken) => inner.AgentTurnHeardAsync(heardText, cancellationToken);

    /// <inheritdoc />
    public Task AgentTurnPlayedAsync(string heardSoFar, bool complete, CancellationToken cancellationToken) => inner.AgentTurnPlayedAsync(heardSoFar, complete, cancellationToken);

    /// <inheritdoc />
    public Task StartFailedAsync(StartMessage start, string reason, CancellationToken cancellationToken) => inner.StartFailedAsync(start, reason, cancellationToken);

    /// <inheritdoc />
    public Task RecordTurnMetricsAsync(VoiceTurnMetrics metrics, CancellationToken cancellationToken) => inner.RecordTurnMetricsAsync(metrics, cancellationToken);

    /// <inheritdoc />
    public Task SetRecordingConsentAsync(bool consent, CancellationToken cancellationToken) => inner.SetRecordingConsentAsync(consent, cancellationToken);

    /// <inheritdoc />
    public Task SaveRecordingAsync(ReadOnlyMemory<byte> wav, int durationMs, CancellationToken cancellationToken) => inner.SaveRecordingAsync(wav, durationMs, cancellationToken);

    /// <inheritdoc />
    /// <returns>Always false: a browser call has no provider call to redirect.</returns>
    public Task<bool> TransferAsync(string request, string heardPrompt, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <inheritdoc />
    public Task EndAsync(CancellationToken cancellationToken) => inner.EndAsync(cancellationToken);
}
