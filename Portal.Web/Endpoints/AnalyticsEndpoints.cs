using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Data.Entities;
using Portal.Domain.Brain.Analytics;

namespace Portal.Web.Endpoints;

/// <summary>
/// CSV export of the table behind each analytics chart (<see cref="AnalyticsCsv"/>): the owner's for the signed-in business,
/// the platform admin's for every business or one. Query: <c>table</c> (one of <see cref="AnalyticsCsv.Tables"/>),
/// <c>from</c> and <c>to</c> (local dates yyyy-MM-dd, inclusive), <c>channel</c> (Voice, WebChat or Sms, optional) and, for the
/// admin, <c>tenant</c> (optional). Bad input is a 400 validation problem naming the field.
/// </summary>
public static class AnalyticsEndpoints
{
    /// <summary>The owner's export route.</summary>
    public const string OwnerCsvRoute = "/api/v1/analytics/csv";

    /// <summary>The platform admin's export route.</summary>
    public const string AdminCsvRoute = "/api/v1/admin/analytics/csv";

    /// <summary>Maps the two export routes.</summary>
    public static IEndpointRouteBuilder MapAnalyticsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(OwnerCsvRoute, OwnerCsvAsync).WithTags("Analytics").RequireAuthorization(Policies.BusinessUser)
            .WithSummary("Export one analytics table as CSV")
            .WithDescription("table: summary, daily, heatmap, funnel, intents, unanswered, sentiment or latency; from, to: dates as yyyy-MM-dd; channel: Voice, WebChat or Sms (optional, all three when left out).")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        app.MapGet(AdminCsvRoute, AdminCsvAsync).WithTags("Analytics").RequireAuthorization(Policies.PlatformAdmin)
            .WithSummary("Export one platform analytics table as CSV (platform admins)")
            .WithDescription("As the owner's export, across every business or, with tenant, one.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        return app;
    }

    /// <summary>The export URL of <paramref name="query"/> (without <c>table</c>) on <paramref name="route"/>.</summary>
    public static string CsvUrl(string route, AnalyticsQuery query, Guid? tenantId)
    {
        ArgumentNullException.ThrowIfNull(query);
        var url = new StringBuilder(route)
            .Append("?from=").Append(query.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .Append("&to=").Append(query.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (query.Channel is { } channel)
        {
            url.Append("&channel=").Append(channel);
        }

        if (tenantId is { } tenant)
        {
            url.Append("&tenant=").Append(tenant);
        }

        return url.ToString();
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> OwnerCsvAsync(
        string? table, string? from, string? to, string? channel, AnalyticsService analytics, CancellationToken ct)
    {
        var (query, problems) = Parse(table, from, to, channel);
        if (query is null)
        {
            return TypedResults.ValidationProblem(problems);
        }

        return File(table!, query, await analytics.GetAsync(query, ct));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> AdminCsvAsync(
        string? table, string? from, string? to, string? channel, Guid? tenant, AnalyticsService analytics, CancellationToken ct)
    {
        var (query, problems) = Parse(table, from, to, channel);
        if (query is null)
        {
            return TypedResults.ValidationProblem(problems);
        }

        return File(table!, query, await analytics.GetForPlatformAsync(tenant, query, ct));
    }

    private static FileContentHttpResult File(string table, AnalyticsQuery query, AnalyticsReport report) =>
        TypedResults.File(Encoding.UTF8.GetBytes(AnalyticsCsv.Write(report, table)), "text/csv; charset=utf-8",
            $"analytics-{table}-{query.From:yyyy-MM-dd}-{query.To:yyyy-MM-dd}.csv");

    private static (AnalyticsQuery? Query, Dictionary<string, string[]> Problems) Parse(string? table, string? from, string? to, string? channel)
    {
        var problems = new Dictionary<string, string[]>();
        if (table is null || !AnalyticsCsv.Tables.Contains(table))
        {
            problems["table"] = [$"Pick one of: {string.Join(", ", AnalyticsCsv.Tables)}."];
        }

        if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
        {
            problems["from"] = ["A date as yyyy-MM-dd is required."];
        }

        if (!DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
        {
            problems["to"] = ["A date as yyyy-MM-dd is required."];
        }

        Channel? picked = null;
        if (!string.IsNullOrEmpty(channel))
        {
            if (channel is nameof(Channel.Voice) or nameof(Channel.WebChat) or nameof(Channel.Sms))
            {
                picked = Enum.Parse<Channel>(channel);
            }
            else
            {
                problems["channel"] = ["Voice, WebChat or Sms, or leave it out for all three."];
            }
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var query = new AnalyticsQuery(start, end, picked);
        if (query.Validate() is { } problem)
        {
            problems["to"] = [problem];
            return (null, problems);
        }

        return (query, problems);
    }
}
