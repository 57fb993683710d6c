using System.Collections.Frozen;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>Date matchers: relative days, weekdays, ranges and parts of the day.</summary>
public static partial class TemporalParser
{
    private static readonly FrozenDictionary<string, DayOfWeek> Weekdays = new Dictionary<string, DayOfWeek>
    {
        ["monday"] = DayOfWeek.Monday, ["mon"] = DayOfWeek.Monday, ["mondays"] = DayOfWeek.Monday,
        ["tuesday"] = DayOfWeek.Tuesday, ["tues"] = DayOfWeek.Tuesday, ["tue"] = DayOfWeek.Tuesday, ["tuesdays"] = DayOfWeek.Tuesday,
        ["wednesday"] = DayOfWeek.Wednesday, ["weds"] = DayOfWeek.Wednesday, ["wednesdays"] = DayOfWeek.Wednesday,
        ["thursday"] = DayOfWeek.Thursday, ["thurs"] = DayOfWeek.Thursday, ["thur"] = DayOfWeek.Thursday, ["thu"] = DayOfWeek.Thursday,
        ["thursdays"] = DayOfWeek.Thursday, ["friday"] = DayOfWeek.Friday, ["fri"] = DayOfWeek.Friday, ["fridays"] = DayOfWeek.Friday,
        ["saturday"] = DayOfWeek.Saturday, ["saturdays"] = DayOfWeek.Saturday, ["sunday"] = DayOfWeek.Sunday, ["sundays"] = DayOfWeek.Sunday,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly string[] WeekdayNames =
        ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private static readonly FrozenDictionary<string, int> Months = new Dictionary<string, int>
    {
        ["january"] = 1, ["jan"] = 1, ["february"] = 2, ["feb"] = 2, ["march"] = 3, ["mar"] = 3, ["april"] = 4,
        ["apr"] = 4, ["may"] = 5, ["june"] = 6, ["jun"] = 6, ["july"] = 7, ["jul"] = 7, ["august"] = 8, ["aug"] = 8,
        ["september"] = 9, ["sept"] = 9, ["sep"] = 9, ["october"] = 10, ["oct"] = 10, ["november"] = 11, ["nov"] = 11,
        ["december"] = 12, ["dec"] = 12,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> TomorrowWords = new[]
    {
        "tomorrow", "tomorow", "tommorow", "tommorrow", "tmrw", "tmr", "tomorrows", "2morrow",
    }.ToFrozenSet(StringComparer.Ordinal);

    private sealed partial class Scanner
    {
        private int TryPartOfDay(int index)
        {
            var token = At(index);
            var consumed = token switch
            {
                "morning" or "mornings" or "mornin" when !Is(index - 1, "good") => Part(PartOfDay.Morning, 1),
                "afternoon" or "afternoons" when !Is(index - 1, "good") => Part(PartOfDay.Afternoon, 1),
                "evening" or "evenings" when !Is(index - 1, "good") => Part(PartOfDay.Evening, 1),
                "tonight" or "tonite" => Tonight(),
                "night" when Is(index - 1, "at") || Is(index - 1, "tomorrow") || Weekdays.ContainsKey(At(index - 1)) => Part(PartOfDay.Evening, 1),
                "after" when Is(index + 1, "lunch") || Is(index + 1, "lunchtime") => AfterLunch(),
                "late" when Is(index + 1, "afternoon") => Bounded(PartOfDay.Afternoon, new TimeOnly(15, 0), 2),
                "late" when Is(index + 1, "morning") => Bounded(PartOfDay.Morning, new TimeOnly(10, 0), 2),
                "mid" when Is(index + 1, "afternoon") => Bounded(PartOfDay.Afternoon, new TimeOnly(14, 0), 2),
                "midafternoon" => Bounded(PartOfDay.Afternoon, new TimeOnly(14, 0), 1),
                "mid" when Is(index + 1, "morning") => Bounded(PartOfDay.Morning, new TimeOnly(9, 30), 2),
                "midmorning" => Bounded(PartOfDay.Morning, new TimeOnly(9, 30), 1),
                "after" when Is(index + 1, "work") => Part(PartOfDay.Evening, 2),
                "first" when Is(index + 1, "thing") && IsFirstThingContext(At(index + 2)) => Edge(DayEdge.Start, PartOfDay.Morning, 2),
                "last" when Is(index + 1, "thing") && IsFirstThingContext(At(index + 2)) => Edge(DayEdge.End, PartOfDay.None, 2),
                "end" when IsSequence(index + 1, "of", "the", "day") => Edge(DayEdge.End, PartOfDay.Afternoon, 4),
                "end" when IsSequence(index + 1, "of", "day") => Edge(DayEdge.End, PartOfDay.Afternoon, 3),
                "lunchtime" or "lunch" when token == "lunchtime" || Is(index - 1, "at") || Is(index - 1, "around") => Lunch(),
                _ => 0,
            };

            // "morning 9", "evening six thirty", "afternoon 2:30": a daypart before a bare hour makes the hour a time.
            if (consumed > 0 && token is not ("after" or "first" or "last" or "end" or "lunch" or "lunchtime") && _hour < 0)
            {
                var hour = At(index + consumed).Contains(':', StringComparison.Ordinal) ? TryClockToken(index + consumed)
                    : TryHourAt(index + consumed, introduced: true, weak: false);
                consumed += hour;
            }

            return consumed;
        }

        private int Part(PartOfDay partOfDay, int consumed)
        {
            SetPartOfDay(partOfDay);
            return consumed;
        }

        private int Tonight()
        {
            SetPartOfDay(PartOfDay.Evening);
            SetDate(_today, vague: false);
            return 1;
        }

        /// <summary>"late afternoon" (from 15:00), "mid morning" (from 9:30): a part of the day with its earliest time.</summary>
        private int Bounded(PartOfDay partOfDay, TimeOnly notBefore, int consumed)
        {
            SetPartOfDay(partOfDay);
            _notBefore ??= notBefore;
            return consumed;
        }

        /// <summary>"after lunch": the afternoon, from 13:00 on.</summary>
        private int AfterLunch()
        {
            SetPartOfDay(PartOfDay.Afternoon);
            _notBefore ??= new TimeOnly(13, 0);
            return 2;
        }

        private int Edge(DayEdge edge, PartOfDay partOfDay, int consumed)
        {
            if (_edge == DayEdge.None)
            {
                _edge = edge;
            }

            if (partOfDay != PartOfDay.None)
            {
                SetPartOfDay(partOfDay);
            }

            return consumed;
        }

        private int Lunch()
        {
            SetTime(12, 0, Meridiem.None, twentyFourHour: true);
            return 1;
        }

        /// <summary>
        /// True when "first thing" / "last thing" is a time of day: anything may follow except what makes it a noun phrase
        /// ("the first thing I want", "first thing to do", "first thing is").
        /// </summary>
        private static bool IsFirstThingContext(string next) =>
            next is not ("i" or "we" or "you" or "he" or "she" or "they" or "to" or "is" or "was" or "that" or "about" or "of" or "my" or "for" or "id" or "ill" or "im");

        private int TryRelativeDay(int index)
        {
            var token = At(index);
            if (IsSequence(index, "day", "after", "tomorrow") || IsSequence(index, "day", "after", "tmrw"))
            {
                SetDate(_today.AddDays(2), vague: false);
                return 3;
            }

            if (TomorrowWords.Contains(token))
            {
                SetDate(_today.AddDays(1), vague: false);
                return 1;
            }

            var fromNow = TryFromNow(index);
            if (fromNow > 0)
            {
                return fromNow;
            }

            switch (token)
            {
                case "today" or "todays" or "tday":
                    SetDate(_today, vague: false);
                    return 1;
                case "this" when Is(index + 1, "morning") || Is(index + 1, "afternoon") || Is(index + 1, "evening"):
                    SetDate(_today, vague: false);
                    return 1;
                case "in" or "within":
                    return TryInSpan(index);
                case "next" or "this" or "later" or "end" or "sometime" or "coming":
                    return TryVagueRange(index);
                default:
                    return 0;
            }
        }

        /// <summary>"a week from today", "two weeks from now", "3 days from tomorrow".</summary>
        private int TryFromNow(int index)
        {
            int count;
            var used = 1;
            if (Is(index, "a") || Is(index, "one"))
            {
                count = 1;
            }
            else
            {
                used = NumberWords.TryCardinal(_tokens, index, out count);
                if (used == 0 || count is < 1 or > 60)
                {
                    return 0;
                }
            }

            var unit = At(index + used);
            var days = unit is "day" or "days" ? count : unit is "week" or "weeks" ? count * 7 : -1;
            var anchor = At(index + used + 2);
            if (days < 0 || !Is(index + used + 1, "from") || anchor is not ("today" or "now" or "tomorrow"))
            {
                return 0;
            }

            SetDate(_today.AddDays(days + (anchor == "tomorrow" ? 1 : 0)), vague: false);
            return used + 3;
        }

        private int TryInSpan(int index)
        {
            var j = index + 1;
            int count;
            var vague = false;
            if (Is(j, "a") && (Is(j + 1, "couple") || Is(j + 1, "few")))
            {
                count = Is(j + 1, "couple") ? 2 : 3;
                vague = true;
                j += Is(j + 2, "of") ? 3 : 2;
            }
            else if (Is(j, "a") || Is(j, "an") || Is(j, "one"))
            {
                count = 1;
                j++;
            }
            else
            {
                var used = NumberWords.TryCardinal(_tokens, j, out count);
                if (used == 0 || count is < 1 or > 60)
                {
                    return TryInMonth(index);
                }

                j += used;
            }

            var unit = At(j);
            var days = unit switch
            {
                "day" or "days" => count,
                "week" or "weeks" => count * 7,
                _ => -1,
            };
            if (days < 0)
            {
                return TryInMonth(index);
            }

            SetDate(_today.AddDays(days), vague);
            return j - index + 1;
        }

        private int TryInMonth(int index)
        {
            if (!Months.TryGetValue(At(index + 1), out var month) || At(index + 1) is "may" or "mar")
            {
                return 0;
            }

            var year = _today.Year + (month < _today.Month ? 1 : 0);
            var first = new DateOnly(year, month, 1);
            SetDate(month == _today.Month && year == _today.Year ? _today : first, vague: true);
            return 2;
        }

        private int TryVagueRange(int index)
        {
            var j = Is(index, "sometime") || Is(index, "later") ? index + 1 : index;
            var daysToMonday = DaysToNextWeeksMonday();

            if ((Is(j, "next") || Is(j, "coming")) && Is(j + 1, "week"))
            {
                // "next week Tuesday" / "next week on Tuesday" names one day of that week.
                var dayIndex = Is(j + 2, "on") ? j + 3 : j + 2;
                if (Weekdays.TryGetValue(At(dayIndex), out var day))
                {
                    SetDate(_today.AddDays(daysToMonday + (((int)day + 6) % 7)), vague: false);
                    return dayIndex - index + 1;
                }

                SetDate(_today.AddDays(daysToMonday), vague: true);
                return j - index + 2;
            }

            if ((Is(j, "this") || Is(j, "next")) && (Is(j + 1, "weekend") || Is(j + 1, "week") && Is(j + 2, "end")))
            {
                var toSaturday = ((int)DayOfWeek.Saturday - (int)_today.DayOfWeek + 7) % 7;
                var saturday = _today.DayOfWeek == DayOfWeek.Sunday ? _today : _today.AddDays(toSaturday);
                var toComingMonday = _today.DayOfWeek == DayOfWeek.Monday ? 7 : ((int)DayOfWeek.Monday - (int)_today.DayOfWeek + 7) % 7;
                SetDate(Is(j, "next") ? _today.AddDays(toComingMonday + 5) : saturday, vague: true);
                return j - index + 2;
            }

            if (Is(j, "this") && Is(j + 1, "week"))
            {
                SetDate(Is(index, "later") ? _today.AddDays(1) : _today, vague: true);
                return j - index + 2;
            }

            if (Is(j, "next") && Is(j + 1, "month"))
            {
                SetDate(new DateOnly(_today.Year, _today.Month, 1).AddMonths(1), vague: true);
                return j - index + 2;
            }

            if (Is(index, "end") && Is(index + 1, "of") && (Is(index + 2, "the") || Is(index + 2, "this")) && Is(index + 3, "week"))
            {
                var toFriday = ((int)DayOfWeek.Friday - (int)_today.DayOfWeek + 7) % 7;
                SetDate(_today.DayOfWeek == DayOfWeek.Saturday ? _today : _today.AddDays(toFriday), vague: true);
                return 4;
            }

            if (Is(index, "sometime") && Is(index + 1, "soon"))
            {
                SetDate(_today, vague: true);
                return 2;
            }

            return 0;
        }

        /// <summary>
        /// Days from today to the Monday of next week. Calendars in the US start the week on Sunday, so on a Sunday "next
        /// week" is the week starting next Sunday and its Monday is 8 days away; on Monday to Saturday it is the coming Monday.
        /// </summary>
        private int DaysToNextWeeksMonday()
        {
            var days = ((int)DayOfWeek.Monday - (int)_today.DayOfWeek + 7) % 7;
            return days == 0 ? 7 : _today.DayOfWeek == DayOfWeek.Sunday ? 8 : days;
        }

        private int TryWeekday(int index)
        {
            var token = At(index);
            if (!Weekdays.TryGetValue(token, out var day) && !TryFuzzyWeekday(token, out day))
            {
                return 0;
            }

            // "last Monday" is in the past; "Monday the 7th" / "Monday December 7" let the calendar date decide.
            var ordinalAt = Is(index + 1, "the") ? index + 2 : index + 1;
            var dayFollows = NumberWords.TryOrdinal(_tokens, ordinalAt, out _) > 0 && !Is(ordinalAt + 1, "thing")
                || Months.ContainsKey(At(index + 1)) && At(index + 1) is not ("may" or "mar");
            if (Is(index - 1, "last") || Is(index - 1, "past") || dayFollows)
            {
                return 1;
            }

            if (IsSequence(index + 1, "next", "week"))
            {
                // "Tuesday next week": that weekday in the following calendar week.
                SetDate(_today.AddDays(DaysToNextWeeksMonday() + (((int)day + 6) % 7)), vague: false);
                return 3;
            }

            var delta = ((int)day - (int)_today.DayOfWeek + 7) % 7;
            var strictlyAfter = Is(index - 1, "next") || Is(index - 2, "next") && Is(index - 1, "week");
            if (strictlyAfter && delta == 0)
            {
                delta = 7;
            }

            SetDate(_today.AddDays(delta), vague: false);
            return 1;
        }

        private static bool TryFuzzyWeekday(string token, out DayOfWeek day)
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
}
