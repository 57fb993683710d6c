using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Portal.Benchmarks;

// Portal benchmarks (see docs/benchmarks.md):
//   dotnet run -c Release --project benchmarks/Portal.Benchmarks -- --conversations 300 [--concurrency 8] [--warmup 30] [--faqs 200] [--db-stats] [--verbose]
//   dotnet run -c Release --project benchmarks/Portal.Benchmarks -- --bdn [BenchmarkDotNet arguments, e.g. --filter *]
//   dotnet run -c Release --project benchmarks/Portal.Benchmarks -- --pool 10000 [--iterations 50]   (admin number pool page query)
//   dotnet run -c Release --project benchmarks/Portal.Benchmarks -- --llm-overhead [--turns 2000] [--warmup 200]
//   dotnet run -c Release --project benchmarks/Portal.Benchmarks -- --retrieval-bench [--chunks 10000] [--queries 300] [--keep-database] [--minilm]
//   dotnet run -c Release --project benchmarks/Portal.Benchmarks -- --ingest-bench [--pages 100] [--runs 5]
//   dotnet run -c Release --project benchmarks/Portal.Benchmarks -- --engine-eval [--eval-dir tests/Portal.Domain.Tests/eval] [--verbose]
//   dotnet run -c Release --project benchmarks/Portal.Benchmarks -- --billing-bench [--calls 100000]   (meter events to the fake Stripe)
//   dotnet run -c Release --project benchmarks/Portal.Benchmarks -- --analytics-bench [--conversations 100000] [--iterations 20] [--database NAME]   (analytics page and ask_data; NAME: reuse a seeded database)
if (args.Contains("--bdn"))
{
    var bdnArgs = args.Where(a => a != "--bdn").ToArray();
    // In-process toolchain: no second copy of the solution is generated and built; the job is
    // shortened (3 warm-up, 15 measured iterations) to fit a 2-core machine's time budget.
    var config = DefaultConfig.Instance
        .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15).AsDefault())
        .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "portal-bdn"));
    BenchmarkRunner.Run<EngineBenchmarks>(config, bdnArgs);
    return 0;
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
        ? v
        : fallback;
}

if (args.Contains("--engine-eval"))
{
    var dirIndex = Array.IndexOf(args, "--eval-dir");
    return await EngineEvalCommand.RunAsync(dirIndex >= 0 && dirIndex + 1 < args.Length ? args[dirIndex + 1] : null, args.Contains("--verbose"));
}

if (args.Contains("--pool"))
{
    return await PoolBenchmark.RunAsync(Math.Max(1, Option("--pool", 10_000)), Math.Max(1, Option("--iterations", 50)));
}

if (args.Contains("--llm-overhead"))
{
    return await LlmOverhead.RunAsync(Math.Max(1, Option("--turns", 2000)), Option("--warmup", 200));
}

if (args.Contains("--retrieval-bench"))
{
    return await RetrievalBenchmark.RunAsync(Math.Max(1, Option("--chunks", 10_000)), Math.Max(20, Option("--queries", 300)), args.Contains("--keep-database"), args.Contains("--minilm"));
}

if (args.Contains("--billing-bench"))
{
    return await BillingBenchmark.RunAsync(Math.Max(1, Option("--calls", 100_000)));
}

if (args.Contains("--analytics-bench"))
{
    int reuseAt = Array.IndexOf(args, "--database");
    return await AnalyticsBenchmark.RunAsync(Math.Max(1, Option("--conversations", 100_000)), Math.Max(1, Option("--iterations", 20)), reuseAt >= 0 && reuseAt + 1 < args.Length ? args[reuseAt + 1] : null);
}

if (args.Contains("--ingest-bench"))
{
    return await IngestionBenchmark.RunAsync(Math.Max(1, Option("--pages", 100)), Math.Max(1, Option("--runs", 5)), args.Contains("--minilm"));
}

var options = new LoadOptions(
    Conversations: Option("--conversations", 300),
    Warmup: Option("--warmup", 30),
    Concurrency: Math.Max(1, Option("--concurrency", 1)),
    Faqs: Option("--faqs", 200),
    DbStats: args.Contains("--db-stats"),
    Verbose: args.Contains("--verbose"));
return await LoadDriver.RunAsync(options);
