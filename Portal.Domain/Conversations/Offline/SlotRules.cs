using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Offline;

/// <summary>
/// Slot filling for a booking: how what a caller says (service, provider, date, time, part of the day, "asap") is merged
/// into the dialogue state, and the rules for reading times against the day (part-of-day bounds, preferred times, spreading
/// offers over the day).
/// </summary>
internal static class SlotRules
{
    /// <summary>Merges what the utterance says about the booking into the state; later words win (changes of mind).</summary>
    public static void Apply(DialogueState state, Understood u)
    {
        if (u.Service is { } match && match.Service.Id != state.ServiceId && state.Flow != DialogueFlow.Reschedule)
        {
            state.ServiceId = match.Service.Id;
            state.ProposedStart = null;
        }

        if (u.Provider is { } provider)
        {
            state.PreferredProvider = provider;
        }

        if (u.Temporal is not { } t)
        {
            return;
        }

        if (t.Time is not null || t.Date is not null || t.PartOfDay != PartOfDay.None)
        {
            state.NotBefore = t.NotBefore;
            state.Edge = t.Edge;
        }

        if (t.Date is { } date)
        {
            state.Date = date;
            state.Asap = false;
        }

        if (t.Time is { } time)
        {
            if (t.Date is null && state.Date is null && state.Offered.Count > 0)
            {
                state.Date = DateOnly.FromDateTime(state.Offered[0]); // "10 pm" after "the earliest I have is today at...": that day
            }

            state.Time = time;
            state.AmPmInferred = t.AmPmInferred;
            state.Asap = false;
        }

        if (t.PartOfDay != PartOfDay.None)
        {
            state.PartOfDay = t.PartOfDay;
            if (t.Time is null && state.Time is { } kept && !InPartOfDay(DateOnly.MinValue.ToDateTime(kept), t.PartOfDay))
            {
                state.Time = null; // "in the morning" after "5 pm": the time no longer holds
            }
        }

        if (t.DateIsVague)
        {
            state.Asap = true; // "next week": offer the first free slots from that date on (near a time already said)
        }

        if (t.IsAsap && t.Time is null && !(state.Time is not null && state.Date is not null))
        {
            // "asap" is a preference: it never erases an explicit time ("2 pm" then "today asap" stays 2 pm).
            state.Asap = true;
            if (t.Date is null && state.Time is null)
            {
                state.Date = null;
            }
        }

        state.ProposedStart = null;
        state.Offered.Clear();
    }

    /// <summary>True when the utterance changes the booking on the table (a date or time, or another service).</summary>
    public static bool ChangesSlots(DialogueState state, Understood u) =>
        u.Temporal is not null || (u.Service is { } s && s.Service.Id != state.ServiceId);

    /// <summary>True when the utterance changes something on the task: a date or time, another service, a name or a number.</summary>
    public static bool ChangesSomething(DialogueState state, Understood u) =>
        u.Temporal is not null || u.Service is { } s && s.Service.Id != state.ServiceId || u.Name is not null || u.Phone is not null;

    /// <summary>The day being talked about: the one read back, the one asked for, or the one of the slots offered.</summary>
    public static DateOnly? DiscussedDate(DialogueState state) =>
        state.ProposedStart is { } proposed ? DateOnly.FromDateTime(proposed)
        : state.Date ?? (state.Offered.Count > 0 ? DateOnly.FromDateTime(state.Offered[0]) : null);

    /// <summary>True when <paramref name="local"/> falls in <paramref name="part"/> (morning before noon, afternoon noon to 5 PM, evening from 5 PM).</summary>
    public static bool InPartOfDay(DateTime local, PartOfDay part) => part switch
    {
        PartOfDay.Morning => local.Hour < 12,
        PartOfDay.Afternoon => local.Hour is >= 12 and < 17,
        PartOfDay.Evening => local.Hour >= 17,
        _ => true,
    };

    /// <summary>The time of day to search near: the time said, else the middle of the part of the day said, else none.</summary>
    public static TimeSpan? PreferredTime(DialogueState state) => state.Time?.ToTimeSpan() ?? state.PartOfDay switch
    {
        PartOfDay.Morning => TimeSpan.FromHours(9),
        PartOfDay.Afternoon => TimeSpan.FromHours(14),
        PartOfDay.Evening => TimeSpan.FromHours(18),
        _ => null,
    };

    /// <summary>Up to <paramref name="count"/> starts spread over the day (first, middle, last).</summary>
    public static List<DateTime> Spread(IReadOnlyList<DateTime> free, int count)
    {
        if (free.Count <= count)
        {
            return [.. free];
        }

        var result = new List<DateTime>(count);
        for (var i = 0; i < count; i++)
        {
            result.Add(free[(int)Math.Round(i * (free.Count - 1) / (double)(count - 1))]);
        }

        return result.Distinct().ToList();
    }
}
