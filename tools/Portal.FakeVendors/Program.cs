// Portal fake vendors: runs FakeDeepgramServer (Portal.Fakes) as its own process on a fixed loopback port, answering
// every utterance of every connection with one fixed transcript. Commands: README.md beside this file.
//
//   dotnet tools/Portal.FakeVendors/bin/Release/net10.0/Portal.FakeVendors.dll [--deepgram-port 5099]
//       [--transcript "What are your opening hours?"] [--api-key KEY] [--instant] [--stats-seconds 10]
//
// Exit code: 0 after Ctrl+C or SIGTERM, 1 when the port cannot be bound, 2 for bad arguments.
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Portal.Fakes;

namespace Portal.FakeVendors;

/// <summary>Command line of the fake vendors process.</summary>
internal static class Program
{
    private const string Usage = """
        usage: Portal.FakeVendors [--deepgram-port 5099] [--transcript "What are your opening hours?"] [--api-key KEY]
                                  [--instant] [--stats-seconds 10]
        Runs the Deepgram live-streaming fake (/v1/listen) on ws://127.0.0.1:PORT until Ctrl+C or SIGTERM. Every
        utterance its voice-activity detector and endpointer find is answered with --transcript (no speech is decoded).
        --api-key changes the key it accepts (default: the fake's built-in key, printed at start). --instant sends the
        final result as soon as speech stops (no endpointing wait, no interim results). --stats-seconds prints a status
        line at that interval (0: never).
        """;

    private static async Task<int> Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var options = FakeVendorsOptions.Parse(args, out string? error);
        if (options is null)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        FakeDeepgramServer deepgram;
        try
        {
            deepgram = await FakeDeepgramServer.StartAsync(options.DeepgramPort);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"cannot listen on 127.0.0.1:{options.DeepgramPort}: {ex.Message}");
            return 1;
        }

        await using (deepgram)
        {
            deepgram.ApiKey = options.ApiKey ?? FakeDeepgramServer.DefaultApiKey;
            deepgram.Instant = options.Instant;
            string transcript = options.Transcript;
            deepgram.Script = (_, _) => transcript;

            using var stop = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

            Console.WriteLine($"Fake Deepgram listening on {deepgram.BaseUrl} (path /v1/listen){(options.Instant ? ", instant mode" : string.Empty)}");
            Console.WriteLine($"  accepts API key: {deepgram.ApiKey}");
            Console.WriteLine($"  answers every utterance with: \"{transcript}\"");
            Console.WriteLine("  configure Portal with:");
            Console.WriteLine("    Voice__SpeechToText__Provider=deepgram");
            Console.WriteLine($"    Voice__SpeechToText__Deepgram__BaseUrl={deepgram.BaseUrl.GetLeftPart(UriPartial.Authority)}");
            Console.WriteLine($"    Voice__SpeechToText__Deepgram__ApiKey={deepgram.ApiKey}");
            Console.WriteLine("Press Ctrl+C (or send SIGTERM) to stop.");

            var stats = new SessionStats();
            var interval = options.StatsSeconds > 0 ? TimeSpan.FromSeconds(options.StatsSeconds) : TimeSpan.FromSeconds(5);
            using var timer = new PeriodicTimer(interval);
            string last = string.Empty;
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    stats.Collect(deepgram);
                    string line = stats.Describe();
                    if (options.StatsSeconds > 0 && line != last)
                    {
                        Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} {line}");
                        last = line;
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM.
            }

            stats.Collect(deepgram);
            Console.WriteLine($"Stopping. {stats.Describe()}");

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true; // we stop ourselves, after the last status line
                stop.Cancel();
            }
        }

        return 0;
    }
}

