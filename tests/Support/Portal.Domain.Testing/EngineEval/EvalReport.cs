using System.Globalization;
using System.Text;

namespace Portal.Domain.Tests.EngineEval;

/// <summary>
/// The one table of the engine eval: per failure class of the suite, the suite total, STAR, and everything together:
/// cases passed, intent accuracy, slot accuracy, bookings right, wrong-slot bookings, false bookings and loops.
/// </summary>
public static class EvalReport
{
    /// <summary>Formats <paramref name="results"/> as a Markdown table (classes in first-seen order, STAR last).</summary>
    public static string Format(IReadOnlyList<CaseResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| set | cases | passed | intent accuracy | slot accuracy | bookings right | wrong-slot bookings | false bookings | loops |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var suite = results.Where(r => r.Class != "star").ToList();
        foreach (var group in suite.GroupBy(r => r.Class))
        {
            Row(sb, group.Key, [.. group]);
        }

        Row(sb, "**suite total**", suite);
        Row(sb, "**STAR (real dialogues)**", [.. results.Where(r => r.Class == "star")]);
        Row(sb, "**all**", results);
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string label, IReadOnlyList<CaseResult> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var expecting = rows.Count(r => r.ExpectsBooking);
        sb.Append(CultureInfo.InvariantCulture, $"| {label} | {rows.Count} | {rows.Count(r => r.Passed)} ")
            .Append(CultureInfo.InvariantCulture, $"| {Share(rows.Sum(r => r.IntentHits), rows.Sum(r => r.IntentChecks))} ")
            .Append(CultureInfo.InvariantCulture, $"| {Share(rows.Sum(r => r.SlotHits), rows.Sum(r => r.SlotChecks))} ")
            .Append(CultureInfo.InvariantCulture, $"| {Share(rows.Count(r => r.BookedRight), expecting)} ")
            .Append(CultureInfo.InvariantCulture, $"| {rows.Count(r => r.WrongBooking)} | {rows.Sum(r => r.FalseBookings)} | {rows.Count(r => r.Loop)} |")
            .AppendLine();
    }

    private static string Share(int hits, int total) =>
        total == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{hits}/{total} ({100.0 * hits / total:0}%)");
}
