using Microsoft.EntityFrameworkCore;
using Portal.Domain.Entities;

namespace Portal.Web.Components.Pages.Dashboard.Components;

/// <summary>
/// Conversions between stored UTC instants and the tenant's local wall clock (IANA zone id from
/// <see cref="Tenant.TimeZoneId"/>), shared by the dashboard, conversation and booking pages.
/// </summary>
public static class TenantTime
{
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

    /// <summary>The current tenant's zone, read through the tenant query filter (UTC when there is no tenant).</summary>
    public static async Task<TimeZoneInfo> ZoneAsync(Portal.Domain.Data.PortalDbContext db) =>
        Zone(await db.Tenants.AsNoTracking().Select(t => t.TimeZoneId).FirstOrDefaultAsync());

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

    /// <summary>"3:05 PM".</summary>
    public static string ShortTime(DateTime local) => local.ToString("h:mm tt", System.Globalization.CultureInfo.GetCultureInfo("en-US"));

    /// <summary>"Tue, Nov 24, 3:05 PM".</summary>
    public static string DateAndTime(System.DateTime local) => local.ToString("ddd, MMM d, h:mm tt", System.Globalization.CultureInfo.GetCultureInfo("en-US"));
}
