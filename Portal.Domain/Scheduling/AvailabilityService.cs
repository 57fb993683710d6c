using Portal.Domain.Conversations;

namespace Portal.Domain.Scheduling;

/// <summary>Why a requested slot cannot be booked.</summary>
public enum SlotStatus
{
    /// <summary>Bookable.</summary>
    Free,
    /// <summary>Another booking overlaps.</summary>
    Taken,
    /// <summary>The business is closed that whole day (weekly hours or a closed date).</summary>
    ClosedDay,
    /// <summary>Open that day, but the appointment would not fit inside opening hours.</summary>
    OutsideHours,
    /// <summary>The start is in the past.</summary>
    Past,
    /// <summary>The start is sooner than the minimum notice.</summary>
    TooSoon,
    /// <summary>The local time does not exist (DST gap).</summary>
    InvalidTime,
}

/// <summary>Outcome of checking one slot, with the nearest free alternatives when it is not free.</summary>
/// <param name="Status">Verdict.</param>
/// <param name="Alternatives">Nearest free local start times, best first (empty when free).</param>
public sealed record SlotCheck(SlotStatus Status, IReadOnlyList<DateTime> Alternatives);

/// <summary>
/// Availability against weekly hours, closed dates, service duration, minimum notice and existing
/// bookings. All times it returns are business-local <see cref="DateTime"/>s (Kind Unspecified);
/// conversions use the profile's IANA time zone.
/// </summary>
public sealed class AvailabilityService(IBookingStore store, TimeProvider timeProvider)
{
    /// <summary>How many days ahead alternatives are searched.</summary>
    public const int SearchHorizonDays = 21;

    /// <summary>Checks one local start for a service of <paramref name="durationMinutes"/>; when not free, proposes up to <paramref name="maxAlternatives"/> nearest free starts (same day first, then following open days).</summary>
    public async Task<SlotCheck> CheckAsync(BusinessProfile profile, int durationMinutes, DateTime localStart, int maxAlternatives, Guid? excludeBookingId, CancellationToken cancellationToken)
    {
        var status = await StatusOfAsync(profile, durationMinutes, localStart, excludeBookingId, cancellationToken);
        if (status == SlotStatus.Free)
        {
            return new SlotCheck(SlotStatus.Free, []);
        }

        var date = DateOnly.FromDateTime(localStart);
        var sameDay = status is SlotStatus.ClosedDay ? [] : await FreeStartsOnAsync(profile, durationMinutes, date, excludeBookingId, cancellationToken);
        var alternatives = sameDay
            .OrderBy(s => Math.Abs((s - localStart).Ticks))
            .Take(maxAlternatives)
            .OrderBy(s => s)
            .ToList();
        if (alternatives.Count < maxAlternatives)
        {
            var later = await NextFreeStartsAsync(profile, durationMinutes, date.AddDays(1), localStart.TimeOfDay, maxAlternatives - alternatives.Count, excludeBookingId, cancellationToken);
            alternatives.AddRange(later);
        }

        return new SlotCheck(status, alternatives);
    }

