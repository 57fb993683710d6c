using System.Globalization;
using System.Text;

namespace Portal.Domain.Brain.Analytics;

/// <summary>
/// The table behind each chart of the analytics page as CSV (RFC 4180: comma separated, CRLF line ends, fields with a comma,
/// quote or line break quoted, quotes doubled; https://www.rfc-editor.org/rfc/rfc4180). Text a caller typed (questions) that
/// starts with <c>= + - @</c> is prefixed with an apostrophe so a spreadsheet does not run it as a formula (OWASP CSV
/// injection: https://owasp.org/www-community/attacks/CSV_Injection). Numbers use the invariant culture.
/// </summary>
public static class AnalyticsCsv
{
    /// <summary>The tables that can be exported, by name (the endpoint's <c>{table}</c>).</summary>
    public static IReadOnlyList<string> Tables { get; } = ["summary", "daily", "heatmap", "funnel", "intents", "unanswered", "sentiment", "latency"];

    /// <summary>The CSV of <paramref name="table"/> (one of <see cref="Tables"/>).</summary>
    /// <exception cref="ArgumentException">Unknown table.</exception>
    public static string Write(AnalyticsReport report, string table)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Summary;
        var f = report.Funnel;
        IEnumerable<object?[]> rows = table switch
        {
            "summary" =>
            [
                ["metric", "value"],
                ["conversations", s.Conversations], ["calls", s.Calls], ["chats", s.Chats], ["texts", s.Texts], ["booking_rate_percent", s.BookingRatePercent],
                ["bookings", s.Bookings], ["revenue_booked", s.RevenueCents / 100m], ["after_hours_calls", s.AfterHoursCalls],
                ["average_handle_seconds", s.AverageHandleSeconds], ["minutes_used", s.MinutesUsed],
            ],
            "daily" => Prepend(["date", "calls", "chats", "texts", "total"], report.PerDay.Select(d => new object?[] { d.Date, d.Calls, d.Chats, d.Texts, d.Total })),
            "heatmap" => Prepend(["weekday", "hour", "conversations"], report.Heatmap.Select(h => new object?[] { h.Weekday, h.Hour, h.Count })),
            "funnel" =>
            [
                ["stage", "conversations"],
                ["answered", f.Answered], ["asked_about_a_service", f.AskedAboutService], ["offered_a_slot", f.OfferedSlot], ["booked", f.Booked],
            ],
            "intents" => Prepend(["intent", "label", "conversations"], report.TopIntents.Select(i => new object?[] { i.Key, i.Label, i.Count })),
            "unanswered" => Prepend(["business", "question", "times_asked", "last_asked_local"],
                report.TopUnanswered.Select(q => new object?[] { q.Business, q.Question, q.Count, q.LastAskedLocal })),
            "sentiment" => Prepend(["date", "average_sentiment", "conversations"], report.Sentiment.Select(p => new object?[] { p.Date, p.Average, p.Conversations })),
            "latency" => [["turns", "p50_ms", "p95_ms"], [report.Latency.Turns, report.Latency.P50Ms, report.Latency.P95Ms]],
            _ => throw new ArgumentException($"Unknown table '{table}'. Tables: {string.Join(", ", Tables)}.", nameof(table)),
        };

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Select(Field)).Append("\r\n");
        }

        return text.ToString();
    }

    private static IEnumerable<object?[]> Prepend(object?[] header, IEnumerable<object?[]> rows) => new[] { header }.Concat(rows);

    private static string Field(object? value)
    {
        string text = value switch
        {
            null => "",
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTime t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            double x => Math.Round(x, 3).ToString(CultureInfo.InvariantCulture),
            IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        if (value is string && text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
