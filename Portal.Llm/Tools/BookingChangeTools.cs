using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Scheduling;
using static Portal.Llm.Tools.ToolReplies;

namespace Portal.Llm.Tools;

/// <summary>
/// Rescheduling and cancelling the caller's own upcoming booking (found by phone, else name), each only after the
/// caller confirmed a read-back made in an earlier agent turn.
/// </summary>
internal sealed class BookingChangeTools(IBookingStore store, AvailabilityService availability)
{
    /// <summary><c>reschedule_appointment</c>: moves the caller's own upcoming booking after a confirmed read-back.</summary>
    public async Task<string> RescheduleAsync(ToolSession s, ToolArguments a, CancellationToken ct)
    {
        s.Intent = Intent.Reschedule;
        var (booking, refusal) = await LocateAsync(s, a, ct);
        if (booking is null)
        {
            return refusal!;
        }

        if (!TryDate(a.String("date"), out var date) || !TryTime(a.String("time"), out var time))
        {
            return Refused("date must be YYYY-MM-DD and time HH:mm (24 h).");
        }

        var profile = s.Context.Profile;
        var state = s.State;
        var service = profile.FindService(booking.ServiceId);
        var duration = service?.DurationMinutes ?? (int)(booking.EndUtc - booking.StartUtc).TotalMinutes;
        var start = date.ToDateTime(time);
        var confirmed = a.Bool("confirmed");
        if (confirmed && !(s.ConfirmationAtStart == PendingQuestion.Confirm && state.Flow == DialogueFlow.Reschedule
            && state.TargetBookingId == booking.Id && state.ProposedStart == start))
        {
            return Refused("Not confirmed yet: call reschedule_appointment with confirmed=false, read the read_back to the caller, and only after they say yes call it with confirmed=true and the same details.", "not_confirmed");
        }

        var check = await availability.CheckAsync(profile, duration, start, ReceptionistTools.MaxAlternatives, booking.Id, ct);
        if (check.Status != SlotStatus.Free)
        {
            state.ProposedStart = null;
            return Offer(s, check.Alternatives, Why(s, check.Status, start, date));
        }

        if (!confirmed)
        {
            state.Flow = DialogueFlow.Reschedule;
            state.TargetBookingId = booking.Id;
            state.ServiceId = booking.ServiceId;
            state.Date = date;
            state.Time = time;
            state.ProposedStart = start;
            s.ReadBackPrepared = PendingQuestion.Confirm;
            return Serialize(new
            {
                status = "read_back_required",
                read_back = $"Just to confirm: I'll move your {booking.ServiceName.ToLowerInvariant()} from {s.Spoken(profile.ToLocal(booking.StartUtc))} to {s.Spoken(start)}. Shall I do that?",
            });
        }

        var startUtc = profile.ToUtc(start);
        if (!await store.RescheduleAsync(profile.TenantId, booking.Id, startUtc, startUtc.AddMinutes(duration), ct))
        {
            state.ProposedStart = null;
            return Refused($"{s.Spoken(start)} was just taken, or the booking no longer exists. Check availability again.");
        }

        s.Act(new AgentAction(AgentActionKind.BookingRescheduled, booking.Id), ConversationOutcome.Rescheduled);
        state.ResetTask();
        state.LastBookingId = booking.Id;
        state.Pending = PendingQuestion.AnythingElse;
        return Serialize(new { status = "rescheduled", booking_id = booking.Id, spoken = s.Spoken(start) });
    }

    /// <summary><c>cancel_appointment</c>: cancels the caller's own upcoming booking after a confirmed read-back.</summary>
    public async Task<string> CancelAsync(ToolSession s, ToolArguments a, CancellationToken ct)
    {
        s.Intent = Intent.Cancel;
        var (booking, refusal) = await LocateAsync(s, a, ct);
        if (booking is null)
        {
            return refusal!;
        }

        var state = s.State;
        var profile = s.Context.Profile;
        var confirmed = a.Bool("confirmed");
        if (confirmed && !(s.ConfirmationAtStart == PendingQuestion.ConfirmCancel && state.Flow == DialogueFlow.Cancel && state.TargetBookingId == booking.Id))
        {
            return Refused("Not confirmed yet: call cancel_appointment with confirmed=false, read the read_back to the caller, and only after they say yes call it with confirmed=true.", "not_confirmed");
        }

        if (!confirmed)
        {
            state.ResetTask();
            state.Flow = DialogueFlow.Cancel;
            state.TargetBookingId = booking.Id;
            s.ReadBackPrepared = PendingQuestion.ConfirmCancel;
            return Serialize(new { status = "read_back_required", read_back = $"Just to confirm: you'd like to cancel your {booking.ServiceName.ToLowerInvariant()} {s.Spoken(profile.ToLocal(booking.StartUtc))}?" });
        }

        if (!await store.CancelAsync(profile.TenantId, booking.Id, ct))
        {
            return Refused("That booking is no longer active.");
        }

        s.Act(new AgentAction(AgentActionKind.BookingCancelled, booking.Id), ConversationOutcome.Cancelled);
        state.ResetTask();
        state.Pending = PendingQuestion.AnythingElse;
        return Serialize(new { status = "cancelled", booking_id = booking.Id });
    }

    /// <summary>Finds the caller's upcoming booking (their own only: matched by phone, else name); refuses when none or when several and no id was chosen.</summary>
    private async Task<(BookingSummary? Booking, string? Refusal)> LocateAsync(ToolSession s, ToolArguments a, CancellationToken ct)
    {
        var profile = s.Context.Profile;
        var phone = Phone(s, a.String("customer_phone")) ?? s.State.CustomerPhone;
        var name = a.String("customer_name") ?? s.State.CustomerName;
        if (phone is null && name is null)
        {
            return (null, Refused("Ask for the phone number or name the booking was made with."));
        }

        var found = await store.FindUpcomingAsync(profile.TenantId, phone, name, profile.ToUtc(s.Context.NowLocal), ct);
        if (found.Count == 0)
        {
            s.State.LookupFailed = true;
            return (null, Refused("No upcoming booking under that phone number or name. Ask the caller to check the details."));
        }

        if (Guid.TryParse(a.String("booking_id"), out var wanted))
        {
            return found.FirstOrDefault(b => b.Id == wanted) is { } chosen ? (chosen, null) : (null, Refused("That booking id is not one of the caller's upcoming bookings."));
        }

        if (found.Count == 1)
        {
            return (found[0], null);
        }

        if (s.State.TargetBookingId is { } target && found.FirstOrDefault(b => b.Id == target) is { } kept)
        {
            return (kept, null);
        }

        s.State.CandidateBookings = [.. found.Select(b => b.Id)];
        return (null, Serialize(new
        {
            status = "several_bookings",
            reason = "Ask which booking the caller means, then call again with its booking_id.",
            bookings = found.Select(b => new { booking_id = b.Id, service = b.ServiceName, spoken = s.Spoken(profile.ToLocal(b.StartUtc)) }),
        }));
    }
}
