namespace Portal.Domain.Conversations.Understanding;

/// <summary>Calendar-date matchers: "December 5th", "5th of December", "Dec 5", "12/5", "the 12th", with roll-forward.</summary>
internal static class CalendarDates
{
    internal static int TryCalendarDate(TemporalScanner s, int index)
    {
        var token = s.At(index);
        if (token.Contains('/', StringComparison.Ordinal))
        {
            return TrySlashDate(s, token);
        }

        if (DayPhrases.Months.TryGetValue(token, out var month))
        {
            var j = index + 1;
            if (s.Is(j, "the"))
            {
                j++;
            }

            var used = NumberWords.TryOrdinal(s.Tokens, j, out var day);
            if (used == 0)
            {
                used = NumberWords.TryCardinal(s.Tokens, j, out day);
            }

            if (used == 0 || day is < 1 or > 31 || IsTimeSuffix(s.At(j + used)))
            {
                return 0;
            }

            j += used;
            int? year = NumberWords.IsDigits(s.At(j)) && s.At(j).Length == 4 ? int.Parse(s.At(j), System.Globalization.CultureInfo.InvariantCulture) : null;
            SetMonthDay(s, month, day, year);
            return j - index + (year is null ? 0 : 1);
        }

        var ordinalUsed = NumberWords.TryOrdinal(s.Tokens, index, out var dayOfMonth);
        if (ordinalUsed == 0 || dayOfMonth is < 1 or > 31)
        {
            return 0;
        }

        var after = index + ordinalUsed;
        if (s.Is(after, "of") && DayPhrases.Months.TryGetValue(s.At(after + 1), out var ofMonth) || DayPhrases.Months.TryGetValue(s.At(after), out ofMonth))
        {
            SetMonthDay(s, ofMonth, dayOfMonth, null);
            return after - index + (s.Is(after, "of") ? 2 : 1);
        }

        var isDigitOrdinal = char.IsAsciiDigit(s.At(index)[0]);
        var introduced = s.Is(index - 1, "the") || isDigitOrdinal && (index == 0 || s.Is(index - 1, "on"));
        if (!introduced || s.At(after) is "available" or "thing" or "time" or "week" or "opening" or "appointment" or "slot" or "visit" or "one")
        {
            return 0;
        }

        SetDayOfMonth(s, dayOfMonth);
        return ordinalUsed;
    }

    internal static bool IsTimeSuffix(string token) => token is "am" or "pm" or "oclock" or "people" or "persons";

    internal static int TrySlashDate(TemporalScanner s, string token)
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

        SetMonthDay(s, month, day, year);
        return 1;
    }

    internal static void SetMonthDay(TemporalScanner s, int month, int day, int? year)
    {
        if (year is not null && Math.Abs(year.Value - s.Today.Year) > 50)
        {
            return;
        }

        var y = year ?? s.Today.Year;
        if (day > DateTime.DaysInMonth(y, month) && !(month == 2 && day == 29))
        {
            return;
        }

        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (day <= DateTime.DaysInMonth(y, month))
            {
                var date = new DateOnly(y, month, day);
                if (year is not null || date >= s.Today)
                {
                    s.SetDate(date, vague: false);
                    return;
                }
            }

            y++;
        }
    }

    internal static void SetDayOfMonth(TemporalScanner s, int day)
    {
        var cursor = new DateOnly(s.Today.Year, s.Today.Month, 1);
        for (var attempt = 0; attempt < 13; attempt++)
        {
            if (day <= DateTime.DaysInMonth(cursor.Year, cursor.Month))
            {
                var date = new DateOnly(cursor.Year, cursor.Month, day);
                if (date >= s.Today)
                {
                    s.SetDate(date, vague: false);
                    return;
                }
            }

            cursor = cursor.AddMonths(1);
        }
    }

}
