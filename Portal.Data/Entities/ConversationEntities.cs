namespace Portal.Data.Entities;

/// <summary>One conversation with a caller or visitor, on any channel; every channel stores its conversations here, in one shape.</summary>
public sealed class Conversation : TenantEntity
{
    /// <summary>The agent that served it.</summary>
    public Guid AgentPersonaId { get; set; }

    /// <summary>Channel.</summary>
    public Channel Channel { get; set; }

    /// <summary>
    /// True when the business's own people started it to try their agent from the portal (the console chat, the browser
    /// test call): stored and shown like any other, but kept out of the business's figures (booking rate, agent activity).
    /// Always true on <see cref="Channel.Test"/>.
    /// </summary>
    public bool IsTest { get; set; }

    /// <summary>When it started (UTC).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When it ended (UTC), or null while open.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Result.</summary>
    public ConversationOutcome Outcome { get; set; }

    /// <summary>Caller's name once known.</summary>
    public string? CustomerName { get; set; }

    /// <summary>Caller's number (E.164) once known.</summary>
    public string? CustomerPhone { get; set; }

    /// <summary>The customer it belongs to, once a phone number or email matched one (<c>Portal.Domain.Customers.CustomerMatcher</c>); null for test conversations and anonymous visitors.</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>Number of turns stored.</summary>
    public int TurnCount { get; set; }

    /// <summary>Serialized dialogue state (JSON) so any process can continue the conversation.</summary>
    public string State { get; set; } = "{}";

    /// <summary>Turns, ordered by <see cref="Turn.Sequence"/>.</summary>
    public List<Turn> Turns { get; set; } = [];

    /// <summary>Maximum length of <see cref="CallSid"/> (Twilio SIDs are 34 characters).</summary>
    public const int CallSidMaxLength = 64;

    /// <summary>Maximum length of <see cref="CallStatus"/>.</summary>
    public const int CallStatusMaxLength = 16;

    /// <summary>Maximum length of an E.164 number column.</summary>
    public const int PhoneMaxLength = 20;

    /// <summary>Voice only: the telephony provider's call id (Twilio <c>CA…</c>); unique when set, so a retried webhook finds its conversation.</summary>
    public string? CallSid { get; set; }

    /// <summary>Voice only: last accepted provider call status (<c>Portal.Domain.Calls.CallStatuses</c>: queued, initiated, ringing, in-progress, completed, busy, no-answer, failed, canceled).</summary>
    public string? CallStatus { get; set; }

    /// <summary>Voice only: call length in seconds (Twilio <c>CallDuration</c>), known once the call ended.</summary>
    public int? DurationSeconds { get; set; }

    /// <summary>Voice only: the number that was called (ours), E.164.</summary>
    public string? ToNumber { get; set; }

    /// <summary>Voice only: the caller's number, E.164 (may be a non-number such as "anonymous" when withheld).</summary>
    public string? FromNumber { get; set; }

    /// <summary>Voice only: Twilio <c>SequenceNumber</c> of the last accepted status callback (from 0), to order out-of-order callbacks.</summary>
    public int? LastStatusSequence { get; set; }

    /// <summary>Maximum length of <see cref="FallbackReason"/>.</summary>
    public const int FallbackReasonMaxLength = 200;

    /// <summary>When the language model failed and the offline engine took the conversation over (UTC), or null. Once set, the conversation stays offline.</summary>
    public DateTimeOffset? FellBackAt { get; set; }

    /// <summary>Why the model path failed ("timeout", "circuit open", "HTTP 500"…), never containing secrets.</summary>
    public string? FallbackReason { get; set; }

    /// <summary>Voice only: when the last accepted status happened (Twilio <c>Timestamp</c>, else receipt time), UTC.</summary>
    public DateTimeOffset? LastStatusAt { get; set; }

    /// <summary>Maximum length of <see cref="CallerRegion"/>.</summary>
    public const int CallerRegionMaxLength = 8;

    /// <summary>Voice only: the caller's US state (two-letter code, e.g. <c>CA</c>) derived from the number's area code, or null.</summary>
    public string? CallerRegion { get; set; }

    /// <summary>Voice only: the caller's answer to the recording-consent question (true = yes, false = no); null when not asked.</summary>
    public bool? RecordingConsent { get; set; }

    /// <summary>Maximum length of <see cref="StreamSid"/> (Twilio SIDs are 34 characters).</summary>
    public const int StreamSidMaxLength = 64;

