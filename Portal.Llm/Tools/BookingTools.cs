using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Domain.Conversations.Answers;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Scheduling;
using static Portal.Llm.Tools.ToolReplies;

namespace Portal.Llm.Tools;

/// <summary>
/// Checking and booking a slot: every start is checked with the agent's <see cref="AvailabilityService"/> (known service,
/// opening hours, not past, free) and nothing is written before the caller confirmed a read-back made in an earlier
/// agent turn (<see cref="ToolSession.ConfirmationAtStart"/>).
/// </summary>
internal sealed class BookingTools(IBookingStore store, AvailabilityService availability)
{
    /// <summary><c>check_availability</c>: whether a start is free (or the day's free starts); alternatives when not.</summary>
    public async Task<string> CheckAsync(ToolSession s, ToolArguments a, CancellationToken ct)
    {
        s.Intent = Intent.Book;
        if (ResolveService(s, a.String("service")) is not { } service)
        {
            return UnknownService(s, a.String("service"));
        }

        if (!TryDate(a.String("date"), out var date))
        {
            return Refused("date must be YYYY-MM-DD.");
        }

        var profile = s.Context.Profile;
        var state = s.State;
        if (state.Flow != DialogueFlow.Reschedule)
        {
            state.Flow = DialogueFlow.Book;
            state.ServiceId = service.Id;
        }

        state.Date = date;
        state.ProposedStart = null;
        if (a.String("time") is not { } timeText)
        {
            var free = await availability.FreeStartsOnAsync(profile, service.DurationMinutes, date, state.TargetBookingId, ct);
            if (free.Count == 0)
            {
                var next = await availability.NextFreeStartsAsync(profile, service.DurationMinutes, date.AddDays(1), null, ReceptionistTools.MaxAlternatives, state.TargetBookingId, ct);
                return Offer(s, next, $"Nothing is free on {SpokenFormat.Date(date, s.Today)}.");
            }

            return Offer(s, free.Take(8).ToList(), null, status: "free_times");
        }

        if (!TryTime(timeText, out var time))
        {
            return Refused("time must be HH:mm (24 h).");
        }

        state.Time = time;
        var start = date.ToDateTime(time);
        var check = await availability.CheckAsync(profile, service.DurationMinutes, start, ReceptionistTools.MaxAlternatives, state.TargetBookingId, ct);
        if (check.Status != SlotStatus.Free)
        {
            state.Time = null;
            return Offer(s, check.Alternatives, Why(s, check.Status, start, date));
        }

        state.ProposedStart = start;
        state.Offered.Clear();
        state.Pending = state.CustomerName is null ? PendingQuestion.Name
            : state.CustomerPhone is null && s.Context.CallerPhone is null ? PendingQuestion.Phone : PendingQuestion.None;
        return Serialize(new { status = "available", service = service.Name, start = Iso(start), spoken = s.Spoken(start), duration_minutes = service.DurationMinutes, price = SpokenFormat.Money(service.PriceCents) });
    }

    /// <summary><c>book_appointment</c>: the read-back first, the booking only once the caller confirmed it.</summary>
    public async Task<string> BookAsync(ToolSession s, ToolArguments a, CancellationToken ct)
    {
        s.Intent = Intent.Book;
        if (ResolveService(s, a.String("service")) is not { } service)
        {
            return UnknownService(s, a.String("service"));
        }

        if (!TryDate(a.String("date"), out var date) || !TryTime(a.String("time"), out var time))
        {
            return Refused("date must be YYYY-MM-DD and time HH:mm (24 h).");
        }

        var name = a.String("customer_name");
        if (name is null || name.Length > 120)
        {
            return Refused("Ask the caller for their name first.");
        }

        var phone = Phone(s, a.String("customer_phone"));
        if (phone is null)
        {
            return Refused("Ask the caller for a valid callback phone number first.");
        }

        var profile = s.Context.Profile;
        var state = s.State;
        var start = date.ToDateTime(time);
        var confirmed = a.Bool("confirmed");
        if (confirmed && !(s.ConfirmationAtStart == PendingQuestion.Confirm && state.Flow == DialogueFlow.Book && state.ProposedStart == start
            && state.ServiceId == service.Id && string.Equals(state.CustomerName, name, StringComparison.OrdinalIgnoreCase) && state.CustomerPhone == phone))
        {
            return Refused("Not confirmed yet: call book_appointment with confirmed=false, read the read_back to the caller, and only after they say yes in their next message call it with confirmed=true and the same details.", "not_confirmed");
        }

        var check = await availability.CheckAsync(profile, service.DurationMinutes, start, ReceptionistTools.MaxAlternatives, null, ct);
        if (check.Status != SlotStatus.Free)
        {
            state.ProposedStart = null;
            state.Time = null;
            return Offer(s, check.Alternatives, Why(s, check.Status, start, date));
        }

        if (!confirmed)
        {
            state.Flow = DialogueFlow.Book;
            state.ServiceId = service.Id;
            state.Date = date;
            state.Time = time;
            state.ProposedStart = start;
            state.CustomerName = name;
            state.CustomerPhone = phone;
            state.Offered.Clear();
            s.ReadBackPrepared = PendingQuestion.Confirm;
            return Serialize(new
            {
                status = "read_back_required",
                read_back = $"Just to confirm: {SpokenFormat.WithArticle(service.Name)} {s.Spoken(start)} for {name}, and we can reach you at {SpokenFormat.Phone(phone)}. Shall I book that?",
            });
        }

        var startUtc = profile.ToUtc(start);
        var id = await store.CreateAsync(new NewBooking(profile.TenantId, service.Id, s.Context.ConversationId, startUtc, startUtc.AddMinutes(service.DurationMinutes), name, phone, service.PriceCents), ct);
        if (id is null)
        {
            state.ProposedStart = null;
            state.Time = null;
            var again = await availability.CheckAsync(profile, service.DurationMinutes, start, ReceptionistTools.MaxAlternatives, null, ct);
            return Offer(s, again.Alternatives, $"Someone just took {s.Spoken(start)}.");
        }

        s.Act(new AgentAction(AgentActionKind.BookingCreated, id), ConversationOutcome.Booked);
        state.ResetTask();
        state.LastBookingId = id;
        state.Pending = PendingQuestion.AnythingElse;
        return Serialize(new { status = "booked", booking_id = id, service = service.Name, spoken = s.Spoken(start) });
    }
}
