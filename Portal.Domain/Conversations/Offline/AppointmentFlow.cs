using Portal.Data.Entities;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Scheduling;

namespace Portal.Domain.Conversations.Offline;

/// <summary>
/// Changing an existing appointment: finds the caller's upcoming booking (by number, then name; asks which when there are
/// several), then cancels or moves it after the caller confirms, through the same availability rules as a new booking.
/// </summary>
/// <param name="store">Bookings of the tenant.</param>
/// <param name="availability">Free starts, for the alternatives when a slot was taken meanwhile.</param>
/// <param name="bookingFlow">The booking flow, whose slot checks a move reuses.</param>
internal sealed class AppointmentFlow(IBookingStore store, AvailabilityService availability, BookingFlow bookingFlow)
{
    /// <summary>Finds the caller's booking (by phone, then name); true when <see cref="DialogueState.TargetBookingId"/> is set.</summary>
    private async Task<BookingSummary?> LocateAsync(DialogueContext ctx, DialogueState state, TurnBuilder turn, string verb, CancellationToken ct)
    {
        if (state.TargetBookingId is { } known)
        {
            var again = await store.FindUpcomingAsync(ctx.Profile.TenantId, state.CustomerPhone ?? ctx.CallerPhone, state.CustomerName, ctx.Profile.ToUtc(ctx.NowLocal), ct);
            if (again.FirstOrDefault(b => b.Id == known) is { } found)
            {
                return found;
            }
        }

        var phone = state.CustomerPhone ?? ctx.CallerPhone;
        if (phone is null && state.CustomerName is null)
        {
            state.Pending = PendingQuestion.Phone;
            turn.Say($"Sure, I can help {verb} your appointment. What's the phone number the appointment was booked under?");
            return null;
        }

        var bookings = await store.FindUpcomingAsync(ctx.Profile.TenantId, phone, state.CustomerName, ctx.Profile.ToUtc(ctx.NowLocal), ct);
        if (bookings.Count == 0)
        {
            if (!state.LookupFailed && state.CustomerName is null)
            {
                state.LookupFailed = true;
                state.Pending = PendingQuestion.Name;
                turn.Say($"I couldn't find an upcoming appointment under {SpokenFormat.Phone(phone!)}. What name was it booked under?");
                return null;
            }

            state.ResetTask();
            state.Pending = PendingQuestion.OfferMessage;
            turn.Say("I'm sorry, I couldn't find an upcoming appointment under those details. May I take a message so someone from the office can sort it out with you?");
            return null;
        }

        if (bookings.Count == 1)
        {
            state.TargetBookingId = bookings[0].Id;
            return bookings[0];
        }

        state.CandidateBookings = bookings.Select(b => b.Id).ToList();
        state.Pending = PendingQuestion.WhichBooking;
        var list = bookings.Take(4).Select(b => $"{SpokenFormat.WithArticle(b.ServiceName)} {SpokenFormat.When(ctx.Profile.ToLocal(b.StartUtc), ctx.Today)}").ToList();
        turn.Say($"I see {bookings.Count} upcoming appointments: {SpokenFormat.List(list, "and")}. Which one would you like to {verb}?");
        return null;
    }

    /// <summary>Reads which of several upcoming bookings the caller means (by day, time, service or "the first one"); true when one was chosen.</summary>
    public async Task<bool> OnWhichBookingAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        var all = await store.FindUpcomingAsync(ctx.Profile.TenantId, state.CustomerPhone ?? ctx.CallerPhone, state.CustomerName, ctx.Profile.ToUtc(ctx.NowLocal), ct);
        var candidates = all.Where(b => state.CandidateBookings.Contains(b.Id)).ToList();
        var text = TextNormalizer.Normalize(u.Raw);
        var chosen = candidates.Where(b =>
        {
            var local = ctx.Profile.ToLocal(b.StartUtc);
            var dateOk = u.Temporal?.Date is not { } d || DateOnly.FromDateTime(local) == d;
            var timeOk = u.Temporal?.Time is not { } t || TimeOnly.FromDateTime(local) == t;
            var serviceOk = u.Service is null || u.Service.Service.Id == b.ServiceId;
            return dateOk && timeOk && serviceOk && (u.Temporal is not null || u.Service is not null);
        }).ToList();
        if (chosen.Count != 1 && candidates.Count > 0)
        {
            chosen = SlotChoice.ContainsWord(text, "first") || SlotChoice.ContainsWord(text, "earlier") ? [candidates[0]]
                : SlotChoice.ContainsWord(text, "second") || SlotChoice.ContainsWord(text, "last") || SlotChoice.ContainsWord(text, "later") ? [candidates[^1]]
                : chosen;
        }

        if (chosen.Count != 1)
        {
            return false;
        }

