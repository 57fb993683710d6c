using Npgsql;
using NpgsqlTypes;
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
        await using (var setup = new NpgsqlCommand($"SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {StatementTimeoutMs}", connection, transaction))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var sql in new[]
        {
            AnalyticsSql.Zone, AnalyticsSql.PerDay, AnalyticsSql.Heatmap, AnalyticsSql.Summary, AnalyticsSql.Revenue, AnalyticsSql.AfterHours,
            AnalyticsSql.Intents, AnalyticsSql.Unanswered, AnalyticsSql.Sentiment, AnalyticsSql.Latency,
        })
        {
            var command = new NpgsqlBatchCommand(sql);
            AddParameters(command.Parameters, tenantId, query);
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        string zone = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : "each business's own time zone";

        await reader.NextResultAsync(cancellationToken);
        var days = new Dictionary<DateOnly, DayVolume>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var date = reader.GetFieldValue<DateOnly>(0);
            days[date] = new DayVolume(date, reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
        }

        var perDay = Enumerable.Range(0, query.To.DayNumber - query.From.DayNumber + 1)
            .Select(i => query.From.AddDays(i)).Select(d => days.GetValueOrDefault(d) ?? new DayVolume(d, 0, 0, 0)).ToList();

        await reader.NextResultAsync(cancellationToken);
        var heat = new List<HeatCell>();
        while (await reader.ReadAsync(cancellationToken))
        {
            heat.Add(new HeatCell(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        int conversations = reader.GetInt32(0), calls = reader.GetInt32(1), chats = reader.GetInt32(2), texts = reader.GetInt32(3);
        var funnel = new OutcomeFunnel(conversations, reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7));
        int? handle = reader.IsDBNull(8) ? null : reader.GetInt32(8);
        long tenths = reader.GetInt64(9);

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        int bookings = reader.GetInt32(0);
        long revenue = reader.GetInt64(1);

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        int afterHours = reader.GetInt32(0);

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
        var sentiment = new List<SentimentPoint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            sentiment.Add(new SentimentPoint(reader.GetFieldValue<DateOnly>(0), reader.GetDouble(1), reader.GetInt32(2)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var latency = new LatencyStats(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetDouble(1), reader.IsDBNull(2) ? null : reader.GetDouble(2));

        double rate = conversations == 0 ? 0 : Math.Round(100.0 * funnel.Booked / conversations, 1, MidpointRounding.AwayFromZero);
        var summary = new AnalyticsSummary(conversations, calls, chats, texts, rate, bookings, revenue, afterHours, handle, tenths / 10m);
        return new AnalyticsReport(query, zone, summary, perDay, heat, funnel, intents, unanswered, sentiment, latency);
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
