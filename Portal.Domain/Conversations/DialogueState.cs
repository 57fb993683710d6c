using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations;

/// <summary>The task the caller and the agent are working on.</summary>
public enum DialogueFlow
{
    /// <summary>None.</summary>
    None,
    /// <summary>Book.</summary>
    Book,
    /// <summary>Reschedule.</summary>
    Reschedule,
    /// <summary>Cancel.</summary>
    Cancel,
    /// <summary>Message.</summary>
    Message,
}

/// <summary>What the agent asked last, so the next utterance is read in that light ("3" after "what time?" is a time).</summary>
public enum PendingQuestion
{
    /// <summary>None.</summary>
    None,
    /// <summary>Service.</summary>
    Service,
    /// <summary>Date.</summary>
    Date,
    /// <summary>Time.</summary>
    Time,
    /// <summary>Pick slot.</summary>
    PickSlot,
    /// <summary>Name.</summary>
    Name,
    /// <summary>Phone.</summary>
    Phone,
    /// <summary>Confirm.</summary>
    Confirm,
    /// <summary>Message body.</summary>
    MessageBody,
    /// <summary>Offer message.</summary>
    OfferMessage,
    /// <summary>Which booking.</summary>
    WhichBooking,
    /// <summary>Confirm cancel.</summary>
    ConfirmCancel,
    /// <summary>Anything else.</summary>
    AnythingElse,
}

/// <summary>
/// Everything the engine remembers between turns, serialized as JSON on
/// <see cref="Portal.Data.Entities.Conversation.State"/> so any process (or the language-model path, ADR-010) can take
/// over a conversation. Local times are the business's wall clock.
/// </summary>
public sealed class DialogueState
{
    /// <summary>Current task.</summary>
    public DialogueFlow Flow { get; set; }

    /// <summary>Question awaiting an answer.</summary>
    public PendingQuestion Pending { get; set; }

    /// <summary>Chosen service.</summary>
    public Guid? ServiceId { get; set; }

    /// <summary>Requested local date.</summary>
    public DateOnly? Date { get; set; }

    /// <summary>Requested local time.</summary>
    public TimeOnly? Time { get; set; }

    /// <summary>Requested part of day when no time was given.</summary>
    public PartOfDay PartOfDay { get; set; }

    /// <summary>True when the caller asked for the first available slot.</summary>
    public bool Asap { get; set; }

    /// <summary>True when the time's am/pm was guessed (so the other half-day may be tried).</summary>
    public bool AmPmInferred { get; set; }

    /// <summary>Caller's name.</summary>
    public string? CustomerName { get; set; }

    /// <summary>Caller's number (E.164).</summary>
    public string? CustomerPhone { get; set; }

    /// <summary>The email address the visitor wrote (normalised), or null.</summary>
    public string? CustomerEmail { get; set; }

    /// <summary>The customer the conversation is linked to (<see cref="Customers.CustomerMatcher"/>), or null while nobody is identified.</summary>
    public Guid? LinkedCustomerId { get; set; }

    /// <summary>
    /// Set when the phone number or email matched a customer who had contacted the business before: who they are on record.
    /// A caller id or a typed email is only a hint, never proof of identity (see <see cref="ReturningCustomer"/>).
    /// </summary>
    public ReturningCustomer? Returning { get; set; }

    /// <summary>The staff member the caller asked for ("Dr. Patel", "Jessica"), kept on the booking's notes; null when none.</summary>
    public string? PreferredProvider { get; set; }

    /// <summary>Side questions the agent could not answer and remarks for the staff made during the task, passed on in the booking's notes.</summary>
    public List<string> StaffNotes { get; set; } = [];

    /// <summary>The last date the caller mentioned in any turn (a question about Friday's hours included), so "that day" can refer to it.</summary>
    public DateOnly? MentionedDate { get; set; }

    /// <summary>Earliest acceptable local time when no time was given ("after lunch": 13:00), else null.</summary>
    public TimeOnly? NotBefore { get; set; }

    /// <summary>The end of the day asked for when no time was given ("first thing", "end of the day").</summary>
    public DayEdge Edge { get; set; }

    /// <summary>Local start times offered in the last reply.</summary>
    public List<DateTime> Offered { get; set; } = [];

    /// <summary>A verified-free local start awaiting the caller's confirmation.</summary>
    public DateTime? ProposedStart { get; set; }

    /// <summary>Booking being cancelled or moved.</summary>
    public Guid? TargetBookingId { get; set; }

    /// <summary>Bookings the caller may mean (when several were found).</summary>
    public List<Guid> CandidateBookings { get; set; } = [];

    /// <summary>True once a lookup by phone/name found nothing, so the next lookup asks differently.</summary>
    public bool LookupFailed { get; set; }

    /// <summary>Message text being taken.</summary>
    public string? MessageBody { get; set; }

    /// <summary>Consecutive turns the engine did not understand.</summary>
    public int NotUnderstoodCount { get; set; }

    /// <summary>Last booking written in this conversation.</summary>
    public Guid? LastBookingId { get; set; }

    /// <summary>True once the agent answered a goodbye by pointing out a booking not yet made (asked only once).</summary>
    public bool GoodbyeHeld { get; set; }

    /// <summary>True once the points the owner asks every caller to hear (custom instructions: "always mention…") were said.</summary>
    public bool OwnerPointsMentioned { get; set; }

    /// <summary>The rest of the last knowledge answer, said when the caller takes the offer to hear more; null when nothing was left out.</summary>
    public string? MoreToSay { get; set; }

    /// <summary>True when the conversation is over.</summary>
    public bool Ended { get; set; }

    /// <summary>Clears the booking slots (keeps who the caller is).</summary>
    public void ResetTask()
    {
        Flow = DialogueFlow.None;
        Pending = PendingQuestion.None;
        ServiceId = null;
        Date = null;
        Time = null;
        PartOfDay = PartOfDay.None;
        Asap = false;
        AmPmInferred = false;
        Offered.Clear();
        ProposedStart = null;
        TargetBookingId = null;
        CandidateBookings.Clear();
        LookupFailed = false;
        MessageBody = null;
        PreferredProvider = null;
        StaffNotes.Clear();
        NotBefore = null;
        Edge = DayEdge.None;
    }
}

/// <summary>
/// A returning customer recognised by caller id or by the email or number a visitor gave. This is a hint, not a verified
/// identity: the agent may greet them by name and tell them the day and time of their next appointment, but never reads out
/// other booking details (service, price, notes) or other customers' data on the strength of it.
/// </summary>
public sealed class ReturningCustomer
{
    /// <summary>The customer.</summary>
    public Guid CustomerId { get; set; }

    /// <summary>The name on record, or null.</summary>
    public string? Name { get; set; }

    /// <summary>The phone number on record (E.164), used to find their bookings; null when only the email is known.</summary>
    public string? Phone { get; set; }

    /// <summary>Start of their next confirmed booking when recognised (UTC), or null: only its day and time may be told.</summary>
    public DateTimeOffset? NextBookingUtc { get; set; }

    /// <summary>True once the agent welcomed them back by name.</summary>
    public bool Welcomed { get; set; }
}
