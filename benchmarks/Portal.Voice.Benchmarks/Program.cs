
using System.Globalization;
using Portal.Voice.Benchmarks;

// Call pipeline benchmark (docs/benchmarks.md, "Phone call pipeline"):
//   dotnet run -c Release --project benchmarks/Portal.Voice.Benchmarks -- [--calls 1,50,200] [--turns 5] [--inbound realtime|burst] [--breakdown]
//   dotnet run -c Release --project benchmarks/Portal.Voice.Benchmarks -- --wire-cost
//   dotnet run -c Release --project benchmarks/Portal.Voice.Benchmarks -- --asr-eval [--verbose] [--business-only] [--sentence-posterior] [--decoder "-lw 8"]
// Platform time per turn = the fake recognizer's final transcript in → first outbound media frame at the fake Twilio,
// with instant fake providers and an instant fake engine, over real loopback WebSockets; also the same up to the frame's
// bytes written to the server's socket (platform only), greeting start after `start`, outbound frame pacing jitter and
// managed memory per live call. --breakdown prints (to stderr) per-stage percentiles and process figures; --wire-cost
// the single-thread cost of each per-frame wire operation and of pacing 200 streams.
if (args.Contains("--asr-eval"))
{
    // Offline phone speech recognition (docs/benchmarks.md): WER and understanding, general vs business model.
    // --business-only skips the general model; --sentence-posterior uses the older confidence measure; --decoder "-lw 8"
    // appends pocketsphinx arguments (tuning).
    return await AsrEval.RunAsync(args.Contains("--verbose"), args.Contains("--business-only"), args.Contains("--sentence-posterior"), Option("--decoder", string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries));
}

if (args.Contains("--wire-cost"))
{
    await WireCost.RunAsync();
    return 0;
}

var calls = Option("--calls", "1,50,200").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
int turns = int.Parse(Option("--turns", "5"), CultureInfo.InvariantCulture);
bool breakdown = args.Contains("--breakdown");
bool realtime = Option("--inbound", "realtime") switch
{
    "realtime" => true,
    "burst" => false,
    var other => throw new ArgumentException($"--inbound must be realtime or burst, not '{other}'"),
};
Console.WriteLine($"Call pipeline benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {turns} turns per call, {(realtime ? "real-time" : "burst")} caller audio, " +
    $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, load average {LoadAverage()}");
// Warm-up (not reported): JIT-compiles the whole turn path once, as the first call after start-up does in production.
await CallLoad.RunAsync(2, 2);
Console.WriteLine("| Concurrent calls | Turns | Turn p50 ms | Turn p95 ms | Turn max ms | Written p95 ms | Greeting p50 ms | Greeting p95 ms | Jitter p99 ms | Memory per call KiB |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (int n in calls)
{
    var result = await CallLoad.RunAsync(n, turns, realtime);
    // Transcript → the first frame's bytes written to the server's socket: the platform alone, without the fake client's read.
    var written = result.Stages.Select(x => x.Take(4).Sum()).Where(x => !double.IsNaN(x)).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {n} | {result.Turns.Count} | {P(result.Turns, 50):0.00} | {P(result.Turns, 95):0.00} | {result.Turns.Max():0.00} | {P(written, 95):0.00} | {P(result.Greetings, 50):0.00} | {P(result.Greetings, 95):0.00} | {P(result.Jitter, 99):0.00} | {result.MemoryPerCallBytes / 1024.0:0} |"));
    if (breakdown)
    {
        Console.Error.WriteLine($"  {n} calls: {result.Process}");
        for (int s = 0; s < TurnProbe.Names.Length; s++)
        {
            var stage = result.Stages.Select(x => x[s]).Where(x => !double.IsNaN(x)).ToList();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {TurnProbe.Names[s],-20} p50 {P(stage, 50),7:0.00}  p95 {P(stage, 95),7:0.00}  max {(stage.Count > 0 ? stage.Max() : double.NaN),7:0.00} ms"));
        }
    }
}

return 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

string Option(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static double P(List<double> values, double percentile)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }

    var sorted = values.Order().ToArray();
    double rank = percentile / 100.0 * (sorted.Length - 1);
    int lo = (int)Math.Floor(rank);
    int hi = (int)Math.Ceiling(rank);
    return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
}