    /// <summary>The verdict for one local start, without alternatives.</summary>
    public async Task<SlotStatus> StatusOfAsync(BusinessProfile profile, int durationMinutes, DateTime localStart, Guid? excludeBookingId, CancellationToken cancellationToken)
    {
        var date = DateOnly.FromDateTime(localStart);
        var intervals = profile.IntervalsOn(date);
        if (intervals.Count == 0)
        {
            return SlotStatus.ClosedDay;
        }

        DateTimeOffset startUtc;
        try
        {
            startUtc = profile.ToUtc(localStart);
        }
        catch (ArgumentException)
        {
            return SlotStatus.InvalidTime;
        }

        var now = timeProvider.GetUtcNow();
        if (startUtc <= now)
        {
            return SlotStatus.Past;
        }

        if (startUtc < now.AddMinutes(profile.MinimumNoticeMinutes))
        {
            return SlotStatus.TooSoon;
        }

        var start = TimeOnly.FromDateTime(localStart);
        var endLocal = localStart.AddMinutes(durationMinutes);
        if (DateOnly.FromDateTime(endLocal) != date && endLocal.TimeOfDay != TimeSpan.Zero)
        {
            return SlotStatus.OutsideHours;
        }

        var end = TimeOnly.FromDateTime(endLocal);
        var fits = intervals.Any(i => start >= i.Opens && (end <= i.Closes || (endLocal.TimeOfDay == TimeSpan.Zero && i.Closes == TimeOnly.MaxValue)) && end > start);
        if (!fits)
        {
            return SlotStatus.OutsideHours;
        }

        var endUtc = startUtc.AddMinutes(durationMinutes);
        var busy = await store.GetBusyAsync(profile.TenantId, startUtc, endUtc, excludeBookingId, cancellationToken);
        return busy.Count == 0 ? SlotStatus.Free : SlotStatus.Taken;
    }

    /// <summary>Every free local start on a date (step = the profile's slot interval), earliest first.</summary>
    public async Task<IReadOnlyList<DateTime>> FreeStartsOnAsync(BusinessProfile profile, int durationMinutes, DateOnly date, Guid? excludeBookingId, CancellationToken cancellationToken)
    {
        var intervals = profile.IntervalsOn(date);
        if (intervals.Count == 0)
        {
            return [];
        }

        var dayStart = date.ToDateTime(TimeOnly.MinValue);
        var dayStartUtc = SafeUtc(profile, dayStart) ?? profile.ToUtc(dayStart.AddHours(1));
        var busy = await store.GetBusyAsync(profile.TenantId, dayStartUtc.AddHours(-1), dayStartUtc.AddHours(26), excludeBookingId, cancellationToken);
        var earliest = timeProvider.GetUtcNow().AddMinutes(profile.MinimumNoticeMinutes);
        var step = Math.Max(5, profile.SlotIntervalMinutes);
        var result = new List<DateTime>();
        foreach (var interval in intervals)
        {
            for (var t = date.ToDateTime(interval.Opens); ; t = t.AddMinutes(step))
            {
                var end = t.AddMinutes(durationMinutes);
                if (end > date.ToDateTime(interval.Closes) && !(interval.Closes == TimeOnly.MaxValue && end <= date.AddDays(1).ToDateTime(TimeOnly.MinValue)))
                {
                    break;
                }

                if (SafeUtc(profile, t) is not { } startUtc || startUtc < earliest)
                {
                    continue;
                }

                var endUtc = startUtc.AddMinutes(durationMinutes);
                if (!busy.Any(b => b.StartUtc < endUtc && startUtc < b.EndUtc))
                {
                    result.Add(t);
                }
            }
        }

        return result;
    }

    /// <summary>The first free starts from <paramref name="fromDate"/> on, preferring times near <paramref name="preferredTime"/> within each day, at most <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<DateTime>> NextFreeStartsAsync(BusinessProfile profile, int durationMinutes, DateOnly fromDate, TimeSpan? preferredTime, int count, Guid? excludeBookingId, CancellationToken cancellationToken)
    {
        var result = new List<DateTime>();
        for (var d = 0; d < SearchHorizonDays && result.Count < count; d++)
        {
            var date = fromDate.AddDays(d);
            var free = await FreeStartsOnAsync(profile, durationMinutes, date, excludeBookingId, cancellationToken);
            if (free.Count == 0)
            {
                continue;
            }

            IEnumerable<DateTime> ordered = preferredTime is { } p
                ? free.OrderBy(s => Math.Abs((s.TimeOfDay - p).Ticks)).Take(count - result.Count).OrderBy(s => s)
                : free.Take(count - result.Count);
            result.AddRange(ordered);
        }

        return result;
    }

    private static DateTimeOffset? SafeUtc(BusinessProfile profile, DateTime local)
    {
        try
        {
            return profile.ToUtc(local);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