    /// <summary>
    /// Voice only: the media stream that claimed the call (Twilio <c>MZ…</c>), or null before one connects. One stream per
    /// call: a second stream for the same conversation (a replayed webhook) is refused.
    /// </summary>
    public string? StreamSid { get; set; }

    /// <summary>Maximum length of <see cref="EndReason"/>.</summary>
    public const int EndReasonMaxLength = 200;

    /// <summary>
    /// Voice only: why the call ended when it did not end normally ("Ended unexpectedly: …" from the orphaned-calls job, or a
    /// failure at stream start); null for a normal end.
    /// </summary>
    public string? EndReason { get; set; }

    /// <summary>Maximum length of <see cref="SpeechFailureReason"/>.</summary>
    public const int SpeechFailureReasonMaxLength = 200;

    /// <summary>
    /// Voice only: how many times speech synthesis failed during the call (the agent's voice could not speak and another
    /// voice spoke instead); 0 when it never failed. Counted per agent on the admin Agents page and the owner's dashboard.
    /// </summary>
    public int SpeechFailures { get; set; }

    /// <summary>Voice only: the last synthesis failure of the call, for people ("… could not speak with voice 'x' (…); spoken with …"), or null.</summary>
    public string? SpeechFailureReason { get; set; }

    /// <summary>Maximum length of <see cref="TakenOverByName"/>.</summary>
    public const int StaffNameMaxLength = 120;

    /// <summary>Chat and SMS: when a team member took the conversation over (the agent stays silent until handed back), or null.</summary>
    public DateTimeOffset? TakenOverAt { get; set; }

    /// <summary>Chat and SMS: the team member (user id) who holds the conversation while <see cref="TakenOverAt"/> is set.</summary>
    public Guid? TakenOverByUserId { get; set; }

    /// <summary>Chat and SMS: the display name of that team member ("Sam Lee"), shown to the visitor as "Sam from the team".</summary>
    public string? TakenOverByName { get; set; }

    /// <summary>Chat and SMS: when the customer (or the agent's hand-over intent) asked for a person and nobody has joined yet, or null.</summary>
    public DateTimeOffset? HandoverRequestedAt { get; set; }
}

/// <summary>One utterance of a conversation, stored as it completes.</summary>
public sealed class Turn : TenantEntity
{
    /// <summary>Maximum stored text length (characters).</summary>
    public const int TextMaxLength = 4000;

    /// <summary>Parent conversation.</summary>
    public Guid ConversationId { get; set; }

    /// <summary>0-based order within the conversation.</summary>
    public int Sequence { get; set; }

    /// <summary>Who spoke.</summary>
    public Speaker Speaker { get; set; }

    /// <summary>What was said.</summary>
    public string Text { get; set; } = "";

    /// <summary>When the utterance started (UTC).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When it completed (UTC).</summary>
    public DateTimeOffset CompletedAt { get; set; }

    /// <summary>For agent turns: the platform's processing time for the turn, in ms.</summary>
    public int? LatencyMs { get; set; }

    /// <summary>For customer turns: the recognised intent.</summary>
    public string? Intent { get; set; }

    /// <summary>Voice customer turns: the speech-to-text confidence in 0..1.</summary>
    public double? Confidence { get; set; }

    /// <summary>Voice turns: start of the audio, ms from the start of the call's media stream.</summary>
    public int? AudioStartMs { get; set; }

    /// <summary>Voice turns: end of the audio, ms from the start of the call's media stream.</summary>
    public int? AudioEndMs { get; set; }

    /// <summary>Voice agent turns: end of the caller's speech → final transcript, ms.</summary>
    public int? TranscriptLatencyMs { get; set; }

    /// <summary>Voice agent turns: final transcript → first model token (reply text), ms.</summary>
    public int? ModelLatencyMs { get; set; }

    /// <summary>Voice agent turns: first model token → first text-to-speech audio byte, ms.</summary>
    public int? SpeechLatencyMs { get; set; }

    /// <summary>Voice agent turns: first text-to-speech byte → first media frame sent to the caller, ms.</summary>
    public int? FrameOutLatencyMs { get; set; }

    /// <summary>Voice agent turns: true when the caller barged in and <see cref="Text"/> holds only what was heard.</summary>
    public bool Interrupted { get; set; }

