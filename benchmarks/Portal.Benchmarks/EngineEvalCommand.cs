using Portal.Domain.Tests.EngineEval;

namespace Portal.Benchmarks;

/// <summary>
/// <c>--engine-eval</c>: plays the conversation suite (tests/Portal.Domain.Tests/eval/conversation-suite.jsonl) and the
/// real STAR dialogues (eval/star-dialogues.jsonl) through the offline engine and prints one table: intent accuracy, slot
/// accuracy, bookings right, wrong-slot and false bookings, loops. <c>--verbose</c> adds every failed case with its transcript.
/// </summary>
internal static class EngineEvalCommand
{
    public static async Task<int> RunAsync(string? evalDirectory, bool verbose)
    {
        var directory = evalDirectory ?? FindEvalDirectory();
        if (directory is null)
        {
            await Console.Error.WriteLineAsync("tests/Portal.Domain.Tests/eval not found; pass --eval-dir <path>.");
            return 2;
        }

        var results = new List<CaseResult>();
        foreach (var suiteCase in SuiteCase.Load(Path.Combine(directory, "conversation-suite.jsonl")))
        {
            results.Add(await EngineEvalRunner.RunAsync(suiteCase, CancellationToken.None));
        }

        foreach (var dialogue in StarEval.Bookable(StarEval.Load(Path.Combine(directory, "star-dialogues.jsonl"))))
        {
            results.Add(await StarEval.RunAsync(dialogue, CancellationToken.None));
        }

        Console.WriteLine(EvalReport.Format(results));
        foreach (var failed in results.Where(r => !r.Passed))
        {
            Console.WriteLine($"FAIL {failed.Id} ({failed.Class}): {string.Join("; ", failed.Failures)}");
            if (verbose)
            {
                Console.WriteLine(failed.Transcript);
            }
        }

        return 0;
    }

    /// <summary>Walks up from the working directory and the binary's directory to tests/Portal.Domain.Tests/eval.</summary>
    private static string? FindEvalDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "Portal.Domain.Tests", "eval");
                if (File.Exists(Path.Combine(candidate, "conversation-suite.jsonl")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
