using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Domain.Data;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Brain.Ask;

/// <summary>
/// "Ask your data": a question becomes a <see cref="QueryPlan"/> (<see cref="QuestionParser"/>), is validated against the
/// <see cref="AskCatalogue"/>, compiled to parameterised SQL (<see cref="AskSqlCompiler"/>) and run in a read-only
/// transaction with a statement timeout, as the <c>portal_brain</c> role (SELECT on the <c>brain</c> views only) with
/// <c>app.tenant_id</c> set for the views' tenant predicate. The answer is a sentence, a table, a chart kind and the
/// plan in words.
/// </summary>
public sealed class AskService(NpgsqlDataSource dataSource, IDbContextFactory<PortalDbContext> contextFactory, ITenantContext tenantContext, TimeProvider timeProvider)
{
    /// <summary>The PostgreSQL role questions run as.</summary>
    public const string Role = "portal_brain";

    /// <summary>Statement timeout of a question's query, ms.</summary>
    public const int StatementTimeoutMs = 3000;

    /// <summary>Answers <paramref name="question"/> for the current tenant, "today" being the business's local date now.</summary>
    public async Task<AskAnswer> AskAsync(string question, CancellationToken cancellationToken)
    {
        var zone = await ZoneAsync(cancellationToken);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), zone).DateTime);
        return await AskAsync(question, today, cancellationToken);
    }

    /// <summary>Answers <paramref name="question"/> for the current tenant as if the business's local date were <paramref name="today"/>.</summary>
    /// <exception cref="InvalidOperationException">No tenant is selected.</exception>
    public async Task<AskAnswer> AskAsync(string question, DateOnly today, CancellationToken cancellationToken)
    {
        var plan = QuestionParser.Parse(question ?? "", today);
        if (plan is null)
        {
            return Unanswered("I can't answer that yet. " + AskCatalogue.Capabilities);
        }

        return await RunAsync(plan, cancellationToken);
    }

    /// <summary>Runs a plan (from the parser or a model's structured output) for the current tenant; an invalid plan gets "I can't answer that yet".</summary>
    /// <exception cref="InvalidOperationException">No tenant is selected.</exception>
    public async Task<AskAnswer> RunAsync(QueryPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("No business is selected.");
        if (AskCatalogue.Validate(plan) is { } problem)
        {
            return Unanswered($"I can't answer that yet ({problem}). {AskCatalogue.Capabilities}");
        }

        var rows = new List<AnswerRow>();
        foreach (var range in plan.Compare is null ? [plan.Range] : new[] { plan.Range, plan.Compare })
        {
            var result = await QueryAsync(plan, range, tenantId, cancellationToken);
            rows.AddRange(plan.Compare is null ? result : [new AnswerRow(range.Label, result.FirstOrDefault()?.Value ?? 0)]);
        }

        return AskFormatter.Format(plan, rows);
    }

    private async Task<List<AnswerRow>> QueryAsync(QueryPlan plan, DateRangePlan range, Guid tenantId, CancellationToken cancellationToken)
    {
        var (sql, parameters) = AskSqlCompiler.Compile(plan, range, tenantId);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var begin = new NpgsqlCommand(
            $"BEGIN TRANSACTION READ ONLY; SET LOCAL statement_timeout = {StatementTimeoutMs}; SET LOCAL ROLE {Role}; SELECT set_config('app.tenant_id', @t, true);", connection))
        {
            begin.Parameters.AddWithValue("t", tenantId.ToString());
            await begin.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<AnswerRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                string label = reader.IsDBNull(0) ? "" : AskFormatter.Label(plan.Dimension, reader.GetValue(0));
                rows.Add(new AnswerRow(label, reader.IsDBNull(1) ? 0 : reader.GetDecimal(1)));
            }

            return rows;
        }
        finally
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task<TimeZoneInfo> ZoneAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var id = await db.Tenants.AsNoTracking().Select(t => t.TimeZoneId).FirstOrDefaultAsync(cancellationToken);
        return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    private static AskAnswer Unanswered(string sentence) => new(false, sentence, null, "", "", "", [], "none");

    /// <summary>The plan as indented JSON (the "how I got this" details).</summary>
    public static string ToJson(QueryPlan plan) => JsonSerializer.Serialize(plan, new JsonSerializerOptions { WriteIndented = true });
}
