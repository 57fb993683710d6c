using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Conversations;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Brain.Ask;

/// <summary>
/// "Ask your data": a question becomes a <see cref="QueryPlan"/> — by a language model's structured output
/// (<see cref="IAskModel"/>) when one is configured, else or when the model fails or its plan is invalid by the offline
/// <see cref="QuestionParser"/> — is validated against the <see cref="AskCatalogue"/>, compiled to parameterised SQL
/// (<see cref="AskSqlCompiler"/>) and run in a read-only transaction with a statement timeout, as the <c>portal_brain</c>
/// role (SELECT on the <c>brain</c> views only) with <c>app.tenant_id</c> set for the views' tenant predicate. The answer is
/// a sentence, a table, a chart kind, the plan in words and who read the question; each question is recorded
/// (<see cref="AskQuestion"/>) with the model call's tokens and cost.
/// </summary>
public sealed class AskService(
    NpgsqlDataSource dataSource,
    IDbContextFactory<PortalDbContext> contextFactory,
    ITenantContext tenantContext,
    TimeProvider timeProvider,
    IEnumerable<IAskModel> models,
    ILogger<AskService> logger)
{
    /// <summary>The PostgreSQL role questions run as.</summary>
    public const string Role = "portal_brain";

    /// <summary>Statement timeout of a question's query, ms.</summary>
    public const int StatementTimeoutMs = 3000;

    private readonly IAskModel? _model = models.FirstOrDefault();

    /// <summary>Answers <paramref name="question"/> for the current tenant, "today" being the business's local date now.</summary>
    public async Task<AskAnswer> AskAsync(string question, CancellationToken cancellationToken)
    {
        var (zoneId, zone) = await ZoneAsync(cancellationToken);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), zone).DateTime);
        return await AskAsync(question, today, zoneId, cancellationToken);
    }

    /// <summary>Answers <paramref name="question"/> for the current tenant as if the business's local date were <paramref name="today"/>.</summary>
    /// <exception cref="InvalidOperationException">No tenant is selected.</exception>
    public async Task<AskAnswer> AskAsync(string question, DateOnly today, CancellationToken cancellationToken) =>
        await AskAsync(question, today, null, cancellationToken);

    private async Task<AskAnswer> AskAsync(string question, DateOnly today, string? zoneId, CancellationToken cancellationToken)
    {
        question ??= "";
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("No business is selected.");
        AskModelReading? reading = null;
        string? modelProblem = null;
        if (_model is not null && await _model.IsConfiguredAsync(cancellationToken))
        {
            zoneId ??= (await ZoneAsync(cancellationToken)).Id;
            reading = await _model.ReadAsync(new AskModelInput(question, today, zoneId, await ServiceNamesAsync(cancellationToken)), cancellationToken);
            modelProblem = reading.Problem ?? (reading.Plan is null ? "no plan" : AskCatalogue.Validate(reading.Plan) is { } invalid ? "its plan was refused: " + invalid : null);
            if (modelProblem is not null)
            {
                logger.LogWarning("The model's reading of a question was set aside ({Problem}); the grammar reads it", modelProblem);
            }
        }

        AskAnswer answer;
        if (reading?.Plan is { } modelPlan && modelProblem is null)
        {
            answer = await RunAsync(modelPlan, cancellationToken) with { ReadBy = AskReaders.Model };
        }
        else if (QuestionParser.Parse(question, today) is { } plan)
        {
            answer = await RunAsync(plan, cancellationToken);
        }
        else
        {
            answer = Unanswered("I can't answer that yet. " + AskCatalogue.Capabilities);
        }

        answer = answer with { ReadBy = answer.Answered ? answer.ReadBy : AskReaders.None, Model = reading?.Usage?.Model, ModelProblem = modelProblem };
        await RecordAsync(tenantId, question, answer, reading?.Usage, cancellationToken);
        return answer;
    }

    private async Task RecordAsync(Guid tenantId, string question, AskAnswer answer, TurnUsage? usage, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.AskQuestions.Add(new AskQuestion
        {
            TenantId = tenantId,
            Question = question.Length > AskQuestion.QuestionMaxLength ? question[..AskQuestion.QuestionMaxLength] : question,
            ReadBy = answer.ReadBy,
            Answered = answer.Answered,
            ModelProblem = answer.ModelProblem is { Length: > AskQuestion.ModelProblemMaxLength } p ? p[..AskQuestion.ModelProblemMaxLength] : answer.ModelProblem,
            Model = usage?.Model,
            InputTokens = usage?.InputTokens,
            OutputTokens = usage?.OutputTokens,
            CostMicroUsd = usage?.CostMicroUsd,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<string>> ServiceNamesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Services.AsNoTracking().OrderBy(s => s.Name).Select(s => s.Name).Take(100).ToListAsync(cancellationToken);
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
        // Custom plans only: the best plan depends on the range (a week reads an index, a year the table), and a generic plan
        // of an auto-prepared statement cannot see it (docs/benchmarks.md, "Brain: analytics and ask-your-data").
        await using (var begin = new NpgsqlCommand(
            $"BEGIN TRANSACTION READ ONLY; SET LOCAL statement_timeout = {StatementTimeoutMs}; SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL ROLE {Role}; SELECT set_config('app.tenant_id', @t, true);", connection))
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

    private async Task<(string Id, TimeZoneInfo Zone)> ZoneAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var id = await db.Tenants.AsNoTracking().Select(t => t.TimeZoneId).FirstOrDefaultAsync(cancellationToken);
        return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? (id, zone) : ("UTC", TimeZoneInfo.Utc);
    }

    private static AskAnswer Unanswered(string sentence) => new(false, sentence, null, "", "", "", [], "none", AskReaders.None);

    /// <summary>The plan as indented JSON (the "how I got this" details).</summary>
    public static string ToJson(QueryPlan plan) => JsonSerializer.Serialize(plan, new JsonSerializerOptions { WriteIndented = true });
}
