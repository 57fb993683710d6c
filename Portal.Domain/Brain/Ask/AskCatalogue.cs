using System.Globalization;

namespace Portal.Domain.Brain.Ask;

/// <summary>A view the semantic layer reads (schema <c>brain</c>, created by the <c>Brain_AskViews</c> migration).</summary>
public enum AskSource
{
    /// <summary><c>brain.v_conversations</c>: calls and chats (tests excluded), with their insight.</summary>
    Conversations,

    /// <summary><c>brain.v_bookings</c>: bookings with their service, by the time they were made.</summary>
    Bookings,

    /// <summary><c>brain.v_messages</c>: messages callers left.</summary>
    Messages,
}

/// <summary>A metric of the catalogue.</summary>
/// <param name="Key">Plan key.</param>
/// <param name="Label">Name in sentences ("missed calls").</param>
/// <param name="Source">The view it reads.</param>
/// <param name="Aggregate">SQL aggregate over the view's columns (catalogue constant, never user text).</param>
/// <param name="Where">SQL condition the metric always applies, or null.</param>
/// <param name="Format">"count", "money", "percent", "score", "seconds".</param>
public sealed record AskMetric(string Key, string Label, AskSource Source, string Aggregate, string? Where, string Format);

/// <summary>A dimension of the catalogue.</summary>
/// <param name="Key">Plan key.</param>
/// <param name="Label">Column header.</param>
/// <param name="Expression">SQL expression over the view's columns.</param>
/// <param name="Sources">Views that have it.</param>
public sealed record AskDimension(string Key, string Label, string Expression, IReadOnlySet<AskSource> Sources);

/// <summary>
/// The fixed catalogue the owner's questions are answered from: metrics, dimensions and filters over the views of the
/// tenant's conversations, bookings (with services) and messages. Every SQL fragment is a constant here; a plan only
/// names keys, and values travel as parameters.
/// </summary>
public static class AskCatalogue
{
    private static readonly HashSet<AskSource> Conv = [AskSource.Conversations];
    private static readonly HashSet<AskSource> ConvAndBookings = [AskSource.Conversations, AskSource.Bookings];
    private static readonly HashSet<AskSource> Every = [AskSource.Conversations, AskSource.Bookings, AskSource.Messages];

    /// <summary>Metrics by key.</summary>
    public static IReadOnlyDictionary<string, AskMetric> Metrics { get; } = new AskMetric[]
    {
        new("conversations", "conversations", AskSource.Conversations, "COUNT(*)", null, "count"),
        new("calls", "calls", AskSource.Conversations, "COUNT(*)", "channel = 'Voice'", "count"),
        new("missed_calls", "missed calls", AskSource.Conversations, "COUNT(*)", "channel = 'Voice' AND outcome IN ('Abandoned', 'Failed')", "count"),
        new("chats", "chats", AskSource.Conversations, "COUNT(*)", "channel = 'WebChat'", "count"),
        new("booked_conversations", "conversations that booked", AskSource.Conversations, "COUNT(*)", "outcome = 'Booked'", "count"),
        new("booking_rate", "booking rate", AskSource.Conversations, "ROUND(100.0 * AVG(CASE WHEN outcome = 'Booked' THEN 1 ELSE 0 END), 1)", null, "percent"),
        new("avg_sentiment", "average sentiment", AskSource.Conversations, "ROUND(AVG(sentiment)::numeric, 2)", "sentiment IS NOT NULL", "score"),
        new("avg_lead_score", "average lead score", AskSource.Conversations, "ROUND(AVG(lead_score)::numeric, 1)", "lead_score IS NOT NULL", "score"),
        new("avg_handle_time", "average handle time", AskSource.Conversations, "ROUND(AVG(duration_s)::numeric, 0)", "duration_s IS NOT NULL", "seconds"),
        new("callers", "distinct callers", AskSource.Conversations, "COUNT(DISTINCT customer_phone)", "customer_phone IS NOT NULL", "count"),
        new("bookings", "bookings", AskSource.Bookings, "COUNT(*)", "status = 'Confirmed'", "count"),
        new("cancellations", "cancelled bookings", AskSource.Bookings, "COUNT(*)", "status = 'Cancelled'", "count"),
        new("revenue", "revenue booked", AskSource.Bookings, "COALESCE(SUM(price_cents), 0) / 100.0", "status = 'Confirmed'", "money"),
        new("messages", "messages", AskSource.Messages, "COUNT(*)", null, "count"),
    }.ToDictionary(m => m.Key);

