using System.Collections.Frozen;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>Date matchers: relative days, weekdays, calendar dates and parts of the day.</summary>
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
            switch (token)
            {
                case "morning" or "mornings" or "mornin" when !Is(index - 1, "good"):
                    SetPartOfDay(PartOfDay.Morning);
                    return 1;
                case "afternoon" or "afternoons" when !Is(index - 1, "good"):
                    SetPartOfDay(PartOfDay.Afternoon);
                    return 1;
                case "evening" or "evenings" when !Is(index - 1, "good"):
                    SetPartOfDay(PartOfDay.Evening);
                    return 1;
                case "tonight" or "tonite":
                    SetPartOfDay(PartOfDay.Evening);
                    SetDate(_today, vague: false);
                    return 1;
                case "night" when Is(index - 1, "at") || Is(index - 1, "tomorrow") || Weekdays.ContainsKey(At(index - 1)):
                    SetPartOfDay(PartOfDay.Evening);
                    return 1;
                case "after" when Is(index + 1, "lunch"):
                    SetPartOfDay(PartOfDay.Afternoon);
                    return 2;
                case "after" when Is(index + 1, "work"):
                    SetPartOfDay(PartOfDay.Evening);
                    return 2;
                case "first" when Is(index + 1, "thing") && IsFirstThingContext(At(index + 2)):
                    SetPartOfDay(PartOfDay.Morning);
                    return 2;
                case "end" when IsSequence(index + 1, "of", "the", "day") || IsSequence(index + 1, "of", "day"):
                    SetPartOfDay(PartOfDay.Afternoon);
                    return Is(index + 2, "the") ? 4 : 3;
                case "lunchtime" or "lunch" when token == "lunchtime" || Is(index - 1, "at") || Is(index - 1, "around"):
                    SetTime(12, 0, Meridiem.None, twentyFourHour: true);
                    return 1;
                default:
                    return 0;
            }
        }

        private static bool IsFirstThingContext(string next) =>
            next.Length == 0 || next is "in" or "on" or "tomorrow" or "today" or "please" or "next" or "this" or "if" or "monday"
                or "tuesday" or "wednesday" or "thursday" or "friday" or "saturday" or "sunday";

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
            var daysToMonday = ((int)DayOfWeek.Monday - (int)_today.DayOfWeek + 7) % 7;
            if (daysToMonday == 0)
            {
                daysToMonday = 7;
            }

            if ((Is(j, "next") || Is(j, "coming")) && Is(j + 1, "week"))
            {
                SetDate(_today.AddDays(daysToMonday), vague: true);
                return j - index + 2;
            }

            if ((Is(j, "this") || Is(j, "next")) && (Is(j + 1, "weekend") || Is(j + 1, "week") && Is(j + 2, "end")))
            {
                var toSaturday = ((int)DayOfWeek.Saturday - (int)_today.DayOfWeek + 7) % 7;
                var saturday = _today.DayOfWeek == DayOfWeek.Sunday ? _today : _today.AddDays(toSaturday);
                SetDate(Is(j, "next") ? _today.AddDays(daysToMonday + 5) : saturday, vague: true);
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

        private int TryWeekday(int index)
        {
            var token = At(index);
            if (!Weekdays.TryGetValue(token, out var day) && !TryFuzzyWeekday(token, out day))
            {
                return 0;
            }

            if (Is(index - 1, "last") || Is(index - 1, "past"))
            {
                return 1;
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

        private int TryCalendarDate(int index)
        {
            var token = At(index);
            if (token.Contains('/', StringComparison.Ordinal))
            {
                return TrySlashDate(token);
            }

            if (Months.TryGetValue(token, out var month))
            {
                var j = index + 1;
                if (Is(j, "the"))
                {
                    j++;
                }

                var used = NumberWords.TryOrdinal(_tokens, j, out var day);
                if (used == 0)
                {
                    used = NumberWords.TryCardinal(_tokens, j, out day);
                }

                if (used == 0 || day is < 1 or > 31 || IsTimeSuffix(At(j + used)))
                {
                    return 0;
                }

                j += used;
                int? year = NumberWords.IsDigits(At(j)) && At(j).Length == 4 ? int.Parse(At(j), System.Globalization.CultureInfo.InvariantCulture) : null;
                SetMonthDay(month, day, year);
                return j - index + (year is null ? 0 : 1);
            }

            var ordinalUsed = NumberWords.TryOrdinal(_tokens, index, out var dayOfMonth);
            if (ordinalUsed == 0 || dayOfMonth is < 1 or > 31)
            {
                return 0;
            }

            var after = index + ordinalUsed;
            if (Is(after, "of") && Months.TryGetValue(At(after + 1), out var ofMonth) || Months.TryGetValue(At(after), out ofMonth))
            {
                SetMonthDay(ofMonth, dayOfMonth, null);
                return after - index + (Is(after, "of") ? 2 : 1);
            }

            var isDigitOrdinal = char.IsAsciiDigit(At(index)[0]);
            var introduced = Is(index - 1, "the") || isDigitOrdinal && (index == 0 || Is(index - 1, "on"));
            if (!introduced || At(after) is "available" or "thing" or "time" or "week" or "opening" or "appointment" or "slot" or "visit" or "one")
            {
                return 0;
            }

            SetDayOfMonth(dayOfMonth);
            return ordinalUsed;
        }

        private static bool IsTimeSuffix(string token) => token is "am" or "pm" or "oclock" or "people" or "persons";

        private int TrySlashDate(string token)
        {
            var parts = token.Split('/');
            if (parts.Length is < 2 or > 3 || !int.TryParse(parts[0], out var month) || !int.TryParse(parts[1], out var day)
                || month is < 1 or > 12 || day is < 1 or > 31)
            {
                return 0;
            }

            int? year = null;
            if (parts.Length == 3 && int.TryParse(parts[2], out var y))
            {
                year = y < 100 ? 2000 + y : y;
            }

            SetMonthDay(month, day, year);
            return 1;
        }

        private void SetMonthDay(int month, int day, int? year)
        {
            var y = year ?? _today.Year;
            if (day > DateTime.DaysInMonth(y, month) && !(month == 2 && day == 29))
            {
                return;
            }

            for (var attempt = 0; attempt < 8; attempt++)
            {
                if (day <= DateTime.DaysInMonth(y, month))
                {
                    var date = new DateOnly(y, month, day);
                    if (year is not null || date >= _today)
                    {
                        SetDate(date, vague: false);
                        return;
                    }
                }

                y++;
            }
        }

        private void SetDayOfMonth(int day)
        {
            var cursor = new DateOnly(_today.Year, _today.Month, 1);
            for (var attempt = 0; attempt < 13; attempt++)
            {
                if (day <= DateTime.DaysInMonth(cursor.Year, cursor.Month))
                {
                    var date = new DateOnly(cursor.Year, cursor.Month, day);
                    if (date >= _today)
                    {
                        SetDate(date, vague: false);
                        return;
                    }
                }

                cursor = cursor.AddMonths(1);
            }
        }
    }
}