/// <summary>Parsed command line of <see cref="Program"/>.</summary>
/// <param name="DeepgramPort">Port of the Deepgram fake on 127.0.0.1 (<c>--deepgram-port</c>, default 5099).</param>
/// <param name="Transcript">Transcript of every utterance (<c>--transcript</c>).</param>
/// <param name="ApiKey">API key the fake accepts (<c>--api-key</c>), or null for <see cref="FakeDeepgramServer.DefaultApiKey"/>.</param>
/// <param name="Instant">Final results as soon as speech stops (<c>--instant</c>, <see cref="FakeDeepgramServer.Instant"/>).</param>
/// <param name="StatsSeconds">Interval of the status line in seconds (<c>--stats-seconds</c>, default 10; 0: none).</param>
internal sealed record FakeVendorsOptions(int DeepgramPort, string Transcript, string? ApiKey, bool Instant, int StatsSeconds)
{
    /// <summary>Default port of the Deepgram fake.</summary>
    public const int DefaultDeepgramPort = 5099;

    /// <summary>Default transcript: the load driver's default spoken line.</summary>
    public const string DefaultTranscript = "What are your opening hours?";

    /// <summary>Parses the command line.</summary>
    /// <param name="args">Arguments.</param>
    /// <param name="error">Why they are invalid, when null is returned.</param>
    /// <returns>The options, or null when the arguments are invalid.</returns>
    public static FakeVendorsOptions? Parse(string[] args, out string? error)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        bool instant = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--instant")
            {
                instant = true;
            }
            else if (args[i] is "--deepgram-port" or "--transcript" or "--api-key" or "--stats-seconds" && i + 1 < args.Length)
            {
                map[args[i][2..]] = args[++i];
            }
            else
            {
                error = $"unexpected argument '{args[i]}'";
                return null;
            }
        }

        int port = DefaultDeepgramPort;
        if (map.TryGetValue("deepgram-port", out var p) && (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > IPEndPoint.MaxPort))
        {
            error = "--deepgram-port must be 1..65535.";
            return null;
        }

        int statsSeconds = 10;
        if (map.TryGetValue("stats-seconds", out var s) && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out statsSeconds) || statsSeconds > 3600))
        {
            error = "--stats-seconds must be 0..3600.";
            return null;
        }

        string transcript = map.GetValueOrDefault("transcript") ?? DefaultTranscript;
        if (string.IsNullOrWhiteSpace(transcript))
        {
            error = "--transcript must not be empty.";
            return null;
        }

        string? apiKey = map.GetValueOrDefault("api-key");
        if (apiKey is not null && string.IsNullOrWhiteSpace(apiKey))
        {
            error = "--api-key must not be empty.";
            return null;
        }

        error = null;
        return new FakeVendorsOptions(port, transcript, apiKey, instant, statsSeconds);
    }
}

/// <summary>
/// Running totals of the fake's connections. <see cref="Collect"/> takes closed sessions out of
/// <see cref="FakeDeepgramServer.Sessions"/> (each holds all the audio it received), so a long load run does not keep
/// every call's audio in memory.
/// </summary>
internal sealed class SessionStats
{
    private int _closed;
    private int _closedUtterances;
    private long _closedAudioBytes;
    private int _open;
    private int _openUtterances;
    private int _refused;

    /// <summary>Counts the sessions and drops the closed ones from the fake's list.</summary>
    /// <param name="fake">The running fake.</param>
    public void Collect(FakeDeepgramServer fake)
    {
        int open = 0, openUtterances = 0;
        var stillOpen = new List<FakeDeepgramSession>();
        while (fake.Sessions.TryDequeue(out var session))
        {
            if (session.Closed is null)
            {
                stillOpen.Add(session);
                open++;
                openUtterances += session.Utterances;
            }
            else
            {
                _closed++;
                _closedUtterances += session.Utterances;
                _closedAudioBytes += session.AudioBytes;
            }
        }

        foreach (var session in stillOpen)
        {
            fake.Sessions.Enqueue(session);
        }

        while (fake.Refused.TryDequeue(out var reason))
        {
            _refused++;
            Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} refused a handshake: {reason}");
        }

        _open = open;
        _openUtterances = openUtterances;
    }

    /// <summary>One status line.</summary>
    /// <returns>Connections open and closed, utterances answered, audio received, handshakes refused.</returns>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"connections: {_open} open, {_closed} closed; utterances answered: {_closedUtterances + _openUtterances}; audio received by closed connections: {_closedAudioBytes / 1024} KiB; refused: {_refused}");
}