    /// <summary>Dimensions by key.</summary>
    public static IReadOnlyDictionary<string, AskDimension> Dimensions { get; } = new AskDimension[]
    {
        new("hour", "Hour", "EXTRACT(HOUR FROM local_at)::int", Every),
        new("weekday", "Weekday", "EXTRACT(ISODOW FROM local_at)::int", Every),
        new("day", "Day", "to_char(local_at, 'YYYY-MM-DD')", Every),
        new("month", "Month", "to_char(local_at, 'YYYY-MM')", Every),
        new("channel", "Channel", "channel", Conv),
        new("outcome", "Outcome", "outcome", Conv),
        new("service", "Service", "service_name", new HashSet<AskSource> { AskSource.Bookings }),
        new("caller", "Caller", "customer_phone", ConvAndBookings),
    }.ToDictionary(d => d.Key);

    /// <summary>Filter keys: weekday (1 = Monday .. 7), channel (Voice, WebChat), outcome (an outcome name), intent (an insight intent key), not_booked (true), more_than (N: groups with more than N rows; needs a dimension).</summary>
    public static IReadOnlySet<string> Filters { get; } = new HashSet<string> { "weekday", "channel", "outcome", "intent", "not_booked", "more_than" };

    /// <summary>Values of the <c>channel</c> filter.</summary>
    public static IReadOnlySet<string> Channels { get; } = new HashSet<string> { "Voice", "WebChat" };

    /// <summary>Values of the <c>outcome</c> filter (conversation outcome names).</summary>
    public static IReadOnlySet<string> Outcomes { get; } = new HashSet<string> { "InProgress", "Booked", "Rescheduled", "Cancelled", "MessageTaken", "Transferred", "Answered", "Abandoned", "Failed" };

    /// <summary>What can be asked, for the "I can't answer that yet" reply.</summary>
    public const string Capabilities =
        "I can count calls, missed calls, chats, conversations, bookings, cancellations, messages and callers; give revenue booked, booking rate, average sentiment, lead score and handle time; " +
        "by service, hour, weekday, day, month, channel, outcome or caller; for today, yesterday, this or last week, month or year, the last N days or a named month (and compare two months).";

    /// <summary>
    /// Checks a plan against the catalogue; returns null when valid, else what is wrong. Checks every key, the dimension's
    /// and filters' fit with the metric's view, filter values, the range (From before To, at most 3 years) and the limit.
    /// </summary>
    public static string? Validate(QueryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!Metrics.TryGetValue(plan.Metric, out var metric))
        {
            return $"Unknown metric '{plan.Metric}'.";
        }

        if (plan.Dimension is { } d && (!Dimensions.TryGetValue(d, out var dim) || !dim.Sources.Contains(metric.Source)))
        {
            return $"'{plan.Metric}' cannot be grouped by '{d}'.";
        }

        foreach (var f in plan.Filters)
        {
            string? problem = f.Key switch
            {
                "weekday" => int.TryParse(f.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int w) && w is >= 1 and <= 7 ? null : "weekday must be 1..7",
                "channel" => metric.Source == AskSource.Conversations && Channels.Contains(f.Value) ? null : "channel filter needs a conversation metric and Voice or WebChat",
                "outcome" => metric.Source == AskSource.Conversations && Outcomes.Contains(f.Value) ? null : "unknown outcome",
                "intent" => metric.Source == AskSource.Conversations && Insights.InsightIntents.All.Contains(f.Value) ? null : "unknown intent",
                "not_booked" => metric.Source == AskSource.Conversations && f.Value == "true" ? null : "not_booked needs a conversation metric",
                "more_than" => plan.Dimension is not null && int.TryParse(f.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 0 and <= 10_000 ? null : "more_than needs a dimension and a number",
                _ => $"unknown filter '{f.Key}'",
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        foreach (var range in new[] { plan.Range, plan.Compare })
        {
            if (range is not null && (range.From >= range.To || range.To.DayNumber - range.From.DayNumber > 3 * 366))
            {
                return "The time range is empty or longer than three years.";
            }
        }

        if (plan.Compare is not null && plan.Dimension is not null)
        {
            return "A comparison of two periods gives one number each; it cannot be grouped as well.";
        }

        return plan.Limit is { } limit && limit is < 1 or > 100 ? "The limit must be 1..100." : null;
    }
}
