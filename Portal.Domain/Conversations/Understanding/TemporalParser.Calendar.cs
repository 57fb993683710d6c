namespace Portal.Domain.Conversations.Understanding;

/// <summary>Calendar-date matchers: "December 5th", "5th of December", "Dec 5", "12/5", "the 12th", with roll-forward.</summary>
public static partial class TemporalParser
{
    private sealed partial class Scanner
    {
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
            if (year is not null && Math.Abs(year.Value - _today.Year) > 50)
            {
                return;
            }

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
