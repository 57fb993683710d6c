using System.Globalization;
using Portal.Fakes.Twilio;

namespace Portal.LoadDriver;

/// <summary>One latency or reliability target of the load run and whether the run met it.</summary>
/// <param name="Name">What is required.</param>
/// <param name="Met">True when met.</param>
/// <param name="Measured">The measured figure.</param>
public sealed record TargetCheck(string Name, bool Met, string Measured);

/// <summary>Prints a load run: a line per call, the summary figures and the targets (greeting and key-press p95 under 300 ms, no failed call, no underrun).</summary>
public static class LoadReport
{
    /// <summary>p95 bound of the greeting and of the key-press reply, ms.</summary>
    public const double LatencyTargetMs = 300;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Percentiles (nearest rank) p50/p95/p99/max of <paramref name="values"/>, or "none".</summary>
    /// <param name="values">Samples, ms.</param>
    /// <returns>E.g. <c>n 200: p50 41, p95 90, p99 120, max 180 ms</c>.</returns>
    public static string Percentiles(IReadOnlyCollection<double> values) =>
        values.Count == 0
            ? "none"
            : string.Create(Invariant, $"n {values.Count}: p50 {P(values, 50):0}, p95 {P(values, 95):0}, p99 {P(values, 99):0}, max {values.Max():0} ms");

    /// <summary>The greeting latencies (calls that got one).</summary>
    public static List<double> Greetings(LoadRunResult run) => [.. run.Calls.Where(c => c.GreetingMs is not null).Select(c => c.GreetingMs!.Value)];

    /// <summary>The key-press reply latencies (answered key presses).</summary>
    public static List<double> KeyPressReplies(LoadRunResult run) => Replies(run, r => r.IsKeyPress);

    /// <summary>The spoken-step reply latencies (answered lines).</summary>
    public static List<double> SpeechReplies(LoadRunResult run) => Replies(run, r => r.IsSpeech);

    /// <summary>
    /// Server memory growth per open call, KiB: (highest RSS during the run − RSS before the first call) / most calls open
    /// at once; null without samples. An upper bound (the growth includes caches and the GC heap's own expansion), and
    /// noisy on a server that already ran calls, whose GC keeps the heap it grew.
    /// </summary>
    public static double? MemoryPerCallKiB(LoadRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Server.Count < 2 || run.PeakActiveCalls == 0)
        {
            return null;
        }

