using System.Globalization;
using System.Text;
using Portal.Domain.Brain.Ask;
using Portal.Domain.Brain.Insights;

namespace Portal.Llm.Ask;

/// <summary>
/// The instructions of the "ask your data" model call: what a <see cref="QueryPlan"/> means, the catalogue's metrics,
/// dimensions (and which metrics they fit) and filters with their values, the business's today, time zone and services.
/// Built from <see cref="AskCatalogue"/>, so the prompt names exactly what validation accepts.
/// </summary>
public static class AskPrompt
{
    private static readonly CultureInfo En = CultureInfo.InvariantCulture;

    /// <summary>The system message for <paramref name="input"/>.</summary>
    public static string System(AskModelInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = new StringBuilder()
            .Append("You turn a small business owner's question about their own data into a query plan. Answer only with JSON that follows the schema; never write SQL. ")
            .Append("The plan names one metric, optionally one dimension to group by, filters, a date range and optionally a second range to compare with.\n\n")
            .Append("Metrics (key: meaning; source):\n");
        foreach (var m in AskCatalogue.Metrics.Values)
        {
            text.Append(En, $"- {m.Key}: {m.Label}; {m.Source.ToString().ToLowerInvariant()}\n");
        }

        text.Append("\nDimensions (key: meaning; sources it fits):\n");
        foreach (var d in AskCatalogue.Dimensions.Values)
        {
            text.Append(En, $"- {d.Key}: {d.Label}; {string.Join(", ", d.Sources.Select(s => s.ToString().ToLowerInvariant()))}\n");
        }

        text.Append("\nFilters (key = value), all applied:\n")
            .Append("- weekday = 1..7 (1 Monday, 7 Sunday)\n")
            .Append(En, $"- channel = {string.Join(" or ", AskCatalogue.Channels)} (Voice is phone calls, WebChat the website chat); conversations only\n")
            .Append(En, $"- outcome = one of {string.Join(", ", AskCatalogue.Outcomes)}; conversations only\n")
            .Append(En, $"- intent = what the caller asked about, one of {string.Join(", ", InsightIntents.All)}; conversations only\n")
            .Append("- not_booked = true (conversations that did not book)\n")
            .Append("- more_than = N (only groups with more than N rows; needs a dimension, e.g. callers who called more than twice: dimension caller, more_than 2)\n\n")
            .Append("Dates are the business's local dates. range.from is the first day included and range.to the first day excluded (yyyy-MM-dd); ")
            .Append("range.label says it as people do (\"last week\", \"November 2026\", \"the last 30 days\"). Weeks start on Monday. ")
            .Append("When no time is named, use the last 365 days with label \"in the last year\". ")
            .Append("compare is a second range for \"X vs Y\" questions (then no dimension), else null. ")
            .Append("descending = true for \"most\", \"top\", \"busiest\"; limit = how many rows (1 for \"which … the most\"), else null. ")
            .Append("If the question cannot be answered with these metrics, dimensions and filters, set metric to \"unanswerable\".\n\n")
            .Append(En, $"Today is {input.Today.DayOfWeek}, {input.Today:yyyy-MM-dd}. Time zone: {input.TimeZoneId}.\n");
        if (input.ServiceNames.Count > 0)
        {
            text.Append("The business's services (values of the service dimension): ").Append(string.Join("; ", input.ServiceNames)).Append('\n');
        }

        return text.ToString();
    }
}
