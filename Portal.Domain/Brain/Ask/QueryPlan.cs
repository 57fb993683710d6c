namespace Portal.Domain.Brain.Ask;

/// <summary>A half-open range of the business's local dates, [From, To).</summary>
/// <param name="From">First local date included.</param>
/// <param name="To">First local date excluded.</param>
/// <param name="Label">How people say it ("last week", "November 2026").</param>
public sealed record DateRangePlan(DateOnly From, DateOnly To, string Label);

/// <summary>One filter of a plan: a catalogue filter key and its value.</summary>
/// <param name="Key">A key of <see cref="AskCatalogue.Filters"/> ("weekday", "channel", "outcome", "intent", "not_booked", "more_than").</param>
/// <param name="Value">The value as text (validated per filter: a weekday 1..7, a channel name, a number…).</param>
public sealed record PlanFilter(string Key, string Value);

/// <summary>
/// What the owner asked, as data: one metric over the tenant's data, optionally grouped by one dimension, filtered, in a
/// time range (optionally compared with a second one), ordered and limited. Produced by <see cref="QuestionParser"/> (or a
/// language model's structured output, never SQL), checked by <see cref="AskCatalogue.Validate"/>, compiled by
/// <see cref="AskSqlCompiler"/>. Serialised as JSON for "how I got this".
/// </summary>
/// <param name="Metric">A key of <see cref="AskCatalogue.Metrics"/>.</param>
/// <param name="Dimension">A key of <see cref="AskCatalogue.Dimensions"/>, or null for one number.</param>
/// <param name="Filters">Filters, all applied.</param>
/// <param name="Range">The time range.</param>
/// <param name="Compare">A second range to compare with ("November vs October"), or null.</param>
/// <param name="Descending">Order by the value, largest first (else by the dimension).</param>
/// <param name="Limit">Most rows, 1..100, or null for all (at most 100).</param>
public sealed record QueryPlan(
    string Metric, string? Dimension, IReadOnlyList<PlanFilter> Filters, DateRangePlan Range, DateRangePlan? Compare = null,
    bool Descending = false, int? Limit = null);

/// <summary>One row of an answer: the dimension's value (or the period for a single number) and the metric.</summary>
/// <param name="Label">Dimension value as shown ("Monday", "14:00", "Cleaning").</param>
/// <param name="Value">The metric's value.</param>
public sealed record AnswerRow(string Label, decimal Value);

/// <summary>The answer to a question.</summary>
/// <param name="Answered">False when the question could not be mapped to the catalogue.</param>
/// <param name="Sentence">The answer in words (or why it could not be answered and what can be).</param>
/// <param name="Plan">The plan run, or null when unanswered.</param>
/// <param name="Explanation">"How I got this": the plan in words.</param>
/// <param name="ColumnLabel">Header of the dimension column.</param>
/// <param name="ValueLabel">Header of the value column.</param>
/// <param name="Rows">The table (one row for a single number).</param>
/// <param name="Chart">"bar", "line" or "none".</param>
/// <param name="ReadBy">Who read the question into the plan: <see cref="AskReaders.Model"/>, <see cref="AskReaders.Grammar"/> or <see cref="AskReaders.None"/>.</param>
/// <param name="Model">The model id when a model was called, else null.</param>
/// <param name="ModelProblem">Why the model's reading was set aside (then the grammar read the question), else null.</param>
public sealed record AskAnswer(bool Answered, string Sentence, QueryPlan? Plan, string Explanation, string ColumnLabel, string ValueLabel,
    IReadOnlyList<AnswerRow> Rows, string Chart, string ReadBy = AskReaders.Grammar, string? Model = null, string? ModelProblem = null)
{
    /// <summary>"How I got this", first line: who read the question, and why a model's reading was set aside.</summary>
    public string HowRead => ReadBy switch
    {
        AskReaders.Model => $"The language model ({Model}) read your question into the plan below; the plan was checked against what can be asked before anything was read, and the model wrote no SQL.",
        AskReaders.Grammar when ModelProblem is not null => $"The language model's reading could not be used ({ModelProblem}), so the built-in question grammar read your question.",
        AskReaders.Grammar => "The built-in question grammar read your question.",
        _ => "Neither the language model nor the built-in grammar could map your question to what can be asked.",
    };

    /// <summary>The single number of a plan without a dimension, or the first row's value.</summary>
    public decimal? Scalar => Rows.Count > 0 ? Rows[0].Value : null;
}
