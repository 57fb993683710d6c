namespace Portal.Domain.Brain.Analytics;

/// <summary>
/// The SQL behind <see cref="AnalyticsService"/>, over the tables (the app's own role; the tenant is a parameter, null for
/// every business). Each statement starts from <see cref="Range"/>: the real (non-test) conversations whose start, in their
/// business's time zone, falls in [<c>@from</c>, <c>@to</c>), optionally of one channel. The UTC bounds <c>@lo</c>/<c>@hi</c>
/// (one day wider than the local range) only let the (tenant, started_at) index narrow the scan.
/// </summary>
internal static class AnalyticsSql
{
    /// <summary>The conversations of the query, as CTE <c>r</c> with <c>local_at</c> (timestamp in the business's zone).</summary>
    public const string Range = """
        WITH r AS (
            SELECT c.id, c.tenant_id, c.channel, c.outcome, c.started_at, c.ended_at, c.duration_seconds, c.state,
                   (c.started_at AT TIME ZONE t.time_zone_id) AS local_at
            FROM conversations c
            JOIN tenants t ON t.id = c.tenant_id
            WHERE NOT c.is_test AND c.channel <> 'Test'
              AND (@tenant IS NULL OR c.tenant_id = @tenant)
              AND (@channel IS NULL OR c.channel = @channel)
              AND c.started_at >= @lo AND c.started_at < @hi
              AND (c.started_at AT TIME ZONE t.time_zone_id) >= @from
              AND (c.started_at AT TIME ZONE t.time_zone_id) < @to)
        """;

    /// <summary>Local date, calls, chats, texts.</summary>
    public const string PerDay = Range + """

        SELECT local_at::date, (COUNT(*) FILTER (WHERE channel = 'Voice'))::int, (COUNT(*) FILTER (WHERE channel = 'WebChat'))::int,
               (COUNT(*) FILTER (WHERE channel = 'Sms'))::int
        FROM r GROUP BY 1 ORDER BY 1
        """;

    /// <summary>ISO weekday, local hour, conversations.</summary>
    public const string Heatmap = Range + """

        SELECT EXTRACT(ISODOW FROM local_at)::int, EXTRACT(HOUR FROM local_at)::int, COUNT(*)::int
        FROM r GROUP BY 1, 2 ORDER BY 1, 2
        """;

    /// <summary>
    /// Conversations, calls, chats, texts, the four funnel stages, average handle seconds of ended conversations and billable call
    /// tenths of a minute (per call: seconds rounded up to a tenth, as billing counts them).
    /// </summary>
    public const string Summary = Range + """
        , f AS (
            SELECT r.*,
                   r.outcome NOT IN ('Abandoned', 'Failed') AS answered,
                   (EXISTS (SELECT 1 FROM turns t WHERE t.conversation_id = r.id AND t.speaker = 'Customer' AND t.intent IN ('Book', 'Reschedule', 'Services'))
                    OR EXISTS (SELECT 1 FROM conversation_insights i WHERE i.conversation_id = r.id AND i.intents && ARRAY['book', 'reschedule', 'services', 'price'])) AS asked,
                   (jsonb_typeof(r.state -> 'offered') = 'array' AND jsonb_array_length(r.state -> 'offered') > 0
                    OR (r.state ->> 'proposedStart') IS NOT NULL) AS offered
            FROM r)
        SELECT COUNT(*)::int,
               (COUNT(*) FILTER (WHERE channel = 'Voice'))::int,
               (COUNT(*) FILTER (WHERE channel = 'WebChat'))::int,
               (COUNT(*) FILTER (WHERE channel = 'Sms'))::int,
               (COUNT(*) FILTER (WHERE answered))::int,
               (COUNT(*) FILTER (WHERE answered AND (asked OR offered OR outcome = 'Booked')))::int,
               (COUNT(*) FILTER (WHERE answered AND (offered OR outcome = 'Booked')))::int,
               (COUNT(*) FILTER (WHERE outcome = 'Booked'))::int,
               ROUND(AVG(COALESCE(duration_seconds::numeric, EXTRACT(EPOCH FROM ended_at - started_at))) FILTER (WHERE ended_at IS NOT NULL))::int,
               COALESCE(SUM((GREATEST(COALESCE(duration_seconds, CEIL(EXTRACT(EPOCH FROM ended_at - started_at))::int), 0) + 5) / 6)
                   FILTER (WHERE channel = 'Voice' AND ended_at IS NOT NULL), 0)::bigint
        FROM f
        """;

