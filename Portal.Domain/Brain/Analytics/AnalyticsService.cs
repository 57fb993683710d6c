using Npgsql;
using NpgsqlTypes;
using Portal.Data.Tenancy;
using Portal.Domain.Brain.Insights;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Brain.Analytics;

/// <summary>
/// The analytics of the owner's page and the admin's: conversation volume per day and per weekday × hour, the outcome
/// funnel, booking rate, revenue booked, calls answered outside opening hours, handle time and billable minutes, top intents,
/// top unanswered questions, sentiment per day and the agent's reply latency. Every figure is one SQL aggregate
/// (<see cref="AnalyticsSql"/>), run in one round trip; dates and hours are in each business's own time zone.
/// </summary>
public sealed class AnalyticsService(NpgsqlDataSource dataSource, ITenantContext tenantContext, TimeProvider timeProvider)
{
    /// <summary>Statement timeout of the analytics batch, ms.</summary>
    public const int StatementTimeoutMs = 10_000;

    /// <summary>The analytics of the current business.</summary>
    /// <exception cref="InvalidOperationException">No business is selected.</exception>
    /// <exception cref="ArgumentException">The query is invalid (<see cref="AnalyticsQuery.Validate"/>).</exception>
    public Task<AnalyticsReport> GetAsync(AnalyticsQuery query, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("No business is selected.");
        return ComputeAsync(tenantId, query, cancellationToken);
    }

    /// <summary>
    /// The platform admin's analytics: of one business (<paramref name="tenantId"/>) or of every business (null). Reads across
    /// tenants: only the platform-admin pages and endpoints may call it.
    /// </summary>
    /// <exception cref="ArgumentException">The query is invalid.</exception>
    public Task<AnalyticsReport> GetForPlatformAsync(Guid? tenantId, AnalyticsQuery query, CancellationToken cancellationToken) =>
        ComputeAsync(tenantId, query, cancellationToken);

