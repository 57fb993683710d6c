namespace Portal.Domain.Brain.Analytics;

/// <summary>
/// The SQL behind <see cref="AnalyticsService"/>, over the tables (the app's own role; the tenant is a parameter, null for
/// every business). Each statement starts from <see cref="Range"/>: the real (non-test) conversations whose start, in their
/// business's time zone, falls in [<c>@from</c>, <c>@to</c>), optionally of one channel. The local start is the stored
/// <c>conversations.local_started_at</c> (kept by triggers in the business's zone, migration <c>Brain_LocalTimes</c>), so the
/// range is one scan of the (tenant_id, local_started_at) index with no per-row time-zone conversion.
/// </summary>
internal static class AnalyticsSql
{
    /// <summary>
    /// The conversations of the query, as CTE <c>r</c> with <c>local_at</c> (timestamp in the business's zone),
    /// <c>answered</c> (not abandoned or failed) and <c>offered</c> (the stored dialogue state holds offered or proposed
    /// times). Inlined where read once (unused columns are then never computed), materialized where read more.
    /// </summary>
    public const string Range = """
        WITH r AS (
            SELECT c.id, c.tenant_id, c.channel, c.outcome, c.started_at, c.ended_at, c.duration_seconds,
                   c.local_started_at AS local_at, c.outcome NOT IN ('Abandoned', 'Failed') AS answered,
                   (jsonb_typeof(c.state -> 'offered') = 'array' AND jsonb_array_length(c.state -> 'offered') > 0
                    OR (c.state ->> 'proposedStart') IS NOT NULL) AS offered
            FROM conversations c
            WHERE NOT c.is_test AND c.channel <> 'Test'
              AND (@tenant IS NULL OR c.tenant_id = @tenant)
              AND (@channel IS NULL OR c.channel = @channel)
              AND c.local_started_at >= @from AND c.local_started_at < @to)
        """;

