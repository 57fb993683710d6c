using System.Collections.Frozen;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>Date matchers: relative days, weekdays, ranges and parts of the day.</summary>
internal static class DayPhrases
{
    internal static readonly FrozenDictionary<string, DayOfWeek> Weekdays = new Dictionary<string, DayOfWeek>
    {
        ["monday"] = DayOfWeek.Monday, ["mon"] = DayOfWeek.Monday, ["mondays"] = DayOfWeek.Monday,
        ["tuesday"] = DayOfWeek.Tuesday, ["tues"] = DayOfWeek.Tuesday, ["tue"] = DayOfWeek.Tuesday, ["tuesdays"] = DayOfWeek.Tuesday,
        ["wednesday"] = DayOfWeek.Wednesday, ["weds"] = DayOfWeek.Wednesday, ["wednesdays"] = DayOfWeek.Wednesday,
        ["thursday"] = DayOfWeek.Thursday, ["thurs"] = DayOfWeek.Thursday, ["thur"] = DayOfWeek.Thursday, ["thu"] = DayOfWeek.Thursday,
        ["thursdays"] = DayOfWeek.Thursday, ["friday"] = DayOfWeek.Friday, ["fri"] = DayOfWeek.Friday, ["fridays"] = DayOfWeek.Friday,
        ["saturday"] = DayOfWeek.Saturday, ["saturdays"] = DayOfWeek.Saturday, ["sunday"] = DayOfWeek.Sunday, ["sundays"] = DayOfWeek.Sunday,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    internal static readonly string[] WeekdayNames =
        ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    internal static readonly FrozenDictionary<string, int> Months = new Dictionary<string, int>
    {
        ["january"] = 1, ["jan"] = 1, ["february"] = 2, ["feb"] = 2, ["march"] = 3, ["mar"] = 3, ["april"] = 4,
        ["apr"] = 4, ["may"] = 5, ["june"] = 6, ["jun"] = 6, ["july"] = 7, ["jul"] = 7, ["august"] = 8, ["aug"] = 8,
        ["september"] = 9, ["sept"] = 9, ["sep"] = 9, ["october"] = 10, ["oct"] = 10, ["november"] = 11, ["nov"] = 11,
        ["december"] = 12, ["dec"] = 12,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    internal static readonly FrozenSet<string> TomorrowWords = new[]
    {
        "tomorrow", "tomorow", "tommorow", "tommorrow", "tmrw", "tmr", "tomorrows", "2morrow",
    }.ToFrozenSet(StringComparer.Ordinal);

    internal static int TryPartOfDay(TemporalScanner s, int index)
    {
        var token = s.At(index);
        var consumed = token switch
        {
            "morning" or "mornings" or "mornin" when !s.Is(index - 1, "good") => Part(s, PartOfDay.Morning, 1),
            "afternoon" or "afternoons" when !s.Is(index - 1, "good") => Part(s, PartOfDay.Afternoon, 1),
            "evening" or "evenings" when !s.Is(index - 1, "good") => Part(s, PartOfDay.Evening, 1),
            "tonight" or "tonite" => Tonight(s),
            "night" when s.Is(index - 1, "at") || s.Is(index - 1, "tomorrow") || Weekdays.ContainsKey(s.At(index - 1)) => Part(s, PartOfDay.Evening, 1),
            "after" when s.Is(index + 1, "lunch") || s.Is(index + 1, "lunchtime") => AfterLunch(s),
            "late" when s.Is(index + 1, "afternoon") => Bounded(s, PartOfDay.Afternoon, new TimeOnly(15, 0), 2),
            "late" when s.Is(index + 1, "morning") => Bounded(s, PartOfDay.Morning, new TimeOnly(10, 0), 2),
            "mid" when s.Is(index + 1, "afternoon") => Bounded(s, PartOfDay.Afternoon, new TimeOnly(14, 0), 2),
            "midafternoon" => Bounded(s, PartOfDay.Afternoon, new TimeOnly(14, 0), 1),
            "mid" when s.Is(index + 1, "morning") => Bounded(s, PartOfDay.Morning, new TimeOnly(9, 30), 2),
            "midmorning" => Bounded(s, PartOfDay.Morning, new TimeOnly(9, 30), 1),
            "after" when s.Is(index + 1, "work") => Part(s, PartOfDay.Evening, 2),
            "first" when s.Is(index + 1, "thing") && IsFirstThingContext(s.At(index + 2)) => Edge(s, DayEdge.Start, PartOfDay.Morning, 2),
            "last" when s.Is(index + 1, "thing") && IsFirstThingContext(s.At(index + 2)) => Edge(s, DayEdge.End, PartOfDay.None, 2),
            "end" when s.IsSequence(index + 1, "of", "the", "day") => Edge(s, DayEdge.End, PartOfDay.Afternoon, 4),
            "end" when s.IsSequence(index + 1, "of", "day") => Edge(s, DayEdge.End, PartOfDay.Afternoon, 3),
            "lunchtime" or "lunch" when token == "lunchtime" || s.Is(index - 1, "at") || s.Is(index - 1, "around") => Lunch(s),
            _ => 0,
        };

        // "morning 9", "evening six thirty", "afternoon 2:30": a daypart before a bare hour makes the hour a time.
        if (consumed > 0 && token is not ("after" or "first" or "last" or "end" or "lunch" or "lunchtime") && s.Hour < 0)
        {
            var hour = s.At(index + consumed).Contains(':', StringComparison.Ordinal) ? ClockTimes.TryClockToken(s, index + consumed)
                : ClockTimes.TryHourAt(s, index + consumed, introduced: true, weak: false);
            consumed += hour;
        }

        return consumed;
    }

    internal static int Part(TemporalScanner s, PartOfDay partOfDay, int consumed)
    {
        s.SetPartOfDay(partOfDay);
        return consumed;
    }

    internal static int Tonight(TemporalScanner s)
    {
        s.SetPartOfDay(PartOfDay.Evening);
        s.SetDate(s.Today, vague: false);
        return 1;
    }

    /// <summary>"late afternoon" (from 15:00), "mid morning" (from 9:30): a part of the day with its earliest time.</summary>
    internal static int Bounded(TemporalScanner s, PartOfDay partOfDay, TimeOnly notBefore, int consumed)
    {
        s.SetPartOfDay(partOfDay);
        s.NotBefore ??= notBefore;
        return consumed;
    }

    /// <summary>"after lunch": the afternoon, from 13:00 on.</summary>
    internal static int AfterLunch(TemporalScanner s)
    {
        s.SetPartOfDay(PartOfDay.Afternoon);
        s.NotBefore ??= new TimeOnly(13, 0);
        return 2;
    }

    internal static int Edge(TemporalScanner s, DayEdge edge, PartOfDay partOfDay, int consumed)
    {
        if (s.EdgeOfDay == DayEdge.None)
        {
            s.EdgeOfDay = edge;
        }

        if (partOfDay != PartOfDay.None)
        {
            s.SetPartOfDay(partOfDay);
        }

        return consumed;
    }

    internal static int Lunch(TemporalScanner s)
    {
        ClockTimes.SetTime(s, 12, 0, Meridiem.None, twentyFourHour: true);
        return 1;
    }

    /// <summary>
    /// True when "first thing" / "last thing" is a time of day: anything may follow except what makes it a noun phrase
    /// ("the first thing I want", "first thing to do", "first thing is").
    /// </summary>
    internal static bool IsFirstThingContext(string next) =>
        next is not ("i" or "we" or "you" or "he" or "she" or "they" or "to" or "is" or "was" or "that" or "about" or "of" or "my" or "for" or "id" or "ill" or "im");

    internal static int TryRelativeDay(TemporalScanner s, int index)
    {
        var token = s.At(index);
        if (s.IsSequence(index, "day", "after", "tomorrow") || s.IsSequence(index, "day", "after", "tmrw"))
        {
            s.SetDate(s.Today.AddDays(2), vague: false);
            return 3;
        }

        if (TomorrowWords.Contains(token))
        {
            s.SetDate(s.Today.AddDays(1), vague: false);
            return 1;
        }

        var fromNow = TryFromNow(s, index);
        if (fromNow > 0)
        {
            return fromNow;
        }

        switch (token)
        {
            case "today" or "todays" or "tday":
                s.SetDate(s.Today, vague: false);
                return 1;
            case "this" when s.Is(index + 1, "morning") || s.Is(index + 1, "afternoon") || s.Is(index + 1, "evening"):
                s.SetDate(s.Today, vague: false);
                return 1;
            case "in" or "within":
                return TryInSpan(s, index);
            case "next" or "this" or "later" or "end" or "sometime" or "coming":
                return TryVagueRange(s, index);
            default:
                return 0;
        }
    }

    /// <summary>"a week from today", "two weeks from now", "3 days from tomorrow".</summary>
    internal static int TryFromNow(TemporalScanner s, int index)
    {
        int count;
        var used = 1;
        if (s.Is(index, "a") || s.Is(index, "one"))
        {
            count = 1;
        }
        else
        {
            used = NumberWords.TryCardinal(s.Tokens, index, out count);
            if (used == 0 || count is < 1 or > 60)
            {
                return 0;
            }
        }

        var unit = s.At(index + used);
        var days = unit is "day" or "days" ? count : unit is "week" or "weeks" ? count * 7 : -1;
        var anchor = s.At(index + used + 2);
        if (days < 0 || !s.Is(index + used + 1, "from") || anchor is not ("today" or "now" or "tomorrow"))
        {
            return 0;
        }

        s.SetDate(s.Today.AddDays(days + (anchor == "tomorrow" ? 1 : 0)), vague: false);
        return used + 3;
    }

    internal static int TryInSpan(TemporalScanner s, int index)
    {
        var j = index + 1;
        int count;
        var vague = false;
        if (s.Is(j, "a") && (s.Is(j + 1, "couple") || s.Is(j + 1, "few")))
        {
            count = s.Is(j + 1, "couple") ? 2 : 3;
            vague = true;
            j += s.Is(j + 2, "of") ? 3 : 2;
        }
        else if (s.Is(j, "a") || s.Is(j, "an") || s.Is(j, "one"))
        {
            count = 1;
            j++;
        }
        else
        {
            var used = NumberWords.TryCardinal(s.Tokens, j, out count);
            if (used == 0 || count is < 1 or > 60)
            {
                return TryInMonth(s, index);
            }

            j += used;
        }

        var unit = s.At(j);
        var days = unit switch
        {
            "day" or "days" => count,
            "week" or "weeks" => count * 7,
            _ => -1,
        };
        if (days < 0)
        {
            return TryInMonth(s, index);
        }

        s.SetDate(s.Today.AddDays(days), vague);
        return j - index + 1;
    }

    internal static int TryInMonth(TemporalScanner s, int index)
    {
        if (!Months.TryGetValue(s.At(index + 1), out var month) || s.At(index + 1) is "may" or "mar")
        {
            return 0;
        }

        var year = s.Today.Year + (month < s.Today.Month ? 1 : 0);
        var first = new DateOnly(year, month, 1);
        s.SetDate(month == s.Today.Month && year == s.Today.Year ? s.Today : first, vague: true);
        return 2;
    }

    internal static int TryVagueRange(TemporalScanner s, int index)
    {
        var j = s.Is(index, "sometime") || s.Is(index, "later") ? index + 1 : index;
        var daysToMonday = DaysToNextWeeksMonday(s);

        if ((s.Is(j, "next") || s.Is(j, "coming")) && s.Is(j + 1, "week"))
        {
            // "next week Tuesday" / "next week on Tuesday" names one day of that week.
            var dayIndex = s.Is(j + 2, "on") ? j + 3 : j + 2;
            if (Weekdays.TryGetValue(s.At(dayIndex), out var day))
            {
                s.SetDate(s.Today.AddDays(daysToMonday + (((int)day + 6) % 7)), vague: false);
                return dayIndex - index + 1;
            }

            s.SetDate(s.Today.AddDays(daysToMonday), vague: true);
            return j - index + 2;
        }

        if ((s.Is(j, "this") || s.Is(j, "next")) && (s.Is(j + 1, "weekend") || s.Is(j + 1, "week") && s.Is(j + 2, "end")))
        {
            var toSaturday = ((int)DayOfWeek.Saturday - (int)s.Today.DayOfWeek + 7) % 7;
            var saturday = s.Today.DayOfWeek == DayOfWeek.Sunday ? s.Today : s.Today.AddDays(toSaturday);
            var toComingMonday = s.Today.DayOfWeek == DayOfWeek.Monday ? 7 : ((int)DayOfWeek.Monday - (int)s.Today.DayOfWeek + 7) % 7;
            s.SetDate(s.Is(j, "next") ? s.Today.AddDays(toComingMonday + 5) : saturday, vague: true);
            return j - index + 2;
        }

        if (s.Is(j, "this") && s.Is(j + 1, "week"))
        {
            s.SetDate(s.Is(index, "later") ? s.Today.AddDays(1) : s.Today, vague: true);
            return j - index + 2;
        }

        if (s.Is(j, "next") && s.Is(j + 1, "month"))
        {
            s.SetDate(new DateOnly(s.Today.Year, s.Today.Month, 1).AddMonths(1), vague: true);
            return j - index + 2;
        }

        if (s.Is(index, "end") && s.Is(index + 1, "of") && (s.Is(index + 2, "the") || s.Is(index + 2, "this")) && s.Is(index + 3, "week"))
        {
            var toFriday = ((int)DayOfWeek.Friday - (int)s.Today.DayOfWeek + 7) % 7;
            s.SetDate(s.Today.DayOfWeek == DayOfWeek.Saturday ? s.Today : s.Today.AddDays(toFriday), vague: true);
            return 4;
        }

        if (s.Is(index, "sometime") && s.Is(index + 1, "soon"))
        {
            s.SetDate(s.Today, vague: true);
            return 2;
        }

        return 0;
    }

    /// <summary>
    /// Days from today to the Monday of next week. Calendars in the US start the week on Sunday, so on a Sunday "next
    /// week" is the week starting next Sunday and its Monday is 8 days away; on Monday to Saturday it is the coming Monday.
    /// </summary>
    internal static int DaysToNextWeeksMonday(TemporalScanner s)
    {
        var days = ((int)DayOfWeek.Monday - (int)s.Today.DayOfWeek + 7) % 7;
        return days == 0 ? 7 : s.Today.DayOfWeek == DayOfWeek.Sunday ? 8 : days;
    }

    internal static int TryWeekday(TemporalScanner s, int index)
    {
        var token = s.At(index);
        if (!Weekdays.TryGetValue(token, out var day) && !TryFuzzyWeekday(token, out day))
        {
            return 0;
        }

        // "last Monday" is in the past; "Monday the 7th" / "Monday December 7" let the calendar date decide.
        var ordinalAt = s.Is(index + 1, "the") ? index + 2 : index + 1;
        var dayFollows = NumberWords.TryOrdinal(s.Tokens, ordinalAt, out _) > 0 && !s.Is(ordinalAt + 1, "thing")
            || Months.ContainsKey(s.At(index + 1)) && s.At(index + 1) is not ("may" or "mar");
        if (s.Is(index - 1, "last") || s.Is(index - 1, "past") || dayFollows)
        {
            return 1;
        }

        if (s.IsSequence(index + 1, "next", "week"))
        {
            // "Tuesday next week": that weekday in the following calendar week.
            s.SetDate(s.Today.AddDays(DaysToNextWeeksMonday(s) + (((int)day + 6) % 7)), vague: false);
            return 3;
        }

        var delta = ((int)day - (int)s.Today.DayOfWeek + 7) % 7;
        var strictlyAfter = s.Is(index - 1, "next") || s.Is(index - 2, "next") && s.Is(index - 1, "week");
        if (strictlyAfter && delta == 0)
        {
            delta = 7;
        }

        s.SetDate(s.Today.AddDays(delta), vague: false);
        return 1;
    }

    internal static bool TryFuzzyWeekday(string token, out DayOfWeek day)
    {
        day = DayOfWeek.Sunday;
        if (token.Length < 6 || !token.EndsWith("day", StringComparison.Ordinal) && !token.EndsWith("dy", StringComparison.Ordinal))
        {
            return false;
        }

        for (var d = 0; d < WeekdayNames.Length; d++)
        {
            if (TextDistance.Osa(token, WeekdayNames[d], 2) <= 1)
            {
                day = (DayOfWeek)d;
                return true;
            }
        }

        return false;
    }

}
