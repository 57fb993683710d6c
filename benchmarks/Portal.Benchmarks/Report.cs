using System.Globalization;

namespace Portal.Benchmarks;

/// <summary>Latency statistics of a set of samples, in ms.</summary>
/// <param name="Count">Samples.</param>
/// <param name="Mean">Mean.</param>
/// <param name="P50">Median.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Maximum.</param>
public sealed record LatencyStats(int Count, double Mean, double P50, double P95, double P99, double Max)
{
    /// <summary>Statistics of <paramref name="values"/> (nearest-rank percentiles).</summary>
    public static LatencyStats Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new LatencyStats(0, 0, 0, 0, 0, 0);
        }

        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencyStats(sorted.Length, sorted.Average(), Rank(0.50), Rank(0.95), Rank(0.99), sorted[^1]);
    }
}

/// <summary>Prints the load driver's results as markdown tables.</summary>
public static class Report
{
    private static readonly string[] FamilyOrder = ["book", "name", "phone", "confirm", "hours", "price", "faq", "location", "goodbye"];

    /// <summary>Prints totals, the per-family breakdown, sanity counters and (with <c>--db-stats</c>) database commands per turn.</summary>
    public static void Print(LoadOptions options, LoadDriver.BatchResult run, IReadOnlyList<ConversationScript> measured, TimeSpan wall)
    {
        var samples = run.Samples.ToList();
        var all = LatencyStats.Of(samples.Select(s => s.Ms));
        Console.WriteLine();
        Console.WriteLine(F($"ProcessTurnAsync, {options.Conversations} conversations after {options.Warmup} warm-up, concurrency {options.Concurrency}, {options.Faqs} FAQs"));
        Console.WriteLine(F($"{samples.Count} turns in {wall.TotalSeconds:F1} s ({samples.Count / wall.TotalSeconds:F0} turns/s)"));
        Console.WriteLine(F($"Machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, load average {LoadAverage()}"));
        Console.WriteLine();
        Console.WriteLine("| family | turns | mean ms | p50 ms | p95 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Row("**all**", all);
        foreach (var group in samples.GroupBy(s => s.Family).OrderBy(g => Array.IndexOf(FamilyOrder, g.Key)))
        {
            Row(group.Key, LatencyStats.Of(group.Select(s => s.Ms)));
        }

        var booking = measured.Count(s => s.Books);
        var faqTurns = measured.Sum(s => s.Turns.Count(t => t.ExpectedAnswer is not null));
        Console.WriteLine();
        Console.WriteLine(F($"Sanity: {run.Booked}/{booking} booking conversations ended Booked; {run.FaqHits}/{faqTurns} FAQ turns quoted the expected answer; {run.NotUnderstood} question turns classified as intent None."));
        Console.WriteLine(F($"p95 target 10 ms: {(all.P95 < 10 ? "met" : "MISSED")} (p95 = {all.P95:F2} ms)."));

        if (options.DbStats)
        {
            Console.WriteLine();
            Console.WriteLine("Database commands per turn (EF Core CommandExecuted; time as EF Core measured it, round-trip included):");
            Console.WriteLine();
            Console.WriteLine("| family | commands/turn | connection opens/turn | DB ms/turn (mean) | turn ms (mean) | DB share |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            DbRow("**all**", samples);
            foreach (var group in samples.GroupBy(s => s.Family).OrderBy(g => Array.IndexOf(FamilyOrder, g.Key)))
            {
                DbRow(group.Key, group.ToList());
            }
        }
    }

    private static void Row(string name, LatencyStats s) =>
        Console.WriteLine(F($"| {name} | {s.Count} | {s.Mean:F2} | {s.P50:F2} | {s.P95:F2} | {s.P99:F2} | {s.Max:F2} |"));

    private static void DbRow(string name, List<TurnSample> samples)
    {
        var commands = samples.Average(s => s.Db?.Commands ?? 0);
        var opens = samples.Average(s => s.Db?.Opens ?? 0);
        var dbMs = samples.Average(s => s.Db?.CommandMs ?? 0);
        var turnMs = samples.Average(s => s.Ms);
        Console.WriteLine(F($"| {name} | {commands:F2} | {opens:F2} | {dbMs:F2} | {turnMs:F2} | {dbMs / turnMs:P0} |"));
    }

    /// <summary>1/5/15-minute load averages (Linux), so a busy machine shows in the figures.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
