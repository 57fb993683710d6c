using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Scheduling;

namespace Portal.Domain.Conversations.Offline;

/// <summary>"Anything later?", "is there something earlier?" while booking: the free starts after or before the time on the table.</summary>
/// <param name="availability">Free starts by the business's hours and existing bookings.</param>
internal sealed class SlotShift(AvailabilityService availability)
{
    private static readonly string[] LaterPhrases = ["later time", "anything later", "something later", "how about later", "any later", "later slot", "bit later", "little later", "try later"];

    private static readonly string[] EarlierPhrases = ["earlier time", "anything earlier", "something earlier", "how about earlier", "any earlier", "earlier slot", "bit earlier", "little earlier", "try earlier"];

    /// <summary>
    /// "Try a later time", "is there anything earlier?" while booking: offers the free starts after (or before) the time on
    /// the table, on the same day, instead of reading the words as moving an existing appointment. True when handled.
    /// </summary>
    public async Task<bool> TryAsync(DialogueContext ctx, DialogueState state, Understood u, TurnBuilder turn, CancellationToken ct)
    {
        if (state.Flow != DialogueFlow.Book || Direction(u.Raw) is not (var direction and not 0)
            || state.ServiceId is not { } serviceId || ctx.Profile.FindService(serviceId) is not { } service
            || ShiftReference(state, u, direction) is not { } reference)
        {
            return false;
        }

        var day = DateOnly.FromDateTime(reference);
        var free = await availability.FreeStartsOnAsync(ctx.Profile, service.DurationMinutes, day, null, ct);
        List<DateTime> slots = direction > 0
            ? [.. free.Where(f => f > reference).Take(BookingFlow.MaxOffered)]
            : [.. free.Where(f => f < reference).TakeLast(BookingFlow.MaxOffered).Reverse()];
        if (slots.Count == 0 && direction > 0)
        {
            slots = [.. await availability.NextFreeStartsAsync(ctx.Profile, service.DurationMinutes, day.AddDays(1), reference.TimeOfDay, BookingFlow.MaxOffered, null, ct)];
        }

        state.Date = day;
        state.Time = null;
        state.Asap = false;
        state.ProposedStart = null;
        var word = direction > 0 ? "later" : "earlier";
        if (slots.Count == 0)
        {
            state.Offered.Clear();
            state.Pending = PendingQuestion.Date;
            turn.Say($"I'm sorry, there's nothing {word} than {SpokenFormat.When(reference, ctx.Today)}. What other day would suit you?");
            return true;
        }

        BookingFlow.Offer(ctx, state, turn, slots, $"{SpokenFormat.Capitalize(word)} than {SpokenFormat.Time(TimeOnly.FromDateTime(reference))}, I have");
        return true;
    }

    /// <summary>+1 for "a later time", -1 for "anything earlier", 0 otherwise.</summary>
    public static int Direction(string raw)
    {
        var text = TextNormalizer.Normalize(raw);
        if (LaterPhrases.Any(p => text.Contains(p, StringComparison.Ordinal)))
        {
            return 1;
        }

        return EarlierPhrases.Any(p => text.Contains(p, StringComparison.Ordinal)) ? -1 : 0;
    }

    /// <summary>The time a "later"/"earlier" is relative to: one said in the same breath, the read-back, the time asked for, or the offers.</summary>
    private static DateTime? ShiftReference(DialogueState state, Understood u, int direction)
    {
        var day = u.Temporal?.Date ?? SlotRules.DiscussedDate(state);
        if (u.Temporal?.Time is { } said && day is { } d)
        {
            return d.ToDateTime(said);
        }

        if (state.ProposedStart is { } proposed)
        {
            return proposed;
        }

        if (state.Time is { } time && state.Date is { } date)
        {
            return date.ToDateTime(time);
        }

        return state.Offered.Count == 0 ? null : direction > 0 ? state.Offered.Max() : state.Offered.Min();
    }
}
