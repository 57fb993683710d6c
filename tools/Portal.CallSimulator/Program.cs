// Portal call simulator: plays Twilio against a running Portal (TwilioCallSimulator in Portal.Fakes does the work).
//
//   dotnet run --project tools/Portal.CallSimulator -- --base-url http://127.0.0.1:5000 --to +12125550100 \
//       --auth-token <sandbox token shown on the admin telephony page> \
//       --script "I'd like a cleaning tomorrow at 3|My name is Ana Lee|yes" [--dtmf 0] [--out calls/] [--calls N]
//
// Script steps are separated by '|'; a step "dtmf:123" presses keys. --dtmf appends a key-press step at the end.
// Prints, per call, the greeting latency and each turn (what the caller said, latency from the end of its audio to
// the agent's first media frame, length of the answer, and what pocketsphinx heard when it is installed); saves the
// agent's audio as <out>/<CallSid>.wav; with --calls N runs N calls at once and prints p50/p95.
// Exit code: 0 when every call ran fully, 1 when one failed, 2 for bad arguments.
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Fakes.Twilio;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;

var args_ = ParseArgs(args);
if (args_ is null)
{
    Console.Error.WriteLine("""
        usage: Portal.CallSimulator --base-url URL --to +E164 --auth-token TOKEN --script "line|line|dtmf:1" [--from +E164]
                                    [--dtmf DIGITS] [--out DIR] [--calls N] [--voice en-us] [--no-listen]
        The auth token may also come from PORTAL_TWILIO_AUTH_TOKEN.
        """);
    return 2;
}

var opts = args_.Value;
var script = opts.Script.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
if (!string.IsNullOrWhiteSpace(opts.Dtmf))
{
    script.Add("dtmf:" + opts.Dtmf.Trim());
}

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
using var listener = new PocketsphinxSpeechToText(Options.Create(new PocketsphinxOptions()), NullLoggerFactory.Instance);
bool listen = opts.Listen && listener.IsAvailable;
if (opts.Listen && !listen)
{
    Console.WriteLine($"(agent speech is not transcribed: {listener.UnavailableReason})");
}

Console.WriteLine($"Calling {opts.To} at {opts.BaseUrl} ×{opts.Calls} with {script.Count} step(s)...");
var results = await Task.WhenAll(Enumerable.Range(0, opts.Calls).Select(_ => TwilioCallSimulator.RunAsync(new SimulatedCallOptions
{
    BaseUrl = opts.BaseUrl,
    To = opts.To,
    From = opts.From,
    AuthToken = opts.AuthToken,
    Script = script,
    CallerVoice = opts.Voice,
}, http, CancellationToken.None)));

foreach (var result in results)
{
    Console.WriteLine();
    Console.WriteLine($"Call {result.CallSid}: {(result.Error is null ? "completed" : "FAILED: " + result.Error)}");
    Console.WriteLine($"  greeting: {Ms(result.GreetingLatencyMs)} after start, {result.Greeting.Length / 8} ms of audio{await HeardAsync(result.Greeting)}");
    foreach (var turn in result.Turns)
    {
        Console.WriteLine($"  caller: {turn.Caller}");
        Console.WriteLine($"  agent:  {Ms(turn.LatencyMs)} latency, {turn.AgentAudioMs} ms of audio{await HeardAsync(turn.AgentAudio)}");
    }

    Console.WriteLine($"  marks echoed {result.MarksEchoed}, clears {result.ClearsReceived}, caller frames sent {result.MediaFramesSent}");
    if (opts.Out is { } dir && result.AgentAudio.Length > 0)
    {
        string path = Path.Combine(dir, result.CallSid + ".wav");
        result.SaveAgentWav(path);
        Console.WriteLine($"  agent audio saved to {path}");
    }
}

var latencies = results.SelectMany(r => r.Turns).Where(t => t.LatencyMs is not null).Select(t => t.LatencyMs!.Value).ToList();
var greetings = results.Where(r => r.GreetingLatencyMs is not null).Select(r => r.GreetingLatencyMs!.Value).ToList();
Console.WriteLine();
Console.WriteLine($"Turn latency (end of caller audio → first agent frame), {latencies.Count} turns: p50 {Ms(TwilioCallSimulator.Percentile(latencies, 50))}, p95 {Ms(TwilioCallSimulator.Percentile(latencies, 95))}");
Console.WriteLine($"Greeting latency (start → first agent frame), {greetings.Count} calls: p50 {Ms(TwilioCallSimulator.Percentile(greetings, 50))}, p95 {Ms(TwilioCallSimulator.Percentile(greetings, 95))}");
return results.All(r => r.Error is null) ? 0 : 1;

async Task<string> HeardAsync(byte[] ulaw)
{
    if (!listen || ulaw.Length < 1600)
    {
        return string.Empty;
    }

    var pcm = new short[ulaw.Length];
    MuLaw.Decode(ulaw, pcm);
    var heard = await listener.RecognizeAsync(pcm, 8000, CancellationToken.None);
    return $", heard \"{heard.Text}\"";
}

static string Ms(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) + " ms" : "no answer";

static SimulatorArgs? ParseArgs(string[] argv)
{
    var map = new Dictionary<string, string>(StringComparer.Ordinal);
    bool listenFlag = true;
    for (int i = 0; i < argv.Length; i++)
    {
        if (argv[i] == "--no-listen")
        {
            listenFlag = false;
        }
        else if (argv[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < argv.Length)
        {
            map[argv[i][2..]] = argv[++i];
        }
        else
        {
            Console.Error.WriteLine($"unexpected argument '{argv[i]}'");
            return null;
        }
    }

    string? token = map.GetValueOrDefault("auth-token") ?? Environment.GetEnvironmentVariable("PORTAL_TWILIO_AUTH_TOKEN");
    if (!map.TryGetValue("base-url", out var baseUrl) || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
        || !map.TryGetValue("to", out var to) || !to.StartsWith('+') || string.IsNullOrWhiteSpace(token))
    {
        Console.Error.WriteLine("--base-url (http/https), --to (+E164) and --auth-token are required.");
        return null;
    }

    int calls = 1;
    if (map.TryGetValue("calls", out var n) && (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out calls) || calls is < 1 or > 1000))
    {
        Console.Error.WriteLine("--calls must be 1..1000.");
        return null;
    }

    return new SimulatorArgs(uri, to, map.GetValueOrDefault("from") ?? "+14155550199", token, map.GetValueOrDefault("script") ?? string.Empty,
        map.GetValueOrDefault("dtmf"), map.GetValueOrDefault("out"), calls, map.GetValueOrDefault("voice") ?? "en-us", listenFlag);
}

/// <summary>Parsed command line.</summary>
internal readonly record struct SimulatorArgs(Uri BaseUrl, string To, string From, string AuthToken, string Script, string? Dtmf, string? Out, int Calls, string Voice, bool Listen);