    /// <summary>Confirmed bookings made in the range's conversations and their price in cents.</summary>
    public const string Revenue = Range + """

        SELECT COUNT(*)::int, COALESCE(SUM(COALESCE(b.price_cents, s.price_cents, 0)), 0)::bigint
        FROM bookings b
        JOIN r ON r.id = b.conversation_id AND r.tenant_id = b.tenant_id
        JOIN services s ON s.id = b.service_id
        WHERE b.status = 'Confirmed'
        """;

    /// <summary>Answered calls that started outside every opening-hours interval of their weekday, or on a closed date.</summary>
    public const string AfterHours = Range + """

        SELECT COUNT(*)::int FROM r
        WHERE r.channel = 'Voice' AND r.outcome NOT IN ('Abandoned', 'Failed')
          AND (EXISTS (SELECT 1 FROM closed_dates d WHERE d.tenant_id = r.tenant_id AND d.date = r.local_at::date)
               OR NOT EXISTS (
                   SELECT 1 FROM business_hours h
                   WHERE h.tenant_id = r.tenant_id
                     AND h.day_of_week = (ARRAY['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])[EXTRACT(ISODOW FROM r.local_at)::int]
                     AND r.local_at::time >= h.opens AND r.local_at::time < h.closes))
        """;

    /// <summary>Insight intent key and the conversations that had it, most first, up to 10.</summary>
    public const string Intents = Range + """

        SELECT k, COUNT(DISTINCT r.id)::int
        FROM r
        JOIN conversation_insights i ON i.conversation_id = r.id AND i.tenant_id = r.tenant_id
        CROSS JOIN LATERAL unnest(i.intents) AS k
        GROUP BY k ORDER BY 2 DESC, k LIMIT 10
        """;

    /// <summary>Local date, average sentiment (3 decimals), analysed conversations.</summary>
    public const string Sentiment = Range + """

        SELECT r.local_at::date, ROUND(AVG(i.sentiment)::numeric, 3)::float8, COUNT(*)::int
        FROM r
        JOIN conversation_insights i ON i.conversation_id = r.id AND i.tenant_id = r.tenant_id
        GROUP BY 1 ORDER BY 1
        """;

    /// <summary>Agent turns measured and their latency p50 and p95, ms (continuous percentiles).</summary>
    public const string Latency = Range + """

        SELECT COUNT(*)::int,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY t.latency_ms),
               percentile_cont(0.95) WITHIN GROUP (ORDER BY t.latency_ms)
        FROM turns t
        JOIN r ON r.id = t.conversation_id AND r.tenant_id = t.tenant_id
        WHERE t.speaker = 'Agent' AND t.latency_ms IS NOT NULL
        """;

    /// <summary>Open knowledge gaps last asked (local time) in the range, most asked first, up to 10.</summary>
    public const string Unanswered = """
        SELECT g.id, g.tenant_id, t.name, g.example_question, g.count, (g.last_asked_at AT TIME ZONE t.time_zone_id)
        FROM knowledge_gaps g
        JOIN tenants t ON t.id = g.tenant_id
        WHERE NOT g.resolved
          AND (@tenant IS NULL OR g.tenant_id = @tenant)
          AND g.last_asked_at >= @lo AND g.last_asked_at < @hi
          AND (g.last_asked_at AT TIME ZONE t.time_zone_id) >= @from
          AND (g.last_asked_at AT TIME ZONE t.time_zone_id) < @to
        ORDER BY g.count DESC, g.last_asked_at DESC LIMIT 10
        """;

    /// <summary>The business's time zone id (no row for every business).</summary>
    public const string Zone = "SELECT time_zone_id FROM tenants WHERE id = @tenant";
}
