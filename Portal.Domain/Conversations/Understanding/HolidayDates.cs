namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// US holidays callers name instead of a date ("are you open on Thanksgiving", "Christmas Eve"): the federal holidays
/// that move (Thanksgiving, Memorial Day, Labor Day) and the fixed ones (Christmas Day and Eve, New Year's Day and Eve,
/// Independence Day). Each resolves to its next occurrence that is not in the past (today counts).
/// </summary>
internal static class HolidayDates
{
    internal enum Holiday
    {
        None,
        Thanksgiving,
        MemorialDay,
        LaborDay,
        ChristmasDay,
        ChristmasEve,
        NewYearsDay,
        NewYearsEve,
        IndependenceDay,
    }

    /// <summary>The date of <paramref name="holiday"/> in <paramref name="year"/>.</summary>
    internal static DateOnly HolidayDate(Holiday holiday, int year) => holiday switch
    {
        Holiday.Thanksgiving => NthWeekday(year, 11, DayOfWeek.Thursday, 4),
        Holiday.MemorialDay => LastWeekday(year, 5, DayOfWeek.Monday),
        Holiday.LaborDay => NthWeekday(year, 9, DayOfWeek.Monday, 1),
        Holiday.ChristmasDay => new DateOnly(year, 12, 25),
        Holiday.ChristmasEve => new DateOnly(year, 12, 24),
        Holiday.NewYearsDay => new DateOnly(year, 1, 1),
        Holiday.NewYearsEve => new DateOnly(year, 12, 31),
        Holiday.IndependenceDay => new DateOnly(year, 7, 4),
        _ => throw new ArgumentOutOfRangeException(nameof(holiday), holiday, null),
    };

    internal static DateOnly NthWeekday(int year, int month, DayOfWeek day, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)day - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + (7 * (n - 1)));
    }

    internal static DateOnly LastWeekday(int year, int month, DayOfWeek day)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)day + 7) % 7));
    }

    internal static int TryHoliday(TemporalScanner s, int index)
    {
        var (holiday, used) = ReadHoliday(s, index);
        if (holiday == Holiday.None)
        {
            return 0;
        }

        var date = HolidayDate(holiday, s.Today.Year);
        if (date < s.Today)
        {
            date = HolidayDate(holiday, s.Today.Year + 1);
        }

        s.SetDate(date, vague: false);
        return used;
    }

    /// <summary>Reads a holiday name at <paramref name="index"/>; a trailing "day" ("thanksgiving day") is part of it.</summary>
    internal static (Holiday Holiday, int Used) ReadHoliday(TemporalScanner s, int index)
    {
        var token = s.At(index);
        switch (token)
        {
            case "thanksgiving" or "thanksgivings":
                return (Holiday.Thanksgiving, s.Is(index + 1, "day") ? 2 : 1);
            case "christmas" or "xmas" or "x-mas":
                return s.Is(index + 1, "eve") ? (Holiday.ChristmasEve, 2) : (Holiday.ChristmasDay, s.Is(index + 1, "day") ? 2 : 1);
            case "memorial" when s.Is(index + 1, "day"):
                return (Holiday.MemorialDay, 2);
            case "labor" or "labour" when s.Is(index + 1, "day"):
                return (Holiday.LaborDay, 2);
            case "independence" when s.Is(index + 1, "day"):
                return (Holiday.IndependenceDay, 2);
            case "new" when s.At(index + 1) is "year" or "years":
                return s.Is(index + 2, "eve") ? (Holiday.NewYearsEve, 3) : (Holiday.NewYearsDay, s.Is(index + 2, "day") ? 3 : 2);
            case "nye":
                return (Holiday.NewYearsEve, 1);
            default:
                return (Holiday.None, 0);
        }
    }

}
