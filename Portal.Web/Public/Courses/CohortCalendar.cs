using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Portal.Data.Entities;

namespace Portal.Web.Public.Courses;

/// <summary>A cohort's live sessions as an iCalendar file (RFC 5545, https://www.rfc-editor.org/rfc/rfc5545) via Ical.Net.</summary>
public static class CohortCalendar
{
    /// <summary>The ICS text: one VEVENT per session, times in UTC, a stable UID per session.</summary>
    public static string ToIcs(string courseTitle, CourseCohort cohort)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        var calendar = new Calendar { ProductId = "-//Portal//Course sessions//EN" };
        calendar.AddProperty("X-WR-CALNAME", $"{courseTitle} · Cohort {cohort.Number}");
        foreach (var session in cohort.Sessions.OrderBy(s => s.StartsAt))
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = session.Id + "@portal",
                Summary = $"{courseTitle}: {session.Title}",
                DtStart = new CalDateTime(session.StartsAt.UtcDateTime),
                DtEnd = new CalDateTime(session.StartsAt.AddMinutes(session.DurationMinutes).UtcDateTime),
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
