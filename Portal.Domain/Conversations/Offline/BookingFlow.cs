using Portal.Data.Entities;
using Portal.Domain.Conversations.Answers;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Scheduling;

namespace Portal.Domain.Conversations.Offline;

/// <summary>
/// Making a booking: asks for the next missing slot (service, day, time, name, number), checks availability with nearest
/// alternatives, reads the booking back with weekday and date, and writes it only after the caller confirms.
/// </summary>
/// <param name="store">Bookings and messages of the tenant.</param>
/// <param name="availability">Free starts by the business's hours, closed dates, durations and existing bookings.</param>
internal sealed class BookingFlow(IBookingStore store, AvailabilityService availability)
{
    /// <summary>Most slots offered at once.</summary>
    public const int MaxOffered = 3;

    /// <summary>Asks for the next missing slot, checks availability, and reads back for confirmation.</summary>
    public async Task ContinueAsync(DialogueContext ctx, DialogueState state, TurnBuilder turn, bool reprompt, CancellationToken ct)
    {
        var profile = ctx.Profile;
        if (state.ServiceId is null && profile.Services.Count == 1)
        {
            state.ServiceId = profile.Services[0].Id;
        }

        if (state.ServiceId is not { } serviceId || profile.FindService(serviceId) is not { } service)
        {
            if (profile.Services.Count == 0)
            {
                turn.Say("I'm sorry, I can't book appointments online yet. May I take a message so someone can call you back?");
                state.Flow = DialogueFlow.None;
                state.Pending = PendingQuestion.OfferMessage;
                return;
            }

            state.Pending = PendingQuestion.Service;
            turn.Say(ServiceQuestion(ctx));
            return;
        }

        if (!await EnsureSlotAsync(ctx, state, service, turn, excludeBookingId: null, reprompt, ct))
        {
            return;
        }

        if (state.CustomerName is null)
        {
            state.Pending = PendingQuestion.Name;
            turn.Say(reprompt ? "May I have your name, please?" : $"{SpokenFormat.Capitalize(SpokenFormat.ReadBack(state.ProposedStart!.Value, ctx.Today))} is available. May I have your name, please?");
            return;
        }

        if (state.CustomerPhone is null)
        {
            if (ctx.CallerPhone is { } callerId)
            {
                state.CustomerPhone = callerId;
            }
            else
            {
                state.Pending = PendingQuestion.Phone;
                turn.Say($"Thanks, {SpokenFormat.FirstName(state.CustomerName)}. What's the best phone number to reach you?");
                return;
            }
        }

        state.Pending = PendingQuestion.Confirm;
        var provider = state.PreferredProvider is { } who ? $", asking for {who}" : "";
        turn.Say($"Just to confirm: {SpokenFormat.WithArticle(service.Name)} {SpokenFormat.ReadBack(state.ProposedStart!.Value, ctx.Today)} for {state.CustomerName}{provider}, and we can reach you at {SpokenFormat.Phone(state.CustomerPhone)}. Shall I book that?");
    }

