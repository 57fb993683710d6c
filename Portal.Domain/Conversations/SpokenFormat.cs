using System.Globalization;
using System.Text;

namespace Portal.Domain.Conversations;

/// <summary>
/// Renders dates, times, money and durations the way a receptionist says them ("tomorrow at
/// 10 AM", "Tuesday, November 24 at half past", "$120"), for both voice and chat.
/// </summary>
public static class SpokenFormat
{
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    /// <summary>"10 AM", "10:30 AM", "noon", "midnight".</summary>
    public static string Time(TimeOnly time)
    {
        if (time == new TimeOnly(12, 0))
        {
            return "noon";
        }

        if (time == TimeOnly.MinValue)
        {
            return "midnight";
        }

        var hour12 = time.Hour % 12 == 0 ? 12 : time.Hour % 12;
        var suffix = time.Hour < 12 ? "AM" : "PM";
        return time.Minute == 0
            ? $"{hour12} {suffix}"
            : $"{hour12}:{time.Minute:00} {suffix}";
    }

    /// <summary>"today", "tomorrow", "Tuesday, November 24" relative to <paramref name="today"/>.</summary>
    public static string Date(DateOnly date, DateOnly today)
    {
        if (date == today)
        {
            return "today";
        }

        if (date == today.AddDays(1))
        {
            return "tomorrow";
        }

        return date.ToString("dddd, MMMM d", En);
    }

    /// <summary>"tomorrow at 10 AM", "Tuesday, November 24 at 2:30 PM".</summary>
    public static string When(DateTime local, DateOnly today) =>
        $"{Date(DateOnly.FromDateTime(local), today)} at {Time(TimeOnly.FromDateTime(local))}";

    /// <summary>
    /// A read-back date: always the weekday and the date, after "today"/"tomorrow" when it is one ("tomorrow, Tuesday,
    /// November 24"; "Monday, December 14"), so a caller who meant another day can correct it.
    /// </summary>
    public static string DateWithWeekday(DateOnly date, DateOnly today)
    {
        var full = date.ToString("dddd, MMMM d", En);
        return date == today ? $"today, {full}" : date == today.AddDays(1) ? $"tomorrow, {full}" : full;
    }

    /// <summary>A read-back of a start: "tomorrow, Tuesday, November 24 at 10 AM", "Monday, December 14 at 11 AM".</summary>
    public static string ReadBack(DateTime local, DateOnly today) =>
        $"{DateWithWeekday(DateOnly.FromDateTime(local), today)} at {Time(TimeOnly.FromDateTime(local))}";

    /// <summary>"$120", "$45.50"; null cents gives "a price we'll confirm".</summary>
    public static string Money(long? cents)
    {
        if (cents is not { } c)
        {
            return "a price we'll confirm with you";
        }

        return c % 100 == 0
            ? (c / 100).ToString("$#,0", En)
            : (c / 100m).ToString("$#,0.00", En);
    }

    /// <summary>"30 minutes", "an hour", "an hour and a half", "2 hours", "1 hour 15 minutes".</summary>
    public static string Duration(int minutes)
    {
        if (minutes < 60)
        {
            return $"{minutes} minutes";
        }

        var h = minutes / 60;
        var m = minutes % 60;
        var hours = h == 1 ? "an hour" : $"{h} hours";
        return m switch
        {
            0 => hours,
            30 => h == 1 ? "an hour and a half" : $"{h} and a half hours",
            _ => $"{(h == 1 ? "1 hour" : hours)} {m} minutes",
        };
    }

    /// <summary>A service name after an indefinite article, lower case: "a cleaning", "an emergency".</summary>
    public static string WithArticle(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        return lower.Length > 0 && "aeiou".Contains(lower[0], StringComparison.Ordinal) ? $"an {lower}" : $"a {lower}";
    }

    /// <summary>"A", "A or B", "A, B or C" (or "and").</summary>
    public static string List(IReadOnlyList<string> items, string conjunction = "or")
    {
        return items.Count switch
        {
            0 => "",
            1 => items[0],
            _ => string.Join(", ", items.Take(items.Count - 1)) + $" {conjunction} " + items[^1],
        };
    }

    /// <summary>Phone number for read-back: "+15550142377" → "(555) 014-2377"; others unchanged.</summary>
    public static string Phone(string e164)
    {
        if (e164.Length == 12 && e164.StartsWith("+1", StringComparison.Ordinal))
        {
            return $"({e164.AsSpan(2, 3)}) {e164.AsSpan(5, 3)}-{e164.AsSpan(8, 4)}";
        }

        return e164;
    }

    /// <summary>Offered slots, grouped by day: "tomorrow at 9 AM or 11 AM, or Wednesday, November 25 at 2 PM".</summary>
    public static string Slots(IReadOnlyList<DateTime> slots, DateOnly today)
    {
        var groups = slots.GroupBy(DateOnly.FromDateTime).ToList();
        var parts = new List<string>(groups.Count);
        foreach (var g in groups)
        {
            var times = g.Select(s => Time(TimeOnly.FromDateTime(s))).ToList();
            parts.Add($"{Date(g.Key, today)} at {List(times)}");
        }

        if (parts.Count == 1)
        {
            return parts[0];
        }

        var sb = new StringBuilder();
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(i == parts.Count - 1 ? ", or " : ", ");
            }

            sb.Append(parts[i]);
        }

        return sb.ToString();
    }

    /// <summary>The first word of a caller's name ("Maria" of "Maria Lopez"), or "there" when no name is known.</summary>
    public static string FirstName(string? fullName) => fullName?.Split(' ')[0] ?? "there";

    /// <summary>The text with its first letter upper-cased ("tomorrow at 10 AM" → "Tomorrow at 10 AM").</summary>
    public static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
