using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Portal.Domain.Brain.Ask;

/// <summary>
/// Compiles a validated <see cref="QueryPlan"/> to one parameterised SELECT over a <c>brain</c> view. Only catalogue
/// constants become SQL text; the tenant, the range and every filter value are parameters. The local range is exact
/// (<c>local_at</c>, the row's time in the business's zone). For conversations <c>local_at</c> is stored
/// (<c>conversations.local_started_at</c>) and indexed with the tenant, so the range itself narrows the scan; bookings and
/// messages compute it per row, so a slightly wider UTC range on <c>at_utc</c> lets PostgreSQL use their (tenant_id,
/// created_at) indexes instead of reading every row of the business. A conversation metric reads the insight columns
/// (sentiment, lead score, intents) only when it names them; otherwise PostgreSQL drops the view's insight join.
/// </summary>
public static class AskSqlCompiler
{
    /// <summary>Hours the UTC prefilter (<c>at_utc</c>) reaches past the local range on each side: more than any zone's offset.</summary>
    public const int UtcSlackHours = 15;

    /// <summary>The view of a source.</summary>
    public static string View(AskSource source) => source switch
    {
        AskSource.Conversations => "brain.v_conversations",
        AskSource.Bookings => "brain.v_bookings",
        _ => "brain.v_messages",
    };

    /// <summary>
    /// The SQL and parameters of <paramref name="plan"/> over <paramref name="range"/> for <paramref name="tenantId"/>.
    /// Throws <see cref="ArgumentException"/> when the plan does not pass <see cref="AskCatalogue.Validate"/>.
    /// </summary>
    public static (string Sql, List<NpgsqlParameter> Parameters) Compile(QueryPlan plan, DateRangePlan range, Guid tenantId)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(range);
        if (AskCatalogue.Validate(plan) is { } problem)
        {
            throw new ArgumentException(problem, nameof(plan));
        }

        var metric = AskCatalogue.Metrics[plan.Metric];
        var dimension = plan.Dimension is null ? null : AskCatalogue.Dimensions[plan.Dimension];
        var parameters = new List<NpgsqlParameter>
        {
            new("tenant", NpgsqlDbType.Uuid) { Value = tenantId },
            new("from", NpgsqlDbType.Timestamp) { Value = range.From.ToDateTime(TimeOnly.MinValue) },
            new("to", NpgsqlDbType.Timestamp) { Value = range.To.ToDateTime(TimeOnly.MinValue) },
        };
        if (metric.Source != AskSource.Conversations)
        {
            // UTC bounds wider than any zone's offset (UTC-12..UTC+14): they only let the (tenant, time) index narrow the scan.
            parameters.Add(new("lo", NpgsqlDbType.TimestampTz) { Value = new DateTimeOffset(range.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(-UtcSlackHours) });
            parameters.Add(new("hi", NpgsqlDbType.TimestampTz) { Value = new DateTimeOffset(range.To.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(UtcSlackHours) });
        }

        var sql = new StringBuilder("SELECT ")
            .Append(dimension is null ? "NULL::text" : dimension.Expression).Append(" AS label, (")
            .Append(metric.Aggregate).Append(")::numeric AS value FROM ").Append(View(metric.Source))
            .Append(" WHERE tenant_id = @tenant")
            .Append(metric.Source == AskSource.Conversations ? string.Empty : " AND at_utc >= @lo AND at_utc < @hi")
            .Append(" AND local_at >= @from AND local_at < @to");
        if (metric.Where is not null)
        {
            sql.Append(" AND (").Append(metric.Where).Append(')');
        }

        if (plan.Dimension == "caller")
        {
            sql.Append(" AND customer_phone IS NOT NULL");
        }

        string? having = null;
        for (int i = 0; i < plan.Filters.Count; i++)
        {
            var f = plan.Filters[i];
            string name = "f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            switch (f.Key)
            {
                case "weekday":
                    sql.Append(" AND EXTRACT(ISODOW FROM local_at) = @").Append(name);
                    parameters.Add(new(name, NpgsqlDbType.Integer) { Value = int.Parse(f.Value, System.Globalization.CultureInfo.InvariantCulture) });
                    break;
                case "channel":
                case "outcome":
                    sql.Append(" AND ").Append(f.Key).Append(" = @").Append(name);
                    parameters.Add(new(name, NpgsqlDbType.Text) { Value = f.Value });
                    break;
                case "intent":
                    sql.Append(" AND @").Append(name).Append(" = ANY(intents)");
                    parameters.Add(new(name, NpgsqlDbType.Text) { Value = f.Value });
                    break;
                case "not_booked":
                    sql.Append(" AND outcome <> 'Booked'");
                    break;
                case "more_than":
                    having = " HAVING COUNT(*) > @" + name;
                    parameters.Add(new(name, NpgsqlDbType.Integer) { Value = int.Parse(f.Value, System.Globalization.CultureInfo.InvariantCulture) });
                    break;
            }
        }

        if (dimension is not null)
        {
            sql.Append(" GROUP BY 1").Append(having).Append(plan.Descending ? " ORDER BY 2 DESC, 1" : " ORDER BY 1");
            sql.Append(" LIMIT @limit");
            parameters.Add(new("limit", NpgsqlDbType.Integer) { Value = plan.Limit ?? 100 });
        }

        return (sql.ToString(), parameters);
    }
}
