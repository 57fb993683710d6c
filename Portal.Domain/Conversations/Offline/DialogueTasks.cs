using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Scheduling;

namespace Portal.Domain.Conversations.Offline;

/// <summary>
/// The tasks a caller can start (book, reschedule, cancel, leave a message): starting one, continuing the one in progress
/// (asking for what it still needs), and the caller's answer to a read-back.
/// </summary>
internal sealed class DialogueTasks
{
    /// <summary>Creates the flows over one tenant's store and availability.</summary>
    public DialogueTasks(IBookingStore store, AvailabilityService availability)
    {
        Booking = new BookingFlow(store, availability);
        Appointments = new AppointmentFlow(store, availability, Booking);
        Messages = new MessageFlow(store);
    }

    /// <summary>Making a new booking.</summary>
    public BookingFlow Booking { get; }

    /// <summary>Cancelling or moving an existing booking.</summary>
    public AppointmentFlow Appointments { get; }

    /// <summary>Taking a message.</summary>
    public MessageFlow Messages { get; }

    /// <summary>Starts <paramref name="flow"/> afresh unless it is the one in progress; a booking takes the slots already said.</summary>
    public static void Start(DialogueState state, DialogueFlow flow, Understood u)
    {
        if (state.Flow == flow)
        {
            return;
        }

        state.ResetTask();
        state.Flow = flow;
        if (flow is DialogueFlow.Book)
        {
            SlotRules.Apply(state, u);
        }
    }

    /// <summary>Continues the task in progress: asks for what it still needs, or reads back, or completes it.</summary>
    public Task ContinueAsync(DialogueContext ctx, DialogueState state, TurnBuilder turn, CancellationToken ct) =>
        ContinueAsync(ctx, state, turn, reprompt: false, ct);

    /// <summary>As <see cref="ContinueAsync(DialogueContext, DialogueState, TurnBuilder, CancellationToken)"/>; <paramref name="reprompt"/> asks again in fewer words.</summary>
    public Task ContinueAsync(DialogueContext ctx, DialogueState state, TurnBuilder turn, bool reprompt, CancellationToken ct) =>
        state.Flow switch
        {
            DialogueFlow.Book => Booking.ContinueAsync(ctx, state, turn, reprompt, ct),
            DialogueFlow.Reschedule => Appointments.ContinueRescheduleAsync(ctx, state, turn, reprompt, ct),
            DialogueFlow.Cancel => Appointments.ContinueCancelAsync(ctx, state, turn, ct),
            DialogueFlow.Message => Messages.ContinueAsync(ctx, state, turn, ct),
            _ => Task.CompletedTask,
        };

    /// <summary>
    /// The caller's answer to a read-back: a yes (or "book it") commits the booking or the move; a new day, time, service,
    /// name or number changes it; a no asks what to change. True when handled.
    /// </summary>
    public async Task<bool> OnConfirmAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        // "yes", and also "book it" / "please schedule that": a request to book what was just read back is a yes.
        if ((u.Is(Intent.Affirm) || u.Intent.Intent == Intent.Book && DialogueCues.SaysBookIt(u.Raw)) && !u.Is(Intent.Deny) && !SlotRules.ChangesSlots(state, u) && !DialogueCues.DeclinesBooking(u.Raw))
        {
            if (state.Flow == DialogueFlow.Reschedule)
            {
                await Appointments.CommitRescheduleAsync(ctx, state, turn, ct);
            }
            else
            {
                await Booking.CommitAsync(ctx, state, turn, ct);
            }

            return true;
        }

        if (SlotRules.ChangesSlots(state, u) || u.Name is not null || u.Phone is not null)
        {
            SlotRules.Apply(state, u);
            await ContinueAsync(ctx, state, turn, ct);
            return true;
        }

        if (u.Is(Intent.Deny))
        {
            turn.Say("No problem. What would you like to change: the day, the time, or the service?");
            state.ProposedStart = null;
            state.Time = null;
            state.Pending = PendingQuestion.Date;
            return true;
        }

        return false;
    }
}
