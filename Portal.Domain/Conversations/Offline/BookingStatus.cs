using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Scheduling;

namespace Portal.Domain.Conversations.Offline;

/// <summary>Answers "so am I booked?" from the dialogue and the calendar, never from documents.</summary>
/// <param name="store">The tenant's bookings, to find the caller's upcoming one.</param>
/// <param name="tasks">The booking in progress, committed when the question follows its read-back.</param>
internal sealed class BookingStatus(IBookingStore store, DialogueTasks tasks)
{
    /// <summary>
    /// "So am I booked?", "did that go through?", "is that me booked then?": the state of the caller's own booking, which
    /// no document answers. After the read-back it is the caller's yes (they want it booked); while details are still
    /// missing, "not yet" and the question still open; after a booking in this conversation, that booking; otherwise the
    /// caller's upcoming booking found by their number or name, or an offer to book. True when handled.
    /// </summary>
    public async Task<bool> TryAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        if (!u.Shape.AsksBookingStatus || u.Temporal is not null || u.Is(Intent.Deny))
        {
            return false;
        }

        turn.Reads(Intent.Question);
        if (state.Pending == PendingQuestion.Confirm && state.Flow == DialogueFlow.Book)
        {
            await tasks.Booking.CommitAsync(ctx, state, turn, ct);
            return true;
        }

        turn.Answered();
        if (state.Flow is DialogueFlow.Book or DialogueFlow.Reschedule)
        {
            turn.Say("Not yet, I just need a little more from you first.");
            await tasks.ContinueAsync(ctx, state, turn, reprompt: true, ct);
            return true;
        }

        // A caller id, a recognised returning customer or a number the caller gives is a hint, not proof of identity: a booking
        // found that way is told by its day and time only; the full read-back is for a booking made in this conversation.
        var phone = state.CustomerPhone ?? ctx.CallerPhone ?? state.Returning?.Phone;
        var upcoming = await store.FindUpcomingAsync(ctx.Profile.TenantId, phone, state.CustomerName, ctx.Profile.ToUtc(ctx.NowLocal), ct);
        if (upcoming.FirstOrDefault(b => b.Id == state.LastBookingId) is { } own)
        {
            var when = SpokenFormat.ReadBack(ctx.Profile.ToLocal(own.StartUtc), ctx.Today);
            turn.Say($"Yes, you're booked: your {own.ServiceName.ToLowerInvariant()} is on {when}. Is there anything else I can help you with?");
            state.Pending = PendingQuestion.AnythingElse;
            return true;
        }

        DateTimeOffset? nextUtc = (phone ?? state.CustomerName) is not null && upcoming.Count > 0 ? upcoming[0].StartUtc : state.Returning?.NextBookingUtc;
        if (nextUtc is { } next && next > ctx.Profile.ToUtc(ctx.NowLocal))
        {
            turn.Say($"Yes, I can see an appointment for you on {SpokenFormat.ReadBack(ctx.Profile.ToLocal(next), ctx.Today)}. Is there anything else I can help you with?");
            state.Pending = PendingQuestion.AnythingElse;
            return true;
        }

        turn.Say("I don't see a booking for you yet. Would you like me to book an appointment?");
        state.Pending = PendingQuestion.None;
        return true;
    }
}