    /// <summary>Ensures the state holds a verified free start (<see cref="DialogueState.ProposedStart"/>); otherwise asks or offers and returns false.</summary>
    public async Task<bool> EnsureSlotAsync(DialogueContext ctx, DialogueState state, ServiceInfo service, TurnBuilder turn, Guid? excludeBookingId, bool reprompt, CancellationToken ct)
    {
        if (state.ProposedStart is not null)
        {
            return true;
        }

        var profile = ctx.Profile;
        if (state.Pending == PendingQuestion.PickSlot && state.Offered.Count > 0 && state.Time is null)
        {
            // Nothing changed since the offer ("Fay Wong", "thanks"): the same times are still on the table.
            turn.Say($"Which would you prefer: {SpokenFormat.Slots(state.Offered, ctx.Today)}?");
            return false;
        }

        if (state.Asap)
        {
            var from = state.Date ?? ctx.Today;
            var first = await availability.NextFreeStartsAsync(profile, service.DurationMinutes, from, SlotRules.PreferredTime(state), MaxOffered, excludeBookingId, ct);
            return Offer(ctx, state, turn, first, state.Date is null ? "The earliest I have is" : $"The first openings from {SpokenFormat.Date(from, ctx.Today)} are");
        }

        if (state.Date is not { } date)
        {
            reprompt |= state.Pending == PendingQuestion.Date; // asked already: ask again in fewer words
            state.Pending = PendingQuestion.Date;
            turn.Say(state.Time is { } t
                ? $"What day would you like to come in at {SpokenFormat.Time(t)}?"
                : reprompt ? "What day works for you?" : $"Sure, I can book {SpokenFormat.WithArticle(service.Name)}. What day works best for you?");
            return false;
        }

        if (state.Time is not { } time)
        {
            if (profile.IntervalsOn(date).Count == 0)
            {
                var next = await availability.NextFreeStartsAsync(profile, service.DurationMinutes, date.AddDays(1), SlotRules.PreferredTime(state), MaxOffered, excludeBookingId, ct);
                return Offer(ctx, state, turn, next, $"{ClosedSentence(profile, date, ctx.Today)} The nearest openings are");
            }

            var free = await availability.FreeStartsOnAsync(profile, service.DurationMinutes, date, excludeBookingId, ct);
            if (state.Edge != DayEdge.None && free.Count > 0)
            {
                // "first thing", "end of the day": the earliest or latest free start is the answer, read back like a said time.
                state.Time = TimeOnly.FromDateTime(state.Edge == DayEdge.Start ? free[0] : free[^1]);
                state.Edge = DayEdge.None;
                state.AmPmInferred = false;
                return await EnsureSlotAsync(ctx, state, service, turn, excludeBookingId, reprompt, ct);
            }

            var inPart = free.Where(f => SlotRules.InPartOfDay(f, state.PartOfDay) && (state.NotBefore is not { } bound || TimeOnly.FromDateTime(f) >= bound)).ToList();
            if (inPart.Count == 0)
            {
                var next = await availability.NextFreeStartsAsync(profile, service.DurationMinutes, date.AddDays(1), SlotRules.PreferredTime(state), MaxOffered, excludeBookingId, ct);
                var partText = state.PartOfDay == PartOfDay.None ? "" : $" in the {state.PartOfDay.ToString().ToLowerInvariant()}";
                var sameDay = free.Count > 0 && state.PartOfDay != PartOfDay.None ? SlotRules.Spread(free, 2) : [];
                var lead = date < ctx.Today || free.Count == 0 && date == ctx.Today
                    ? $"I'm sorry, there's nothing left {SpokenFormat.Date(date, ctx.Today)}{partText}."
                    : $"I'm sorry, {SpokenFormat.Date(date, ctx.Today)} is fully booked{partText}.";
                return Offer(ctx, state, turn, [.. sameDay, .. next.Take(MaxOffered - sameDay.Count)], $"{lead} I could do");
            }

            return Offer(ctx, state, turn, SlotRules.Spread(inPart, MaxOffered), "I have");
        }

        var start = date.ToDateTime(time);
        var check = await availability.CheckAsync(profile, service.DurationMinutes, start, MaxOffered, excludeBookingId, ct);
        if (check.Status is SlotStatus.OutsideHours or SlotStatus.Past && state.AmPmInferred)
        {
            var flipped = start.AddHours(time.Hour < 12 ? 12 : -12);
            var flippedCheck = await availability.CheckAsync(profile, service.DurationMinutes, flipped, MaxOffered, excludeBookingId, ct);
            if (flippedCheck.Status == SlotStatus.Free)
            {
                start = flipped;
                check = flippedCheck;
                state.Time = TimeOnly.FromDateTime(flipped);
            }
        }

        if (check.Status == SlotStatus.Free)
        {
            state.ProposedStart = start;
            state.Offered.Clear();
            return true;
        }

        var when = SpokenFormat.When(start, ctx.Today);
        var reason = check.Status switch
        {
            SlotStatus.Taken => $"I'm sorry, {when} is already taken.",
            SlotStatus.ClosedDay => ClosedSentence(profile, date, ctx.Today),
            SlotStatus.OutsideHours => $"{when} is outside our opening hours. {FactsResponder.DayHours(profile, date, ctx.Today)}",
            SlotStatus.Past => $"{when} has already passed.",
            SlotStatus.TooSoon => $"{when} is a little too soon for us to fit you in.",
            _ => $"{when} isn't a time I can book.",
        };
        state.Time = null;
        return Offer(ctx, state, turn, check.Alternatives, $"{SpokenFormat.Capitalize(reason)} The nearest openings are");
    }