        return (run.Server.Max(s => s.RssBytes) - run.Server[0].RssBytes) / 1024.0 / run.PeakActiveCalls;
    }

    /// <summary>The issue's targets against this run.</summary>
    public static IReadOnlyList<TargetCheck> Targets(LoadRunResult run)
    {
        int failed = run.Calls.Count(c => c.Error is not null);
        int underruns = run.Calls.Sum(c => c.Underruns);
        double? greeting = P(Greetings(run), 95);
        double? keys = P(KeyPressReplies(run), 95);
        var checks = new List<TargetCheck>
        {
            new("0 failed calls", failed == 0, failed.ToString(Invariant)),
            new("no audio underruns", underruns == 0, $"{underruns} in {run.Calls.Count(c => c.Underruns > 0)} calls"),
            new("greeting p95 < 300 ms after start", greeting < LatencyTargetMs, Ms(greeting)),
        };
        if (run.Options.Script.Any(s => s.IsKeyPress))
        {
            checks.Add(new("key-press reply p95 < 300 ms", keys < LatencyTargetMs, Ms(keys)));
        }

        return checks;
    }

    /// <summary>Writes one line per call.</summary>
    public static void WriteCalls(TextWriter output, LoadRunResult run)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(run);
        foreach (var c in run.Calls)
        {
            var replies = string.Join(", ", c.Replies.Select(r => $"{r.Step} {Ms(r.LatencyMs)} ({r.AudioMs / 1000:0.0} s audio{(r.Underruns > 0 ? $", {r.Underruns} underruns" : "")})"));
            output.WriteLine(string.Create(Invariant,
                $"#{c.Index} {c.CallSid} {(c.Error is null ? "ok" : "FAILED: " + c.Error)} | webhook {Ms(c.WebhookMs)}, upgrade {Ms(c.ConnectMs)} | {replies} | underruns {c.Underruns} (mid-sentence {c.MidSentenceUnderruns}, between sentences {c.BetweenSentenceUnderruns}, {c.UnderrunMs:0} ms) | frames late {c.FramesLate}/{c.FramesReceived} (max {c.MaxLateMs:0} ms) | marks {c.MarksEchoed}, clears {c.Clears}, frames sent {c.FramesSent}{(c.InvalidMessages > 0 ? $", {c.InvalidMessages} unreadable messages" : "")}{(c.StatusCallbackError is { } s ? " | " + s : "")}"));
        }
    }

    /// <summary>Writes the summary figures and the targets.</summary>
    public static void WriteSummary(TextWriter output, LoadRunResult run)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(run);
        var calls = run.Calls;
        var failed = calls.Where(c => c.Error is not null).ToList();
        long frames = calls.Sum(c => c.FramesReceived);
        long late = calls.Sum(c => c.FramesLate);
        void Line(string text) => output.WriteLine(text);

        Line(string.Create(Invariant, $"Calls: {calls.Count} over a {run.Options.RampSeconds:0.#} s ramp, run {run.DurationMs / 1000:0.0} s; completed {calls.Count - failed.Count}, failed {failed.Count}; most on the line at once {run.PeakActiveCalls}"));
        foreach (var group in failed.GroupBy(c => Reason(c.Error!)).OrderByDescending(g => g.Count()))
        {
            Line($"  {group.Count()} × {group.Key}");
        }

        Line("Voice webhook (POST → TwiML):         " + Percentiles([.. calls.Where(c => c.WebhookMs is not null).Select(c => c.WebhookMs!.Value)]));
        Line("Media stream upgrade:                 " + Percentiles([.. calls.Where(c => c.ConnectMs is not null).Select(c => c.ConnectMs!.Value)]));
        Line("Greeting (start → first agent frame): " + Percentiles(Greetings(run)));
        Line("Spoken line → first agent frame:      " + Percentiles(SpeechReplies(run)));
        Line("Key press → first agent frame:        " + Percentiles(KeyPressReplies(run)));
        Line(string.Create(Invariant, $"Underruns: {calls.Sum(c => c.Underruns)} in {calls.Count(c => c.Underruns > 0)} of {calls.Count} calls (mid-sentence {calls.Sum(c => c.MidSentenceUnderruns)}, between sentences {calls.Sum(c => c.BetweenSentenceUnderruns)}), {calls.Sum(c => c.UnderrunMs) / 1000:0.0} s of silence"));
        var byStep = calls.SelectMany(c => c.Replies).GroupBy(r => r.Step).Select(g => $"{g.Key} {g.Sum(r => r.Underruns)}");
        Line("  underruns by answer: " + string.Join(", ", byStep));
        Line(string.Create(Invariant, $"Frames late: {late} of {frames} agent frames ({(frames == 0 ? 0 : 100.0 * late / frames):0.00} %), worst {(calls.Count == 0 ? 0 : calls.Max(c => c.MaxLateMs)):0} ms; marks echoed {calls.Sum(c => c.MarksEchoed)}, clears {calls.Sum(c => c.Clears)}"));
        var status = calls.Where(c => c.StatusCallbackMs is not null).Select(c => c.StatusCallbackMs!.Value).ToList();
        if (run.Options.StatusCallback)
        {
            Line($"Status callbacks: {status.Count} answered ({Percentiles(status)}), {calls.Count(c => c.StatusCallbackError is not null)} failed");
        }

        WriteProcess(output, run.ServerPid is { } pid ? $"Server (pid {pid})" : "Server", run.Server, MemoryPerCallKiB(run));
        WriteProcess(output, "Driver", run.Driver, null);
        Line(string.Create(Invariant, $"Driver media clock: tick lateness {Percentiles([.. run.ClockLatenessMs])}; ticking took {run.ClockBusyMs / Math.Max(1, run.DurationMs * run.Options.ClockThreads) * 100:0.0} % of the clock threads' wall time"));
        double maxLoad = run.Server.Concat(run.Driver).Select(s => s.LoadAverage1).DefaultIfEmpty(0).Max();
        Line(string.Create(Invariant, $"Load average (1 min): {run.LoadAverageBefore:0.00} before, {maxLoad:0.00} at most during, {run.LoadAverageAfter:0.00} after ({Environment.ProcessorCount} cores)"));
        Line("Targets:");
        foreach (var t in Targets(run))
        {
            Line($"  [{(t.Met ? "met" : "NOT MET")}] {t.Name}: {t.Measured}");
        }
    }

    private static void WriteProcess(TextWriter output, string name, IReadOnlyList<ProcessSample> samples, double? perCallKiB)
    {
        if (samples.Count == 0)
        {
            output.WriteLine($"{name}: not sampled (no /proc entry; pass --server-pid or run on the server's machine)");
            return;
        }

        var busy = samples.Skip(1).ToList();
        double avgCpu = busy.Count == 0 ? 0 : busy.Average(s => s.CpuPercent);
        double peakCpu = busy.Count == 0 ? 0 : busy.Max(s => s.CpuPercent);
        double avgWait = busy.Count == 0 ? 0 : busy.Average(s => s.RunQueueWaitPercent);
        string db = samples.Any(s => s.DbConnections is not null) ? $", database connections at most {samples.Max(s => s.DbConnections ?? 0)}" : string.Empty;
        string perCall = perCallKiB is { } k ? string.Create(Invariant, $", {k:0} KiB per open call") : string.Empty;
        output.WriteLine(string.Create(Invariant,
            $"{name}: CPU {avgCpu:0} % of one core on average, {peakCpu:0} % at most (1 s samples), runnable but waiting for a CPU {avgWait:0} % on average; RSS {samples[0].RssBytes / 1048576.0:0} MiB before, {samples.Max(s => s.RssBytes) / 1048576.0:0} MiB at most{perCall}; threads at most {samples.Max(s => s.Threads)}{db}"));
    }

    private static List<double> Replies(LoadRunResult run, Func<ReplyResult, bool> which) =>
        [.. run.Calls.SelectMany(c => c.Replies).Where(r => which(r) && r.LatencyMs is not null).Select(r => r.LatencyMs!.Value)];

    private static double? P(IReadOnlyCollection<double> values, double percentile) => TwilioCallSimulator.Percentile(values, percentile);

    private static string Ms(double? value) => value is { } v ? v.ToString("0", Invariant) + " ms" : "none";

    /// <summary>The error without call-specific details (digits), so equal causes group together.</summary>
    private static string Reason(string error) => System.Text.RegularExpressions.Regex.Replace(error, "CA[0-9a-f]{32}", "CA…");
}