    /// <summary>Today's date in the current business's time zone (UTC for none), for the default range.</summary>
    public async Task<DateOnly> TodayAsync(CancellationToken cancellationToken)
    {
        var zone = TimeZoneInfo.Utc;
        if (tenantContext.TenantId is { } tenantId)
        {
            await using var command = dataSource.CreateCommand(AnalyticsSql.Zone);
            command.Parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Uuid) { Value = tenantId });
            if (await command.ExecuteScalarAsync(cancellationToken) is string id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
            {
                zone = found;
            }
        }

        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), zone).DateTime);
    }

    private async Task<AnalyticsReport> ComputeAsync(Guid? tenantId, AnalyticsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(query));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        // JIT compilation costs more than it saves on a page's few statements of at most a year of rows; custom plans only,
        // because the best plan depends on the range (30 days or 12 months), which a generic plan of an auto-prepared statement cannot see.
        await using (var setup = new NpgsqlCommand(
            $"SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {StatementTimeoutMs}; SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_custom_plan",
            connection, transaction))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var sql in new[] { AnalyticsSql.Zone, AnalyticsSql.Figures, AnalyticsSql.Intents, AnalyticsSql.Unanswered, AnalyticsSql.Latency })
        {
            var command = new NpgsqlBatchCommand(sql);
            AddParameters(command.Parameters, tenantId, query);
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        string zone = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : "each business's own time zone";

        await reader.NextResultAsync(cancellationToken);
        var figures = await ReadFiguresAsync(reader, cancellationToken);
        var perDay = Enumerable.Range(0, query.To.DayNumber - query.From.DayNumber + 1)
            .Select(i => query.From.AddDays(i)).Select(d => figures.Days.GetValueOrDefault(d) ?? new DayVolume(d, 0, 0, 0)).ToList();

        await reader.NextResultAsync(cancellationToken);
        var intents = new List<IntentCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(0);
            intents.Add(new IntentCount(key, InsightIntents.Label(key), reader.GetInt32(1)));
        }

        await reader.NextResultAsync(cancellationToken);
        var unanswered = new List<UnansweredQuestion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            unanswered.Add(new UnansweredQuestion(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetDateTime(5)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var latency = new LatencyStats(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetDouble(1), reader.IsDBNull(2) ? null : reader.GetDouble(2));

        var (conversations, calls, chats, texts, funnel, handle, tenths, bookings, revenue, afterHours) = figures.Total;
        double rate = conversations == 0 ? 0 : Math.Round(100.0 * funnel.Booked / conversations, 1, MidpointRounding.AwayFromZero);
        var summary = new AnalyticsSummary(conversations, calls, chats, texts, rate, bookings, revenue, afterHours, handle, tenths / 10m);
        return new AnalyticsReport(query, zone, summary, perDay, figures.Heat, funnel, intents, unanswered, figures.Sentiment, latency);
    }

    /// <summary>Reads the rows of <see cref="AnalyticsSql.Figures"/>: per day, per weekday and hour, and the total.</summary>
    private static async Task<Figures> ReadFiguresAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var figures = new Figures();
        while (await reader.ReadAsync(cancellationToken))
        {
            switch (reader.GetInt32(0))
            {
                case AnalyticsSql.ByDay:
                    var date = reader.GetFieldValue<DateOnly>(1);
                    figures.Days[date] = new DayVolume(date, reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7));
                    if (reader.GetInt32(18) > 0)
                    {
                        figures.Sentiment.Add(new SentimentPoint(date, reader.GetDouble(17), reader.GetInt32(18)));
                    }

                    break;
                case AnalyticsSql.ByWeekdayHour:
                    figures.Heat.Add(new HeatCell(reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4)));
                    break;
                case AnalyticsSql.Total:
                    int conversations = reader.GetInt32(4);
                    var funnel = new OutcomeFunnel(conversations, reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10), reader.GetInt32(11));
                    figures.Total = (conversations, reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), funnel,
                        reader.IsDBNull(12) ? null : reader.GetInt32(12), reader.GetInt64(13),
                        reader.IsDBNull(14) ? 0 : reader.GetInt32(14), reader.IsDBNull(15) ? 0 : reader.GetInt64(15), reader.GetInt32(16));
                    break;
            }
        }

        return figures;
    }

    /// <summary>What <see cref="ReadFiguresAsync"/> read: conversations per day, heatmap cells, sentiment per day and the range's totals.</summary>
    private sealed class Figures
    {
        public Dictionary<DateOnly, DayVolume> Days { get; } = [];

        public List<HeatCell> Heat { get; } = [];

        public List<SentimentPoint> Sentiment { get; } = [];

        public (int Conversations, int Calls, int Chats, int Texts, OutcomeFunnel Funnel, int? Handle, long Tenths, int Bookings, long Revenue, int AfterHours) Total { get; set; }
            = (0, 0, 0, 0, new OutcomeFunnel(0, 0, 0, 0, 0), null, 0, 0, 0, 0);
    }

    private static void AddParameters(NpgsqlParameterCollection parameters, Guid? tenantId, AnalyticsQuery query)
    {
        var from = query.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var to = query.To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Uuid) { Value = tenantId is { } t ? t : DBNull.Value });
        parameters.Add(new NpgsqlParameter("channel", NpgsqlDbType.Text) { Value = query.Channel is { } c ? c.ToString() : DBNull.Value });
        parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Timestamp) { Value = from });
        parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.Timestamp) { Value = to });
        // Every time zone is within a day of UTC: these bounds hold every local start in [from, to).
        parameters.Add(new NpgsqlParameter("lo", NpgsqlDbType.TimestampTz) { Value = new DateTimeOffset(from, TimeSpan.Zero).AddDays(-1) });
        parameters.Add(new NpgsqlParameter("hi", NpgsqlDbType.TimestampTz) { Value = new DateTimeOffset(to, TimeSpan.Zero).AddDays(1) });
    }
}