    /// <summary>
    /// Voice agent turns: true while the turn is stored but its audio has not all been heard (stored before playback
    /// finished). <see cref="Text"/> is then what the agent meant to say and <see cref="HeardText"/> what the caller has
    /// heard so far (by echoed marks). Cleared when the last mark comes back (the text stands), or when the call ends or
    /// the orphaned-calls job closes it (the text is cut to <see cref="HeardText"/> and the turn marked <see cref="Interrupted"/>).
    /// </summary>
    public bool PlaybackPending { get; set; }

    /// <summary>While <see cref="PlaybackPending"/>: the part of <see cref="Text"/> heard so far (null: nothing yet). Null once settled.</summary>
    public string? HeardText { get; set; }

    /// <summary>Maximum length of <see cref="Engine"/>.</summary>
    public const int EngineMaxLength = 16;

    /// <summary>Maximum length of <see cref="Model"/>.</summary>
    public const int ModelMaxLength = 100;

    /// <summary>For agent turns: which engine answered (<c>Portal.Domain.Conversations.TurnEngines</c>: "model", "offline", "fallback").</summary>
    public string? Engine { get; set; }

    /// <summary>For model-answered turns: the model id.</summary>
    public string? Model { get; set; }

    /// <summary>For model-answered turns: prompt tokens billed over every model request of the turn.</summary>
    public int? InputTokens { get; set; }

    /// <summary>For model-answered turns: completion tokens billed over every model request of the turn.</summary>
    public int? OutputTokens { get; set; }

    /// <summary>For model-answered turns: cost in micro-dollars (1e-6 USD), from the configured price per 1M tokens; null when the model has no configured price.</summary>
    public long? CostMicroUsd { get; set; }
}

/// <summary>Audio recorded on a call (a voice message), stored in the database or as a file under a configured folder.</summary>
public sealed class CallRecording : TenantEntity
{
    /// <summary>Maximum length of <see cref="ContentType"/>.</summary>
    public const int ContentTypeMaxLength = 64;

    /// <summary>Maximum length of <see cref="FilePath"/>.</summary>
    public const int FilePathMaxLength = 400;

    /// <summary>The call (conversation) it was recorded on.</summary>
    public Guid ConversationId { get; set; }

    /// <summary>MIME type of the audio (<c>audio/wav</c>: RIFF/WAVE PCM16 mono 8000 Hz).</summary>
    public string ContentType { get; set; } = "audio/wav";

    /// <summary>The audio bytes, or null when stored as <see cref="FilePath"/>.</summary>
    public byte[]? Data { get; set; }

    /// <summary>File name relative to the configured recordings folder, or null when stored in <see cref="Data"/>.</summary>
    public string? FilePath { get; set; }

    /// <summary>Size of the audio in bytes.</summary>
    public long SizeBytes { get; set; }

    /// <summary>Duration of the audio, ms.</summary>
    public int DurationMs { get; set; }
}

/// <summary>An appointment. Start and end are UTC; the database forbids two confirmed bookings of one tenant overlapping.</summary>
public sealed class Booking : TenantEntity
{
    /// <summary>Booked service.</summary>
    public Guid ServiceId { get; set; }

    /// <summary>Navigation to the service.</summary>
    public Service? Service { get; set; }

    /// <summary>Conversation that made it, if any.</summary>
    public Guid? ConversationId { get; set; }

    /// <summary>Start (UTC).</summary>
    public DateTimeOffset StartUtc { get; set; }

    /// <summary>End (UTC), start + service duration.</summary>
    public DateTimeOffset EndUtc { get; set; }

    /// <summary>Customer's name.</summary>
    public string CustomerName { get; set; } = "";

    /// <summary>Customer's callback number (E.164).</summary>
    public string CustomerPhone { get; set; } = "";

    /// <summary>The customer it belongs to (matched by <see cref="CustomerPhone"/>), or null when the number is not a valid E.164 number.</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>State.</summary>
    public BookingStatus Status { get; set; } = BookingStatus.Confirmed;

    /// <summary>Price at booking time, in cents.</summary>
    public long? PriceCents { get; set; }

    /// <summary>Free-text notes.</summary>
    public string? Notes { get; set; }
}

/// <summary>A message a caller left for the business (callback request).</summary>
public sealed class CallerMessage : TenantEntity
{
    /// <summary>Conversation it came from.</summary>
    public Guid? ConversationId { get; set; }

    /// <summary>Caller's name.</summary>
    public string? CallerName { get; set; }

    /// <summary>Caller's number (E.164).</summary>
    public string? CallerPhone { get; set; }

    /// <summary>The message.</summary>
    public string Body { get; set; } = "";

    /// <summary>Handled or not.</summary>
    public MessageStatus Status { get; set; }
}
