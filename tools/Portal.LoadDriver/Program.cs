// Portal load driver: plays Twilio for N phone calls against a running Portal and prints per-call and summary figures.
//
//   dotnet run -c Release --project tools/Portal.LoadDriver -- --base-url http://127.0.0.1:5077 --calls 50 --ramp 10
//
// Each call: signed voice webhook → TwiML → signed Media Streams upgrade → connected/start → 20 ms caller frames in real
// time (silence, or a line pre-rendered by espeak-ng) → after the greeting, the script (default: a spoken question, then
// key 1 as a dtmf event) → stop → signed "completed" status callback. Marks are echoed when the agent's audio before them
// has played. The server's CPU, memory and database connections are read from /proc every second (--server-pid, or the
// process listening on the base URL's port). Exit code: 0 when every target was met, 1 when one was not, 2 for bad
// arguments. Runs are bounded: at most 2,000 calls and --max-seconds (default ramp + 240 s).
using System.Globalization;

namespace Portal.LoadDriver;

/// <summary>Command line of the load driver.</summary>
internal static class Program
{
    private const string Usage = """
        usage: Portal.LoadDriver --base-url URL [--to +E164] [--calls N] [--ramp SECONDS] [--script "say:…|dtmf:1"]
                                 [--auth-token TOKEN | --auth-token-file PATH] [--server-pid PID] [--db-port 5432]
                                 [--max-seconds S] [--quiet-ms 800] [--pause-ms 400] [--answer-timeout-ms 15000]
                                 [--clock-threads 2] [--voice en-us] [--no-status-callback] [--per-call] [--calls-out FILE]
        --to defaults to the demo business's number (+12125550100). The auth token comes from --auth-token,
        PORTAL_TWILIO_AUTH_TOKEN, --auth-token-file, or the keyless sandbox token file the app writes
        (<DataProtection:KeysPath or ~/.local/share/Portal>/twilio-sandbox-auth-token.txt).
        """;

    private static async Task<int> Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--no-status-callback" or "--per-call")
            {
                flags.Add(args[i][2..]);
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                map[args[i][2..]] = args[++i];
            }
            else
            {
                return Fail($"unexpected argument '{args[i]}'");
            }
        }

        if (!map.TryGetValue("base-url", out var baseText) || !Uri.TryCreate(baseText, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            return Fail("--base-url (http or https) is required.");
        }

        LoadOptions options;
        int? serverPid;
        int dbPort;
        try
        {
            int calls = Int(map, "calls", 10);
            options = new LoadOptions
            {
                BaseUrl = baseUrl,
                To = map.GetValueOrDefault("to") ?? "+12125550100",
                AuthToken = "unset",
                Calls = calls is >= 1 and <= LoadOptions.MaxCalls ? calls : throw new FormatException($"--calls must be 1..{LoadOptions.MaxCalls}."),
                RampSeconds = double.Parse(map.GetValueOrDefault("ramp") ?? "10", CultureInfo.InvariantCulture),
                Script = map.TryGetValue("script", out var s) ? ScriptStep.Parse(s) : LoadOptions.DefaultScript,
                CallerVoice = map.GetValueOrDefault("voice") ?? "en-us",
                QuietMs = Int(map, "quiet-ms", 800),
                PauseMs = Int(map, "pause-ms", 400),
                AnswerTimeoutMs = Int(map, "answer-timeout-ms", 15_000),
                ClockThreads = Int(map, "clock-threads", 2),
                StatusCallback = !flags.Contains("no-status-callback"),
            };
            options = options with { MaxRunSeconds = Int(map, "max-seconds", (int)options.RampSeconds + 240) };
            serverPid = map.ContainsKey("server-pid") ? Int(map, "server-pid", 0) : null;
            dbPort = Int(map, "db-port", 5432);
            if (options.RampSeconds < 0 || options.MaxRunSeconds < 1 || options.ClockThreads is < 1 or > 16)
            {
                throw new FormatException("--ramp must be ≥ 0, --max-seconds ≥ 1, --clock-threads 1..16.");
            }
        }
        catch (FormatException ex)
        {
            return Fail(ex.Message);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        string? token = await AuthTokens.ResolveAsync(map.GetValueOrDefault("auth-token"), map.GetValueOrDefault("auth-token-file"), baseUrl, http, Console.Out);
        if (token is null)
        {
            return Fail("no auth token: pass --auth-token or --auth-token-file (the keyless app writes twilio-sandbox-auth-token.txt on its first webhook).");
        }

        options = options with { AuthToken = token };
        int? pid = serverPid ?? ProcessSampler.FindListeningProcess(baseUrl.Port);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Calling {options.To} at {baseUrl} ×{options.Calls} over {options.RampSeconds:0.#} s, script: greeting | {string.Join(" | ", options.Script.Select(x => x.Label))}; server pid {pid?.ToString(CultureInfo.InvariantCulture) ?? "not found"}; load average {ProcessSampler.LoadAverage():0.00}; bounded to {options.MaxRunSeconds} s"));

        using var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        var run = await LoadRun.RunAsync(options, pid, dbPort, Console.WriteLine, interrupt.Token);
        Console.WriteLine();
        if (flags.Contains("per-call") || options.Calls <= 50)
        {
            LoadReport.WriteCalls(Console.Out, run);
        }
        else
        {
            LoadReport.WriteCalls(Console.Out, run with { Calls = [.. run.Calls.Where(c => c.Error is not null).Take(20)] });
        }

        if (map.TryGetValue("calls-out", out var file))
        {
            await using var writer = File.CreateText(file);
            LoadReport.WriteCalls(writer, run);
            Console.WriteLine($"(every call's line written to {file})");
        }

        Console.WriteLine();
        LoadReport.WriteSummary(Console.Out, run);
        return LoadReport.Targets(run).All(t => t.Met) ? 0 : 1;
    }

    private static int Int(Dictionary<string, string> map, string name, int fallback) =>
        map.TryGetValue(name, out var text)
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : throw new FormatException($"--{name} must be a whole number.")
            : fallback;

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
