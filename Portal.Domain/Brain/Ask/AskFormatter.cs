using System.Globalization;

namespace Portal.Domain.Brain.Ask;

/// <summary>Turns a plan's rows into the answer's sentence, labels, chart kind and "how I got this".</summary>
public static class AskFormatter
{
    private static readonly CultureInfo En = CultureInfo.InvariantCulture;

    /// <summary>A dimension value as shown: hour 14 → "14:00", ISO weekday 1 → "Monday", others as text.</summary>
    public static string Label(string? dimension, object value) => dimension switch
    {
        "hour" => string.Create(En, $"{Convert.ToInt32(value, En):00}:00"),
        "weekday" => ((DayOfWeek)(Convert.ToInt32(value, En) % 7)).ToString(),
        _ => Convert.ToString(value, En) ?? "",
    };

    /// <summary>A metric value in its format: "$1,250.00", "42.5%", "3 min 20 s", "0.35", "12".</summary>
    public static string Value(string metric, decimal value) => AskCatalogue.Metrics[metric].Format switch
    {
        "money" => value.ToString("$#,##0.00", En),
        "percent" => value.ToString("0.#", En) + "%",
        "seconds" => value >= 60 ? string.Create(En, $"{(int)value / 60} min {(int)value % 60} s") : string.Create(En, $"{value:0} s"),
        "score" => value.ToString("0.##", En),
        _ => value.ToString("#,##0", En),
    };

    /// <summary>The answer for <paramref name="plan"/> with its <paramref name="rows"/>.</summary>
    public static AskAnswer Format(QueryPlan plan, IReadOnlyList<AnswerRow> rows)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rows);
        var metric = AskCatalogue.Metrics[plan.Metric];
        string column = plan.Compare is not null ? "Period" : plan.Dimension is null ? "Period" : AskCatalogue.Dimensions[plan.Dimension].Label;
        string valueLabel = char.ToUpperInvariant(metric.Label[0]) + metric.Label[1..];
        string sentence;
        IReadOnlyList<AnswerRow> table = rows;
        string chart;
        if (plan.Compare is not null)
        {
            decimal a = rows[0].Value, b = rows[1].Value;
            string change = b == 0 ? "" : string.Create(En, $" ({(a - b) / b * 100:+0;-0;0}%)");
            sentence = $"{Cap(metric.Label)}: {Value(plan.Metric, a)} in {plan.Range.Label} against {Value(plan.Metric, b)} in {plan.Compare.Label}{change}.";
            chart = "bar";
        }
        else if (plan.Dimension is null)
        {
            decimal v = rows.Count > 0 ? rows[0].Value : 0;
            table = [new AnswerRow(plan.Range.Label, v)];
            sentence = $"{Cap(metric.Label)} {plan.Range.Label}{FilterWords(plan)}: {Value(plan.Metric, v)}.";
            chart = "none";
        }
        else if (rows.Count == 0)
        {
            sentence = $"No {metric.Label} {plan.Range.Label}{FilterWords(plan)}.";
            chart = "none";
        }
        else
        {
            var top = plan.Descending ? rows[0] : rows.MaxBy(r => r.Value)!;
            string dim = AskCatalogue.Dimensions[plan.Dimension].Label.ToLowerInvariant();
            sentence = plan.Limit == 1
                ? $"{top.Label} has the most {metric.Label} {plan.Range.Label}{FilterWords(plan)}: {Value(plan.Metric, top.Value)}."
                : $"{Cap(metric.Label)} by {dim} {plan.Range.Label}{FilterWords(plan)}: {rows.Count} {dim}{(rows.Count == 1 ? "" : "s")}, the most for {top.Label} ({Value(plan.Metric, top.Value)}).";
            chart = plan.Dimension is "day" or "month" ? "line" : "bar";
        }

        return new AskAnswer(true, sentence, plan, Explain(plan), column, valueLabel, table, chart);
    }

    /// <summary>"How I got this": the plan in words.</summary>
    public static string Explain(QueryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var metric = AskCatalogue.Metrics[plan.Metric];
        string source = metric.Source switch
        {
            AskSource.Bookings => "your bookings (by the date they were made)",
            AskSource.Messages => "the messages callers left",
            _ => "your calls and chats (test conversations left out)",
        };
        var parts = new List<string> { $"I took {source} from {plan.Range.From:MMM d, yyyy} up to {plan.Range.To.AddDays(-1):MMM d, yyyy} ({plan.Range.Label})" };
        if (plan.Compare is not null)
        {
            parts.Add($"and from {plan.Compare.From:MMM d, yyyy} up to {plan.Compare.To.AddDays(-1):MMM d, yyyy} ({plan.Compare.Label})");
        }

        if (plan.Filters.Count > 0)
        {
            parts.Add("kept only " + string.Join(" and ", plan.Filters.Select(FilterWord)));
        }

        parts.Add(plan.Dimension is null ? $"and worked out the {metric.Label}" : $"worked out the {metric.Label} for each {AskCatalogue.Dimensions[plan.Dimension].Label.ToLowerInvariant()}");
        if (plan.Dimension is not null)
        {
            parts.Add(plan.Descending ? "largest first" : "in order");
        }

        if (plan.Limit is { } limit)
        {
            parts.Add(string.Create(En, $"and kept the top {limit}"));
        }

        return string.Join(", ", parts) + ".";
    }

    private static string FilterWords(QueryPlan plan) =>
        plan.Filters.Count == 0 ? "" : " (" + string.Join(", ", plan.Filters.Select(FilterWord)) + ")";

    private static string FilterWord(PlanFilter f) => f.Key switch
    {
        "weekday" => "on " + (DayOfWeek)(int.Parse(f.Value, En) % 7) + "s",
        "channel" => f.Value == "Voice" ? "calls" : "chats",
        "outcome" => "outcome " + f.Value,
        "intent" => "who asked about " + Insights.InsightIntents.Label(f.Value).ToLowerInvariant(),
        "not_booked" => "those that did not book",
        "more_than" => "more than " + f.Value,
        _ => f.Key,
    };

    private static string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