    /// <summary>
    /// Every per-conversation figure in one pass over the range: each conversation joined once to its insight, to whether a
    /// caller turn asked about a service and to its confirmed bookings, summed per local date and hour (<c>g</c>), then
    /// rolled up three ways (<c>GROUPING SETS</c>); averages are sums over counts, so they equal the per-row averages.
    /// The two per-conversation passes are materialized: without statistics (a fresh table) the planner otherwise nests
    /// them inside a loop over the range and recomputes them per conversation.
    /// Columns: grouping (<see cref="ByDay"/>, <see cref="ByWeekdayHour"/> or <see cref="Total"/>),
    /// local date, ISO weekday, local hour, conversations, calls, chats, texts, the four funnel stages (answered, asked about
    /// a service, offered a slot, booked), average handle seconds of ended conversations, billable call tenths of a minute
    /// (per call: seconds rounded up to a tenth, as billing counts them), confirmed bookings, their price in cents, answered
    /// calls outside opening hours (total row only; answered calls minus those inside an opening-hours interval on a day
    /// not closed), average sentiment (3 decimals) and analysed conversations. Rows ordered by grouping, then key.
    /// </summary>
    public const string Figures = Range + """
        ,
        asked_turn AS MATERIALIZED (
            SELECT DISTINCT t.conversation_id FROM turns t JOIN r ON r.id = t.conversation_id
            WHERE t.speaker = 'Customer' AND t.intent IN ('Book', 'Reschedule', 'Services')),
        booked AS MATERIALIZED (
            SELECT b.conversation_id, b.tenant_id, COUNT(*) AS n, SUM(COALESCE(b.price_cents, s.price_cents, 0)) AS cents
            FROM bookings b
            JOIN r ON r.id = b.conversation_id AND r.tenant_id = b.tenant_id
            JOIN services s ON s.id = b.service_id
            WHERE b.status = 'Confirmed'
            GROUP BY 1, 2),
        in_hours AS (
            SELECT COUNT(*) AS n FROM r
            WHERE r.channel = 'Voice' AND r.answered
              AND NOT EXISTS (SELECT 1 FROM closed_dates d WHERE d.tenant_id = r.tenant_id AND d.date = r.local_at::date)
              AND EXISTS (
                  SELECT 1 FROM business_hours h
                  WHERE h.tenant_id = r.tenant_id
                    AND h.day_of_week = (ARRAY['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])[EXTRACT(ISODOW FROM r.local_at)::int]
                    AND r.local_at::time >= h.opens AND r.local_at::time < h.closes)),
        f AS (
            SELECT r.*, r.local_at::date AS day, EXTRACT(HOUR FROM r.local_at)::int AS hr,
                   CASE WHEN i.tenant_id = r.tenant_id THEN i.sentiment END AS sentiment,
                   (a.conversation_id IS NOT NULL OR COALESCE(i.intents && ARRAY['book', 'reschedule', 'services', 'price'], false)) AS asked,
                   COALESCE(b.n, 0) AS bookings, COALESCE(b.cents, 0) AS cents
            FROM r
            LEFT JOIN conversation_insights i ON i.conversation_id = r.id
            LEFT JOIN asked_turn a ON a.conversation_id = r.id
            LEFT JOIN booked b ON b.conversation_id = r.id AND b.tenant_id = r.tenant_id),
        g AS (
            SELECT day, hr,
                   COUNT(*) AS n,
                   COUNT(*) FILTER (WHERE channel = 'Voice') AS calls,
                   COUNT(*) FILTER (WHERE channel = 'WebChat') AS chats,
                   COUNT(*) FILTER (WHERE channel = 'Sms') AS texts,
                   COUNT(*) FILTER (WHERE answered) AS answered,
                   COUNT(*) FILTER (WHERE answered AND (asked OR offered OR outcome = 'Booked')) AS asked,
                   COUNT(*) FILTER (WHERE answered AND (offered OR outcome = 'Booked')) AS offered,
                   COUNT(*) FILTER (WHERE outcome = 'Booked') AS booked,
                   SUM(COALESCE(duration_seconds::numeric, EXTRACT(EPOCH FROM ended_at - started_at))) FILTER (WHERE ended_at IS NOT NULL) AS handle_sum,
                   COUNT(*) FILTER (WHERE ended_at IS NOT NULL) AS handle_n,
                   SUM((GREATEST(COALESCE(duration_seconds, CEIL(EXTRACT(EPOCH FROM ended_at - started_at))::int), 0) + 5) / 6)
                       FILTER (WHERE channel = 'Voice' AND ended_at IS NOT NULL) AS tenths,
                   SUM(bookings) AS bookings, SUM(cents) AS cents,
                   COUNT(*) FILTER (WHERE channel = 'Voice' AND answered) AS answered_calls,
                   SUM(sentiment) AS sentiment_sum, COUNT(sentiment) AS sentiment_n
            FROM f GROUP BY day, hr)
        SELECT GROUPING(day, dow, hr)::int, day, dow, hr,
               COALESCE(SUM(n), 0)::int, COALESCE(SUM(calls), 0)::int, COALESCE(SUM(chats), 0)::int, COALESCE(SUM(texts), 0)::int,
               COALESCE(SUM(answered), 0)::int, COALESCE(SUM(asked), 0)::int, COALESCE(SUM(offered), 0)::int, COALESCE(SUM(booked), 0)::int,
               ROUND(SUM(handle_sum) / NULLIF(SUM(handle_n), 0))::int,
               COALESCE(SUM(tenths), 0)::bigint, COALESCE(SUM(bookings), 0)::int, COALESCE(SUM(cents), 0)::bigint,
               CASE WHEN GROUPING(day, dow, hr) = 7 THEN (COALESCE(SUM(answered_calls), 0) - (SELECT n FROM in_hours))::int END,
               ROUND((SUM(sentiment_sum) / NULLIF(SUM(sentiment_n), 0))::numeric, 3)::float8, COALESCE(SUM(sentiment_n), 0)::int
        FROM (SELECT g.*, EXTRACT(ISODOW FROM day)::int AS dow FROM g) AS x
        GROUP BY GROUPING SETS ((day), (dow, hr), ())
        ORDER BY 1, 2, 3, 4
        """;

    /// <summary><see cref="Figures"/> grouping of the rows per local date.</summary>
    public const int ByDay = 3;

    /// <summary><see cref="Figures"/> grouping of the rows per ISO weekday and local hour.</summary>
    public const int ByWeekdayHour = 4;

    /// <summary><see cref="Figures"/> grouping of the one row of the whole range.</summary>
    public const int Total = 7;

    /// <summary>Insight intent key and the conversations that had it, most first, up to 10.</summary>
    public const string Intents = Range + """

        SELECT k, COUNT(*)::int
        FROM r
        JOIN conversation_insights i ON i.conversation_id = r.id AND i.tenant_id = r.tenant_id
        CROSS JOIN LATERAL (SELECT DISTINCT unnest(i.intents) AS k) AS keys
        GROUP BY k ORDER BY 2 DESC, k LIMIT 10
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
