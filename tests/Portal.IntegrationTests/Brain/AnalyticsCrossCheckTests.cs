using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Data.Entities;
using Portal.Domain.Brain.Analytics;

namespace Portal.IntegrationTests.Brain;

/// <summary>
/// Every figure of the analytics page (<see cref="AnalyticsService"/>) against an independent SQL count written here over the
/// seeded data of <see cref="AnalyticsFixture"/>: local dates through <c>timezone()</c> and <c>::date BETWEEN</c>, one
/// statement per figure, percentiles computed in C# from the raw latencies.
/// </summary>
public sealed class AnalyticsCrossCheckTests(AnalyticsFixture app) : IClassFixture<AnalyticsFixture>
{
    public static TheoryData<string, string, string?> Queries => new()
    {
        { "2026-10-20", "2026-12-06", null },
        { "2026-11-10", "2026-11-20", "Voice" },
        { "2026-12-01", "2026-12-06", "WebChat" },
        { "2026-11-01", "2026-11-30", null },
        { "2026-10-20", "2026-12-06", "Sms" },
    };

    // The conversations of a query, written independently of the service: the business's zone through timezone(), dates compared as dates.
    private const string Conv = """
        FROM conversations c JOIN tenants tz ON tz.id = c.tenant_id
        WHERE c.tenant_id = @tenant AND c.is_test = false
          AND timezone(tz.time_zone_id, c.started_at)::date BETWEEN @from AND @to
          AND (@channel::text IS NULL OR c.channel::text = @channel::text)
        """;