    /// <summary>Offers free slots (PickSlot), or says none are free in the horizon.</summary>
    public static bool Offer(DialogueContext ctx, DialogueState state, TurnBuilder turn, IReadOnlyList<DateTime> slots, string lead)
    {
        if (slots.Count == 0)
        {
            turn.Say($"I'm sorry, I don't see any openings in the next {AvailabilityService.SearchHorizonDays} days. May I take a message so someone can call you back?");
            state.Pending = PendingQuestion.OfferMessage;
            return false;
        }

        state.Offered = [.. slots];
        state.Pending = PendingQuestion.PickSlot;
        var question = slots.Count == 1 ? "Would that work?" : "Which would you prefer?";
        turn.Say($"{lead} {SpokenFormat.Slots(slots, ctx.Today)}. {question}");
        return false;
    }

    public async Task CommitAsync(DialogueContext ctx, DialogueState state, TurnBuilder turn, CancellationToken ct)
    {
        var profile = ctx.Profile;
        var service = profile.FindService(state.ServiceId!.Value)!;
        var start = state.ProposedStart!.Value;
        var startUtc = profile.ToUtc(start);
        var id = await store.CreateAsync(
            new NewBooking(profile.TenantId, service.Id, ctx.ConversationId, startUtc, startUtc.AddMinutes(service.DurationMinutes),
                state.CustomerName!, state.CustomerPhone!, service.PriceCents, StaffNotes.ForBooking(state)),
            ct);
        if (id is null)
        {
            state.ProposedStart = null;
            state.Time = null;
            var alternatives = await availability.CheckAsync(profile, service.DurationMinutes, start, MaxOffered, null, ct);
            Offer(ctx, state, turn, alternatives.Alternatives, $"I'm sorry, someone just took {SpokenFormat.When(start, ctx.Today)}. The nearest openings are");
            return;
        }

        turn.Act(new AgentAction(AgentActionKind.BookingCreated, id), ConversationOutcome.Booked);
        var noted = state.StaffNotes.Count > 0 ? " I've passed your notes on to the team." : "";
        turn.Say($"You're all set, {SpokenFormat.FirstName(state.CustomerName)}! Your {service.Name.ToLowerInvariant()} is booked for {SpokenFormat.ReadBack(start, ctx.Today)}.{noted} Is there anything else I can help you with?");
        state.ResetTask();
        state.LastBookingId = id;
        state.Pending = PendingQuestion.AnythingElse;
    }

    /// <summary>"Which service would you like: ...?" (the names when there are six or fewer).</summary>
    public static string ServiceQuestion(DialogueContext ctx)
    {
        var names = ctx.Profile.Services.Select(s => s.Name.ToLowerInvariant()).ToList();
        return names.Count <= 6
            ? $"Which service would you like: {SpokenFormat.List(names)}?"
            : "Which service would you like to book?";
    }

    /// <summary>"We're closed on Friday, December 25 for Christmas."</summary>
    public static string ClosedSentence(BusinessProfile profile, DateOnly date, DateOnly today) =>
        profile.ClosedDates.TryGetValue(date, out var reason)
            ? $"We're closed {DayLabel(date, today)}{(string.IsNullOrWhiteSpace(reason) ? "" : $" for {reason}")}."
            : $"We're closed {DayLabel(date, today)}.";

    private static string DayLabel(DateOnly date, DateOnly today)
    {
        var label = SpokenFormat.Date(date, today);
        return label is "today" or "tomorrow" ? label : $"on {label}";
    }
}