        state.TargetBookingId = chosen[0].Id;
        state.CandidateBookings.Clear();
        state.Pending = PendingQuestion.None;
        await (state.Flow == DialogueFlow.Cancel ? ContinueCancelAsync(ctx, state, turn, ct) : ContinueRescheduleAsync(ctx, state, turn, reprompt: false, ct));
        return true;
    }

    /// <summary>Finds the caller's booking and asks to confirm cancelling it.</summary>
    public async Task ContinueCancelAsync(DialogueContext ctx, DialogueState state, TurnBuilder turn, CancellationToken ct)
    {
        var booking = await LocateAsync(ctx, state, turn, "cancel", ct);
        if (booking is null)
        {
            return;
        }

        state.Pending = PendingQuestion.ConfirmCancel;
        turn.Say($"I see your {booking.ServiceName.ToLowerInvariant()} {SpokenFormat.ReadBack(ctx.Profile.ToLocal(booking.StartUtc), ctx.Today)}. Shall I cancel it?");
    }

    /// <summary>Cancels on a yes, keeps the booking on a no, or moves it when the caller gives a new day or time; true when handled.</summary>
    public async Task<bool> OnConfirmCancelAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        if (u.Is(Intent.Affirm) && !u.Is(Intent.Deny) || u.Intent.Intent == Intent.Cancel)
        {
            var id = state.TargetBookingId!.Value;
            if (await store.CancelAsync(ctx.Profile.TenantId, id, ct))
            {
                turn.Act(new AgentAction(AgentActionKind.BookingCancelled, id), ConversationOutcome.Cancelled);
                turn.Say("Done, your appointment is cancelled. Would you like to book another time?");
            }
            else
            {
                turn.Say("It looks like that appointment was already cancelled. Would you like to book another time?");
            }

            state.ResetTask();
            state.Pending = PendingQuestion.AnythingElse;
            return true;
        }

        if (u.Is(Intent.Deny))
        {
            state.ResetTask();
            state.Pending = PendingQuestion.AnythingElse;
            turn.Say("Okay, I'll leave your appointment as it is. Is there anything else I can help with?");
            return true;
        }

        if (u.Intent.Intent == Intent.Reschedule || u.HasSlotInfo)
        {
            var target = state.TargetBookingId;
            state.Flow = DialogueFlow.Reschedule;
            state.TargetBookingId = target;
            SlotRules.Apply(state, u);
            await ContinueRescheduleAsync(ctx, state, turn, reprompt: false, ct);
            return true;
        }

        return false;
    }

    /// <summary>Finds the caller's booking, asks for the new day and time, checks it and reads the move back for confirmation.</summary>
    public async Task ContinueRescheduleAsync(DialogueContext ctx, DialogueState state, TurnBuilder turn, bool reprompt, CancellationToken ct)
    {
        var booking = await LocateAsync(ctx, state, turn, "move", ct);
        if (booking is null)
        {
            return;
        }

        state.ServiceId = booking.ServiceId;
        var service = ctx.Profile.FindService(booking.ServiceId);
        if (service is null)
        {
            state.ResetTask();
            state.Pending = PendingQuestion.OfferMessage;
            turn.Say("That service isn't offered any more, so I can't move it myself. May I take a message for the office?");
            return;
        }

        var oldWhen = SpokenFormat.When(ctx.Profile.ToLocal(booking.StartUtc), ctx.Today);
        if (state.Date is null && state.Time is null && !state.Asap)
        {
            state.Pending = PendingQuestion.Date;
            turn.Say($"I see your {service.Name.ToLowerInvariant()} {oldWhen}. What day and time would you like instead?");
            return;
        }

        if (!await bookingFlow.EnsureSlotAsync(ctx, state, service, turn, booking.Id, reprompt, ct))
        {
            return;
        }

        state.Pending = PendingQuestion.Confirm;
        turn.Say($"So I'll move your {service.Name.ToLowerInvariant()} from {oldWhen} to {SpokenFormat.ReadBack(state.ProposedStart!.Value, ctx.Today)}. Shall I go ahead?");
    }

    /// <summary>Moves the booking as confirmed; when the new slot was taken meanwhile, offers the nearest openings.</summary>
    public async Task CommitRescheduleAsync(DialogueContext ctx, DialogueState state, TurnBuilder turn, CancellationToken ct)
    {
        var profile = ctx.Profile;
        var service = profile.FindService(state.ServiceId!.Value)!;
        var start = state.ProposedStart!.Value;
        var startUtc = profile.ToUtc(start);
        var id = state.TargetBookingId!.Value;
        if (!await store.RescheduleAsync(profile.TenantId, id, startUtc, startUtc.AddMinutes(service.DurationMinutes), ct))
        {
            state.ProposedStart = null;
            state.Time = null;
            var alternatives = await availability.CheckAsync(profile, service.DurationMinutes, start, BookingFlow.MaxOffered, id, ct);
            BookingFlow.Offer(ctx, state, turn, alternatives.Alternatives, $"I'm sorry, {SpokenFormat.When(start, ctx.Today)} was just taken. The nearest openings are");
            return;
        }

        turn.Act(new AgentAction(AgentActionKind.BookingRescheduled, id), ConversationOutcome.Rescheduled);
        turn.Say($"Done! Your {service.Name.ToLowerInvariant()} is now {SpokenFormat.ReadBack(start, ctx.Today)}. Is there anything else I can help you with?");
        state.ResetTask();
        state.Pending = PendingQuestion.AnythingElse;
    }
}