    private async Task<List<object?[]>> RowsAsync(string sql, Guid tenant, DateOnly from, DateOnly to, string? channel)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tenant", tenant);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.Add(new NpgsqlParameter("channel", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)channel ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private async Task<long> CountAsync(string sql, Guid tenant, DateOnly from, DateOnly to, string? channel) =>
        Convert.ToInt64((await RowsAsync(sql, tenant, from, to, channel))[0][0] ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

    private Task<AnalyticsReport> ReportAsync(Guid tenant, AnalyticsQuery query) =>
        app.InTenantAsync(tenant, sp => sp.GetRequiredService<AnalyticsService>().GetAsync(query, CancellationToken.None));

    /// <summary>A <c>date</c> column as the reader returns it untyped (a DateTime).</summary>
    private static DateOnly Date(object? value) => value is DateOnly d ? d : DateOnly.FromDateTime((DateTime)value!);

    private static double Percentile(List<int> sorted, double p)
    {
        double rank = p * (sorted.Count - 1);
        int low = (int)Math.Floor(rank), high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task EveryFigure_MatchesAnIndependentSqlCount(string fromText, string toText, string? channelText)
    {
        var (from, to) = (DateOnly.Parse(fromText, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(toText, System.Globalization.CultureInfo.InvariantCulture));
        var channel = channelText is null ? (Channel?)null : Enum.Parse<Channel>(channelText);
        var t = app.Tenant.TenantId;
        var report = await ReportAsync(t, new AnalyticsQuery(from, to, channel));
        Task<long> Count(string sql) => CountAsync(sql, t, from, to, channelText);

        // Headline figures.
        var s = report.Summary;
        Assert.True(s.Conversations > 0, "the seed must put conversations in every checked range");
        Assert.Equal(await Count("SELECT COUNT(*) " + Conv), s.Conversations);
        Assert.Equal(await Count("SELECT COUNT(*) " + Conv + " AND c.channel = 'Voice'"), s.Calls);
        Assert.Equal(await Count("SELECT COUNT(*) " + Conv + " AND c.channel = 'WebChat'"), s.Chats);
        Assert.Equal(await Count("SELECT COUNT(*) " + Conv + " AND c.channel = 'Sms'"), s.Texts);
        Assert.Equal(s.Conversations, s.Calls + s.Chats + s.Texts);
        long booked = await Count("SELECT COUNT(*) " + Conv + " AND c.outcome = 'Booked'");
        Assert.Equal(Math.Round(100.0 * booked / s.Conversations, 1, MidpointRounding.AwayFromZero), s.BookingRatePercent);
        Assert.Equal(await Count("SELECT COUNT(*) FROM bookings b WHERE b.status = 'Confirmed' AND b.conversation_id IN (SELECT c.id " + Conv + ")"), s.Bookings);
        Assert.Equal(await Count("""
            SELECT COALESCE(SUM(CASE WHEN b.price_cents IS NULL THEN (SELECT sv.price_cents FROM services sv WHERE sv.id = b.service_id) ELSE b.price_cents END), 0)
            FROM bookings b WHERE b.status = 'Confirmed' AND b.conversation_id IN (SELECT c.id
            """ + " " + Conv + ")"), s.RevenueCents);
        Assert.Equal(await Count("""
            SELECT COUNT(*) FROM (SELECT c.tenant_id, timezone(tz.time_zone_id, c.started_at) AS lt, c.channel, c.outcome
            """ + " " + Conv + """
            ) x WHERE x.channel = 'Voice' AND x.outcome <> 'Abandoned' AND x.outcome <> 'Failed'
              AND (x.lt::date IN (SELECT d.date FROM closed_dates d WHERE d.tenant_id = x.tenant_id)
                   OR (SELECT COUNT(*) FROM business_hours h WHERE h.tenant_id = x.tenant_id
                       AND h.day_of_week = trim(to_char(x.lt, 'Day')) AND h.opens <= x.lt::time AND x.lt::time < h.closes) = 0)
            """), s.AfterHoursCalls);
        var handle = (await RowsAsync("SELECT AVG(EXTRACT(EPOCH FROM (c.ended_at - c.started_at))) FILTER (WHERE c.duration_seconds IS NULL) , SUM(c.duration_seconds), COUNT(*) FILTER (WHERE c.ended_at IS NOT NULL), COUNT(*) FILTER (WHERE c.ended_at IS NOT NULL AND c.duration_seconds IS NULL), SUM(EXTRACT(EPOCH FROM (c.ended_at - c.started_at))) FILTER (WHERE c.duration_seconds IS NULL) " + Conv + " AND c.ended_at IS NOT NULL", t, from, to, channelText))[0];
        long endedCount = Convert.ToInt64(handle[2], System.Globalization.CultureInfo.InvariantCulture);
        double totalSeconds = Convert.ToDouble(handle[1] ?? 0L, System.Globalization.CultureInfo.InvariantCulture) + Convert.ToDouble(handle[4] ?? 0m, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(endedCount == 0 ? null : (int)Math.Round(totalSeconds / endedCount, MidpointRounding.AwayFromZero), s.AverageHandleSeconds);
        var callSeconds = (await RowsAsync("SELECT COALESCE(c.duration_seconds, CEIL(EXTRACT(EPOCH FROM (c.ended_at - c.started_at)))::int) " + Conv + " AND c.channel = 'Voice' AND c.ended_at IS NOT NULL", t, from, to, channelText))
            .Select(r => Convert.ToInt32(r[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(callSeconds.Sum(sec => sec <= 0 ? 0 : (sec + 5) / 6) / 10m, s.MinutesUsed);

        // Conversations per day: every date of the range, zeros included.
        var perDay = (await RowsAsync("SELECT timezone(tz.time_zone_id, c.started_at)::date, c.channel, COUNT(*) " + Conv + " GROUP BY 1, 2", t, from, to, channelText))
            .ToDictionary(r => (Date(r[0]), (string)r[1]!), r => Convert.ToInt32(r[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(to.DayNumber - from.DayNumber + 1, report.PerDay.Count);
        foreach (var day in report.PerDay)
        {
            Assert.Equal(perDay.GetValueOrDefault((day.Date, "Voice")), day.Calls);
            Assert.Equal(perDay.GetValueOrDefault((day.Date, "WebChat")), day.Chats);
            Assert.Equal(perDay.GetValueOrDefault((day.Date, "Sms")), day.Texts);
        }

        // Weekday × hour.
        var heat = (await RowsAsync("SELECT date_part('isodow', timezone(tz.time_zone_id, c.started_at)), date_part('hour', timezone(tz.time_zone_id, c.started_at)), COUNT(*) " + Conv + " GROUP BY 1, 2", t, from, to, channelText))
            .ToDictionary(r => ((int)Convert.ToDouble(r[0], System.Globalization.CultureInfo.InvariantCulture), (int)Convert.ToDouble(r[1], System.Globalization.CultureInfo.InvariantCulture)), r => Convert.ToInt32(r[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(heat.OrderBy(h => h.Key).Select(h => (h.Key.Item1, h.Key.Item2, h.Value)), report.Heatmap.OrderBy(h => (h.Weekday, h.Hour)).Select(h => (h.Weekday, h.Hour, h.Count)));
        Assert.Equal(s.Conversations, report.Heatmap.Sum(h => h.Count));

        // Funnel.
        const string Answered = " AND c.outcome NOT IN ('Abandoned', 'Failed')";
        const string Offered = "(c.outcome = 'Booked' OR c.state->>'proposedStart' IS NOT NULL OR COALESCE(jsonb_array_length(c.state->'offered'), 0) > 0)";
        const string Asked = "(c.id IN (SELECT tu.conversation_id FROM turns tu WHERE tu.speaker = 'Customer' AND tu.intent IN ('Book', 'Reschedule', 'Services')) " +
                             "OR c.id IN (SELECT ci.conversation_id FROM conversation_insights ci, unnest(ci.intents) k WHERE k IN ('book', 'reschedule', 'services', 'price')) OR " + Offered + ")";
        Assert.Equal(new OutcomeFunnel(s.Conversations,
            (int)await Count("SELECT COUNT(*) " + Conv + Answered),
            (int)await Count("SELECT COUNT(*) " + Conv + Answered + " AND " + Asked),
            (int)await Count("SELECT COUNT(*) " + Conv + Answered + " AND " + Offered),
            (int)booked), report.Funnel);
        Assert.True(report.Funnel.Answered >= report.Funnel.AskedAboutService && report.Funnel.AskedAboutService >= report.Funnel.OfferedSlot && report.Funnel.OfferedSlot >= report.Funnel.Booked);

        // Top intents.
        var intents = (await RowsAsync("SELECT k, COUNT(*) FROM conversation_insights ci, unnest(ci.intents) k WHERE ci.conversation_id IN (SELECT c.id " + Conv + ") GROUP BY k", t, from, to, channelText))
            .Select(r => ((string)r[0]!, Convert.ToInt32(r[1], System.Globalization.CultureInfo.InvariantCulture))).OrderByDescending(x => x.Item2).ThenBy(x => x.Item1, StringComparer.Ordinal).Take(10);
        Assert.Equal(intents, report.TopIntents.Select(i => (i.Key, i.Count)));

        // Sentiment per day.
        var sentiment = (await RowsAsync("SELECT timezone(tz.time_zone_id, c.started_at)::date, ROUND(AVG(ci.sentiment)::numeric, 3), COUNT(*) FROM conversation_insights ci JOIN conversations c ON c.id = ci.conversation_id JOIN tenants tz ON tz.id = c.tenant_id WHERE c.id IN (SELECT c.id " + Conv + ") GROUP BY 1 ORDER BY 1", t, from, to, channelText));
        Assert.Equal(sentiment.Count, report.Sentiment.Count);
        foreach (var (row, point) in sentiment.Zip(report.Sentiment))
        {
            Assert.Equal(Date(row[0]), point.Date);
            Assert.Equal((double)(decimal)row[1]!, point.Average, 6);
            Assert.Equal(Convert.ToInt32(row[2], System.Globalization.CultureInfo.InvariantCulture), point.Conversations);
        }

        // Agent reply latency, percentiles computed here.
        var latencies = (await RowsAsync("SELECT tu.latency_ms FROM turns tu WHERE tu.speaker = 'Agent' AND tu.latency_ms IS NOT NULL AND tu.conversation_id IN (SELECT c.id " + Conv + ")", t, from, to, channelText))
            .Select(r => (int)r[0]!).Order().ToList();
        Assert.Equal(latencies.Count, report.Latency.Turns);
        Assert.True(latencies.Count > 0);
        Assert.Equal(Percentile(latencies, 0.5), report.Latency.P50Ms!.Value, 6);
        Assert.Equal(Percentile(latencies, 0.95), report.Latency.P95Ms!.Value, 6);

        // Top unanswered questions: open gaps last asked in the range, most asked first.
        var gaps = (await RowsAsync("SELECT g.id, g.count FROM knowledge_gaps g JOIN tenants tz ON tz.id = g.tenant_id WHERE g.tenant_id = @tenant AND NOT g.resolved AND timezone(tz.time_zone_id, g.last_asked_at)::date BETWEEN @from AND @to ORDER BY g.count DESC, g.last_asked_at DESC LIMIT 10", t, from, to, channelText))
            .Select(r => (Guid)r[0]!).ToList();
        Assert.Equal(gaps, report.TopUnanswered.Select(q => q.GapId));
    }

    [Fact]
    public async Task AnotherBusiness_NeverCountsInTheOwnersFigures()
    {
        var query = new AnalyticsQuery(new DateOnly(2026, 10, 20), new DateOnly(2026, 12, 6));
        var mine = await ReportAsync(app.Tenant.TenantId, query);
        var theirs = await ReportAsync(app.Other.TenantId, query);
        Task<long> Count(Guid tenant) => CountAsync("SELECT COUNT(*) " + Conv, tenant, query.From, query.To, null);

        Assert.Equal(await Count(app.Tenant.TenantId), mine.Summary.Conversations);
        Assert.Equal(await Count(app.Other.TenantId), theirs.Summary.Conversations);
        Assert.All(mine.TopUnanswered, q => Assert.Equal(app.Tenant.TenantId, q.TenantId));
        Assert.DoesNotContain(mine.TopUnanswered, q => q.Question.StartsWith("Other Dental", StringComparison.Ordinal));
        Assert.Equal("America/Los_Angeles", theirs.TimeZoneLabel);
    }

    [Fact]
    public async Task Admin_SeesEveryBusinessTogether_AndEachApart()
    {
        var query = new AnalyticsQuery(new DateOnly(2026, 10, 20), new DateOnly(2026, 12, 6));
        using var scope = app.Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<AnalyticsService>();
        var all = await service.GetForPlatformAsync(null, query, CancellationToken.None);
        var one = await service.GetForPlatformAsync(app.Other.TenantId, query, CancellationToken.None);
        var mine = await ReportAsync(app.Tenant.TenantId, query);
        var theirs = await ReportAsync(app.Other.TenantId, query);

        Assert.Equal(theirs.Summary, one.Summary);
        Assert.Equal(mine.Summary.Conversations + theirs.Summary.Conversations, all.Summary.Conversations);
        Assert.Equal(mine.Summary.RevenueCents + theirs.Summary.RevenueCents, all.Summary.RevenueCents);
        Assert.Equal(mine.Summary.AfterHoursCalls + theirs.Summary.AfterHoursCalls, all.Summary.AfterHoursCalls);
        Assert.Equal(mine.Funnel.Booked + theirs.Funnel.Booked, all.Funnel.Booked);
        Assert.Contains(all.TopUnanswered, q => q.TenantId == app.Other.TenantId);
        Assert.Contains(all.TopUnanswered, q => q.TenantId == app.Tenant.TenantId);
    }

    [Fact]
    public async Task AnInvalidRange_IsRefused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ReportAsync(app.Tenant.TenantId, new AnalyticsQuery(new DateOnly(2026, 12, 6), new DateOnly(2026, 12, 1))));
        Assert.Contains("end on or after", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvExport_IsTheTableBehindTheChart()
    {
        var query = new AnalyticsQuery(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), Channel.Voice);
        var report = await ReportAsync(app.Tenant.TenantId, query);

        var response = await app.OwnerClient.GetAsync("/api/v1/analytics/csv?table=daily&from=2026-11-01&to=2026-11-30&channel=Voice");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("date,calls,chats,texts,total", lines[0]);
        Assert.Equal(30 + 1, lines.Length);
        Assert.Equal(report.PerDay.Sum(d => d.Calls), lines.Skip(1).Sum(l => int.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("2026-11-01," + report.PerDay[0].Calls + ",0,0," + report.PerDay[0].Calls, lines[1]);
    }

    [Fact]
    public async Task CsvExport_FilteredToTexts_CountsOnlySmsConversations()
    {
        var query = new AnalyticsQuery(new DateOnly(2026, 10, 20), new DateOnly(2026, 12, 6), Channel.Sms);
        var report = await ReportAsync(app.Tenant.TenantId, query);
        var texts = await CountAsync("SELECT COUNT(*) " + Conv + " AND c.channel = 'Sms'", app.Tenant.TenantId, query.From, query.To, null);
        Assert.True(texts > 0, "the seed must hold text conversations");

        var csv = await app.OwnerClient.GetStringAsync("/api/v1/analytics/csv?table=summary&from=2026-10-20&to=2026-12-06&channel=Sms");

        Assert.Contains($"conversations,{texts}\r\n", csv, StringComparison.Ordinal);
        Assert.Contains($"texts,{texts}\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("calls,0\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("chats,0\r\n", csv, StringComparison.Ordinal);
        Assert.Equal(texts, report.Summary.Texts);
    }

    [Fact]
    public async Task CsvExport_OfUnansweredQuestions_KeepsOnlyTheOwnersAndDefusesFormulas()
    {
        var csv = await app.OwnerClient.GetStringAsync("/api/v1/analytics/csv?table=unanswered&from=2026-10-01&to=2026-12-06");

        Assert.StartsWith("business,question,times_asked,last_asked_local\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\") do you take, insurance?\"", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Other Dental", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("table=nope&from=2026-11-01&to=2026-11-30", "table")]
    [InlineData("table=daily&from=yesterday&to=2026-11-30", "from")]
    [InlineData("table=daily&from=2026-11-30&to=2026-11-01", "to")]
    [InlineData("table=daily&from=2026-11-01&to=2026-11-30&channel=Test", "channel")]
    public async Task CsvExport_BadInput_Is400NamingTheField(string queryString, string field)
    {
        var response = await app.OwnerClient.GetAsync("/api/v1/analytics/csv?" + queryString);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task AdminCsv_IsForbiddenToOwners_AndCoversEveryBusinessForTheAdmin()
    {
        const string Path = "/api/v1/admin/analytics/csv?table=summary&from=2026-10-20&to=2026-12-06";
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await app.OwnerClient.GetAsync(Path)).StatusCode);

        var csv = await app.AdminClient.GetStringAsync(Path);
        var query = new AnalyticsQuery(new DateOnly(2026, 10, 20), new DateOnly(2026, 12, 6));
        var total = (await ReportAsync(app.Tenant.TenantId, query)).Summary.Conversations + (await ReportAsync(app.Other.TenantId, query)).Summary.Conversations;
        Assert.Contains($"conversations,{total}\r\n", csv, StringComparison.Ordinal);
        var one = await app.AdminClient.GetStringAsync(Path + "&tenant=" + app.Other.TenantId);
        Assert.Contains($"conversations,{(await ReportAsync(app.Other.TenantId, query)).Summary.Conversations}\r\n", one, StringComparison.Ordinal);
    }
}
