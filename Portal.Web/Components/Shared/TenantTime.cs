using System.Globalization;

namespace Portal.Web.Components.Shared;

/// <summary>How <see cref="TenantTime"/> (and <see cref="LocalTime"/>) writes a time.</summary>
public enum TimeFormat
{
    /// <summary>"3:05 PM".</summary>
    Time,
    /// <summary>"Tue, Nov 24, 3:05 PM".</summary>
    DateAndTime,
    /// <summary>"Tue, Nov 24, 2026".</summary>
    Date,
}

/// <summary>
/// The one place times are converted and written for people: stored UTC instants shown on the tenant's wall clock (IANA
/// zone id from <see cref="Portal.Data.Entities.Tenant.TimeZoneId"/>, through <see cref="Tenancy.TenantClock"/>), and
/// platform-wide admin lists in labelled UTC. Pages render times with <see cref="LocalTime"/>, which uses this.
/// </summary>
public static class TenantTime
{
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    /// <summary>The tenant's zone; UTC when the id is unknown on this machine (never throws).</summary>
    public static TimeZoneInfo Zone(string? timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
        catch (InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>The local wall-clock time of a UTC instant.</summary>
    public static DateTime ToLocal(DateTimeOffset utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(utc, zone).DateTime;

    /// <summary>Today's local date in the zone.</summary>
    public static DateOnly Today(DateTimeOffset utcNow, TimeZoneInfo zone) => DateOnly.FromDateTime(ToLocal(utcNow, zone));

    /// <summary>The UTC instant (offset 0, as Npgsql requires for timestamptz) of a local date-time.</summary>
    public static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            // A wall-clock time skipped by a DST jump: move forward past the gap.
            unspecified = unspecified.AddHours(1);
        }

        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    /// <summary>The UTC instant at which the local <paramref name="date"/> begins.</summary>
    public static DateTimeOffset StartOfDayUtc(DateOnly date, TimeZoneInfo zone) => ToUtc(date.ToDateTime(TimeOnly.MinValue), zone);

    /// <summary>A UTC instant on the zone's wall clock, as <paramref name="format"/> says.</summary>
    public static string Format(DateTimeOffset utc, TimeZoneInfo zone, TimeFormat format) => Format(ToLocal(utc, zone), format);

    /// <summary>A local wall-clock time, as <paramref name="format"/> says.</summary>
    public static string Format(DateTime local, TimeFormat format) => format switch
    {
        TimeFormat.Time => local.ToString("h:mm tt", En),
        TimeFormat.Date => local.ToString("ddd, MMM d, yyyy", En),
        _ => local.ToString("ddd, MMM d, h:mm tt", En),
    };

    /// <summary>"3:05 PM".</summary>
    public static string ShortTime(DateTime local) => Format(local, TimeFormat.Time);

    /// <summary>"Tue, Nov 24, 3:05 PM".</summary>
    public static string DateAndTime(DateTime local) => Format(local, TimeFormat.DateAndTime);

    /// <summary>For platform-wide admin lists (many businesses, many zones): "2026-11-23 14:05 UTC", or an em dash.</summary>
    public static string Utc(DateTimeOffset? at) => at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>For platform-wide admin lists: the UTC date, "2026-11-23 UTC", or an em dash.</summary>
    public static string UtcDate(DateTimeOffset? at) => at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>ISO 8601 UTC ("2026-11-23T14:05:00Z") for the <c>datetime</c> attribute of a <c>&lt;time&gt;</c> element.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
