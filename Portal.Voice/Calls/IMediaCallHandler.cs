using Portal.Domain.Conversations;
using Portal.Voice.Twilio;

namespace Portal.Voice.Calls;

/// <summary>What a validated call needs to start speaking.</summary>
/// <param name="Greeting">The persona's greeting (already stored as the conversation's first turn).</param>
/// <param name="VoiceId">Text-to-speech voice id.</param>
public sealed record MediaCallSetup(string Greeting, string VoiceId)
{
    /// <summary>The answering persona (the greeting audio is cached per persona and voice); null when unknown.</summary>
    public Guid? AgentPersonaId { get; init; }

    /// <summary>True when the persona allows recording the caller (voice messages).</summary>
    public bool RecordingEnabled { get; init; }

    /// <summary>True when the caller's state requires every party's consent to a recording (docs/product/recording-consent.md): the agent discloses it is an AI and asks first.</summary>
    public bool ConsentRequired { get; init; }

    /// <summary>The call's tenant, for log scopes and traces; null when unknown.</summary>
    public Guid? TenantId { get; init; }

    /// <summary>The call's conversation, for log scopes and traces; null when unknown.</summary>
    public Guid? ConversationId { get; init; }
}

/// <summary>Data the caller is dictating, for which endpointing waits longer.</summary>
public enum DictationSlot
{
    /// <summary>Nothing special: normal endpointing.</summary>
    None = 0,

    /// <summary>A name (callers spell it out).</summary>
    Name = 1,

    /// <summary>A phone number (callers pause between digit groups).</summary>
    Phone = 2,

    /// <summary>An e-mail address.</summary>
    Email = 3,

    /// <summary>A free-text message for the business.</summary>
    Message = 4,
}

/// <summary>Where the dialogue stands after a turn, as the call needs it.</summary>
/// <param name="Dictation">The slot the agent asked for (longer endpointing), or none.</param>
/// <param name="Ended">True when the agent ended the conversation: the call says its reply and hangs up.</param>
/// <param name="TakingMessage">True when the agent asked for the caller's message: the call records the next utterance's audio when recording is allowed.</param>
public sealed record MediaTurnState(DictationSlot Dictation, bool Ended, bool TakingMessage)
{
    /// <summary>No dictation, not ended, no message.</summary>
    public static MediaTurnState Idle { get; } = new(DictationSlot.None, false, false);
}

/// <summary>
/// The application side of one phone call on a Media Stream: token check, turns, truncation after barge-in, figures,
/// recordings, consent, transfer and end. The web layer implements it over a DI scope (tenant set from the validated
/// token); tests fake it. Keeps <see cref="MediaStreamSession"/> free of the database and of ASP.NET.
/// </summary>
public interface IMediaCallHandler
{
    /// <summary>Validates the <c>start</c> message (its <c>token</c> custom parameter). Null rejects the call.</summary>
    Task<MediaCallSetup?> StartAsync(StartMessage start, CancellationToken cancellationToken);

    /// <summary>
    /// Processes one caller utterance as a stored conversation turn and streams the agent's reply as text segments of any
    /// size (model tokens, or the whole reply as one segment); the session cuts them into sentences. The caller's turn is
    /// stored before the first segment; the agent's turn once the enumeration completes. <see cref="LastTurn"/> is valid
    /// after the enumeration completed.
    /// </summary>
    IAsyncEnumerable<string> ProcessTurnAsync(string utterance, CancellationToken cancellationToken);

    /// <summary>The dialogue state after the last completed <see cref="ProcessTurnAsync"/>.</summary>
    MediaTurnState LastTurn { get; }

    /// <summary>
    /// The caller did not hear all of the last agent turn (barge-in, key press, hang-up): it is stored as
    /// <paramref name="heardText"/>, what was actually played by echoed marks (possibly empty), and marked interrupted.
    /// </summary>
    Task AgentTurnHeardAsync(string heardText, CancellationToken cancellationToken);

    /// <summary>
    /// Marks of the last agent turn came back while it plays: <paramref name="heardSoFar"/> is what the caller has heard of
    /// it, <paramref name="complete"/> true once that is all of it (the turn then stands as stored). Lets a crash mid-reply
    /// leave the heard part on record.
    /// </summary>
    Task AgentTurnPlayedAsync(string heardSoFar, bool complete, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="StartAsync"/> threw (a fault on our side): close the call's record as ended unexpectedly, when the start's
    /// token identifies it. The session then apologizes to the caller and hangs up.
    /// </summary>
    /// <param name="start">The start message.</param>
    /// <param name="reason">Short, log-safe reason (the exception type).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task StartFailedAsync(StartMessage start, string reason, CancellationToken cancellationToken);

    /// <summary>Stores the confidence, audio spans and latency breakdown of the exchange just finished.</summary>
    Task RecordTurnMetricsAsync(VoiceTurnMetrics metrics, CancellationToken cancellationToken);

    /// <summary>Stores the caller's answer to the recording-consent question.</summary>
    Task SetRecordingConsentAsync(bool consent, CancellationToken cancellationToken);

    /// <summary>Stores audio recorded from the caller (a voice message) on the call.</summary>
    /// <param name="wav">RIFF/WAVE, PCM16 mono 8000 Hz.</param>
    /// <param name="durationMs">Length of the audio, ms.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task SaveRecordingAsync(ReadOnlyMemory<byte> wav, int durationMs, CancellationToken cancellationToken);

    /// <summary>
    /// Hands the call to a person and, when that worked, stores the hand-over as a turn (<paramref name="request"/> from the
    /// caller, <paramref name="heardPrompt"/> from the agent) with the outcome Transferred. False when no transfer is
    /// possible (nothing is stored; the session says so and goes on).
    /// </summary>
    Task<bool> TransferAsync(string request, string heardPrompt, CancellationToken cancellationToken);

    /// <summary>The call ended (stop, socket closed, hung up after silence or at the time limit). Called at most once, after a successful start.</summary>
    Task EndAsync(CancellationToken cancellationToken);
}
