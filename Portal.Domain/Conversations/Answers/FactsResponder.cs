using System.Globalization;
using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Answers;

/// <summary>
/// Answers from the business's own structured facts (hours, closed dates, address, services and
/// prices), never inventing anything that is not in the <see cref="BusinessProfile"/>.
/// </summary>
public static class FactsResponder
{
    private static readonly DayOfWeek[] WeekOrder =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary>Opening hours: the week summarized, or one day when the caller named a date; mentions closures in the next two weeks.</summary>
    public static string Hours(BusinessProfile profile, TemporalMention? mention, DateTime nowLocal)
    {
        var today = DateOnly.FromDateTime(nowLocal);
        if (mention?.Date is { } date && !mention.DateIsVague)
        {
            return DayHours(profile, date, today);
        }

        var summary = WeekSummary(profile);
        var upcoming = profile.ClosedDates
            .Where(c => c.Key >= today && c.Key <= today.AddDays(14))
            .OrderBy(c => c.Key)
            .Select(c => $"{SpokenFormat.Date(c.Key, today)}{(string.IsNullOrWhiteSpace(c.Value) ? "" : $" for {c.Value}")}")
            .ToList();
        var todayIntervals = profile.IntervalsOn(today);
        var now = TimeOnly.FromDateTime(nowLocal);
        var openNow = todayIntervals.FirstOrDefault(i => now >= i.Opens && now < i.Closes);
        var status = openNow is not null ? $" We're open right now until {SpokenFormat.Time(openNow.Closes)}." : "";
        var closures = upcoming.Count > 0 ? $" Please note we're closed {SpokenFormat.List(upcoming, "and")}." : "";
        return summary + status + closures;
    }

    /// <summary>One day's hours: "On Saturday, November 28 we're open from 9 AM to 1 PM."</summary>
    public static string DayHours(BusinessProfile profile, DateOnly date, DateOnly today)
    {
        var label = SpokenFormat.Date(date, today);
        label = label is "today" or "tomorrow" ? label : $"on {label}";
        if (profile.ClosedDates.TryGetValue(date, out var reason))
        {
            return $"We're closed {label}{(string.IsNullOrWhiteSpace(reason) ? "" : $" for {reason}")}.";
        }

        var intervals = profile.Hours[(int)date.DayOfWeek];
        if (intervals.Count == 0)
        {
            return $"We're closed {label}.";
        }

        return $"{char.ToUpper(label[0], CultureInfo.InvariantCulture)}{label[1..]} we're open {Intervals(intervals)}.";
    }

    /// <summary>"We're open Monday to Friday from 8 AM to 5 PM, and Saturday from 9 AM to 1 PM. We're closed on Sunday."</summary>
    public static string WeekSummary(BusinessProfile profile)
    {
        var groups = new List<(DayOfWeek First, DayOfWeek Last, string Hours)>();
        var closed = new List<DayOfWeek>();
        foreach (var day in WeekOrder)
        {
            var intervals = profile.Hours[(int)day];
            if (intervals.Count == 0)
            {
                closed.Add(day);
                continue;
            }

            var text = Intervals(intervals);
            if (groups.Count > 0 && groups[^1].Hours == text && NextDay(groups[^1].Last) == day)
            {
                groups[^1] = (groups[^1].First, day, text);
            }
            else
            {
                groups.Add((day, day, text));
            }
        }

        if (groups.Count == 0)
        {
            return "We don't have any opening hours set up at the moment.";
        }

        var parts = groups.Select(g => g.First == g.Last
            ? $"{g.First} {g.Hours}"
            : $"{g.First} to {g.Last} {g.Hours}").ToList();
        var open = $"We're open {SpokenFormat.List(parts, "and")}.";
        return closed.Count > 0 ? $"{open} We're closed on {SpokenFormat.List(closed.Select(d => d.ToString()).ToList(), "and")}." : open;
    }

    /// <summary>"We're at 12 Main Street, Springfield."</summary>
    public static string Location(BusinessProfile profile) =>
        string.IsNullOrWhiteSpace(profile.Address)
            ? "I'm sorry, I don't have our address on file. May I take a message so someone can get back to you?"
            : $"We're at {profile.Address.Trim().TrimEnd('.')}.";

    /// <summary>One service's price and length, or the list of services with prices; <paramref name="offerBooking"/> false leaves out "Would you like to book one?" (the caller is already booking).</summary>
    public static string Services(BusinessProfile profile, ServiceInfo? service, bool offerBooking = true)
    {
        var offer = offerBooking ? " Would you like to book one?" : "";
        if (service is not null)
        {
            var price = service.PriceCents is null
                ? "The price depends on what you need, and we'll confirm it with you"
                : $"It's {SpokenFormat.Money(service.PriceCents)}";
            var plural = IsPlural(service.Name);
            var subject = plural ? service.Name.Trim().ToLowerInvariant() : SpokenFormat.WithArticle(service.Name);
            return $"{price}, and {subject} take{(plural ? "" : "s")} about {SpokenFormat.Duration(service.DurationMinutes)}.{offer}";
        }

        if (profile.Services.Count == 0)
        {
            return "I don't have our list of services on file yet. May I take a message so someone can get back to you?";
        }

        var items = profile.Services
            .Select(s => s.PriceCents is null ? s.Name : $"{s.Name} ({SpokenFormat.Money(s.PriceCents)})")
            .ToList();
        return $"We offer {SpokenFormat.List(items, "and")}.{offer}";
    }

    /// <summary>"it's $160 and takes about 2 and a half hours", or "the price depends on what you need, and it takes about an hour".</summary>
    public static string PriceAndLength(ServiceInfo service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var price = service.PriceCents is null ? "the price depends on what you need" : $"it's {SpokenFormat.Money(service.PriceCents)}";
        return $"{price} and {(service.PriceCents is null ? "it " : "")}takes about {SpokenFormat.Duration(service.DurationMinutes)}";
    }

    /// <summary>True for a service named in the plural ("Highlights", "Gel Nails"): "highlights take", not "a highlights takes".</summary>
    private static bool IsPlural(string name)
    {
        var last = name.Trim().Split(' ')[^1].ToLowerInvariant();
        return last.Length > 3 && last.EndsWith('s') && !last.EndsWith("ss", StringComparison.Ordinal) && !last.EndsWith("us", StringComparison.Ordinal)
            && !last.EndsWith("is", StringComparison.Ordinal);
    }

    private static string Intervals(IReadOnlyList<OpeningInterval> intervals) =>
        SpokenFormat.List(intervals.Select(i => $"from {SpokenFormat.Time(i.Opens)} to {SpokenFormat.Time(i.Closes)}").ToList(), "and");

    private static DayOfWeek NextDay(DayOfWeek day) => (DayOfWeek)(((int)day + 1) % 7);
}
