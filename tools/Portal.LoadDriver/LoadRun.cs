using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Portal.Fakes;
using Portal.Voice.SpeechToText;

namespace Portal.LoadDriver;

/// <summary>Everything a load run measured.</summary>
/// <param name="Options">The run's options.</param>
/// <param name="Calls">One result per call, in index order.</param>
/// <param name="Server">Samples of the server process, one a second (empty when it was not found).</param>
/// <param name="ServerPid">The sampled server process, or null.</param>
/// <param name="Driver">Samples of the driver's own process.</param>
/// <param name="ClockLatenessMs">Lateness of each media-clock tick past its 20 ms slot, ms.</param>
/// <param name="ClockBusyMs">Time the media-clock threads spent ticking calls, ms.</param>
/// <param name="DurationMs">Whole run, ms.</param>
/// <param name="PeakActiveCalls">Most calls with an open media stream at once.</param>
/// <param name="LoadAverageBefore">One-minute load average before the first call.</param>
/// <param name="LoadAverageAfter">One-minute load average after the last call.</param>
public sealed record LoadRunResult(
    LoadOptions Options,
    IReadOnlyList<CallResult> Calls,
    IReadOnlyList<ProcessSample> Server,
    int? ServerPid,
    IReadOnlyList<ProcessSample> Driver,
    IReadOnlyList<double> ClockLatenessMs,
    double ClockBusyMs,
    double DurationMs,
    int PeakActiveCalls,
    double LoadAverageBefore,
    double LoadAverageAfter);

/// <summary>
/// Runs N calls against a running Portal, staggered evenly over the ramp, each through <see cref="TwilioCallSetup"/> (signed
/// webhook, TwiML, signed upgrade) and a <see cref="LoadCall"/> on the shared 20 ms <see cref="MediaClock"/>, while the
/// server's and the driver's CPU and memory are sampled every second. Bounded: at most <see cref="LoadOptions.MaxCalls"/>
/// calls, and calls still running after <see cref="LoadOptions.MaxRunSeconds"/> are ended and counted as failed.
/// </summary>
public static class LoadRun
{
    /// <summary>Places the calls and waits for all of them.</summary>
    /// <param name="options">The run.</param>
    /// <param name="serverPid">Process to sample, or null for none.</param>
    /// <param name="dbPort">Database port whose connections from the server are counted, or null.</param>
    /// <param name="progress">Receives a progress line every 5 s, or null.</param>
    /// <param name="cancellationToken">Ends the run early (calls are then failed like at the deadline).</param>
    /// <returns>The figures.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The call count is outside 1..<see cref="LoadOptions.MaxCalls"/>.</exception>
    /// <exception cref="SpeechProviderException">espeak-ng is missing or failed to render a <c>say:</c> step.</exception>
    public static async Task<LoadRunResult> RunAsync(LoadOptions options, int? serverPid, int? dbPort, Action<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Calls, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Calls, LoadOptions.MaxCalls);

        // Each distinct caller line is rendered once by espeak-ng (8 kHz μ-law) and streamed by every call in real time.
        var rendered = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var step in options.Script.Where(s => !s.IsKeyPress).DistinctBy(s => s.Text))
        {
            rendered[step.Text] = await EspeakAudio.SayAsync(step.Text, AudioFormat.Phone, options.CallerVoice, cancellationToken);
        }

        var script = options.Script.Select(s => (s, s.IsKeyPress ? null : rendered[s.Text])).ToList();
        var clock = new RunClock();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.MaxRunSeconds));
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMilliseconds(options.WebhookTimeoutMs) };
        var live = new ConcurrentDictionary<int, LoadCall>();
        var counters = new Counters();
        await using var server = serverPid is { } pid ? new ProcessSampler(pid, dbPort, clock, () => counters.Active) : null;
        await using var driver = new ProcessSampler(Environment.ProcessId, null, clock, () => counters.Active);
        double loadBefore = ProcessSampler.LoadAverage();
        server?.Start(TimeSpan.FromSeconds(1));
        driver.Start(TimeSpan.FromSeconds(1));
        string deadlineReason = $"run deadline of {options.MaxRunSeconds} s reached";
        using var onDeadline = deadline.Token.Register(() =>
        {
            foreach (var call in live.Values)
            {
                call.Abort(deadlineReason);
            }
        });

        CallResult[] results;
        double busyMs;
        IReadOnlyList<double> lateness;
        var mediaClock = new MediaClock(clock, options.ClockThreads);
        try
        {
            using var reporter = progress is null ? null : new Timer(_ => progress(counters.Describe(clock.NowMs, server?.Samples)), null, 5000, 5000);
            var calls = Enumerable.Range(0, options.Calls).Select(i => RunCallAsync(i, options.Calls <= 1 ? 0 : i * options.RampSeconds * 1000 / options.Calls));
            results = await Task.WhenAll(calls);
            busyMs = mediaClock.BusyMs;
            lateness = mediaClock.TickLatenessMs;
        }
        finally
        {
            mediaClock.Dispose();
        }

        double duration = clock.NowMs;
        double loadAfter = ProcessSampler.LoadAverage();
        return new LoadRunResult(options, results, server?.Samples ?? [], serverPid, driver.Samples, lateness, busyMs, duration,
            counters.Peak, loadBefore, loadAfter);

        async Task<CallResult> RunCallAsync(int index, double startAtMs)
        {
            string callSid = "CA" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            string from = LoadOptions.CallerNumber(index);
            var result = new CallResult { Index = index, CallSid = callSid };
            try
            {
                double wait = startAtMs - clock.NowMs;
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), deadline.Token);
                }

                double started = clock.NowMs;
                counters.Started();
                result = result with { StartedAtMs = started };
                var (stream, error) = await TwilioCallSetup.PostVoiceWebhookAsync(http, options, callSid, from, deadline.Token);
                double answered = clock.NowMs;
                result = result with { WebhookMs = answered - started };
                if (stream is null)
                {
                    return counters.Done(result with { Error = error, EndedAtMs = answered });
                }

                var socket = await TwilioCallSetup.ConnectAsync(options, stream, deadline.Token);
                result = result with { ConnectMs = clock.NowMs - answered };
                counters.Opened();
                try
                {
                    var call = new LoadCall(result, options, script, clock, socket, stream);
                    live[index] = call;
                    var receive = call.ReceiveLoopAsync(CancellationToken.None);
                    if (deadline.IsCancellationRequested)
                    {
                        call.Abort(deadlineReason);
                    }

                    mediaClock.Add(call);
                    result = await call.Completion;
                    live.TryRemove(index, out _);
                    await Task.WhenAny(receive, Task.Delay(3000, CancellationToken.None));
                }
                finally
                {
                    socket.Dispose();
                    counters.Closed();
                }

                if (options.StatusCallback && !deadline.IsCancellationRequested)
                {
                    var (ms, statusError) = await TwilioCallSetup.PostCompletedAsync(http, options, callSid, from,
                        (int)Math.Ceiling((result.EndedAtMs - result.StartedAtMs) / 1000), deadline.Token);
                    result = result with { StatusCallbackMs = ms, StatusCallbackError = statusError };
                }

                return counters.Done(result);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or WebSocketException)
            {
                string reason = ex switch
                {
                    OperationCanceledException when deadline.IsCancellationRequested => deadlineReason,
                    OperationCanceledException => $"the voice webhook did not answer within {options.WebhookTimeoutMs / 1000.0:0.#} s",
                    WebSocketException => "could not open the media stream: " + ex.Message,
                    _ => "could not reach the voice webhook: " + ex.Message,
                };
                return counters.Done(result with { Error = result.Error ?? reason, EndedAtMs = clock.NowMs });
            }
        }
    }

    /// <summary>Counts of calls by state, for the samples and progress lines.</summary>
    private sealed class Counters
    {
        private int _started;
        private int _active;
        private int _peak;
        private int _done;
        private int _failed;

        public int Active => Volatile.Read(ref _active);

        public int Peak => Volatile.Read(ref _peak);

        public void Started() => Interlocked.Increment(ref _started);

        public void Opened()
        {
            int now = Interlocked.Increment(ref _active);
            int peak;
            while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
            {
            }
        }

        public void Closed() => Interlocked.Decrement(ref _active);

        public CallResult Done(CallResult result)
        {
            Interlocked.Increment(ref _done);
            if (result.Error is not null)
            {
                Interlocked.Increment(ref _failed);
            }

            return result;
        }

        public string Describe(double nowMs, IReadOnlyList<ProcessSample>? server)
        {
            var last = server is { Count: > 0 } ? server[^1] : null;
            string serverPart = last is null ? string.Empty : $", server CPU {last.CpuPercent:0} %, RSS {last.RssBytes / 1048576.0:0} MiB, DB connections {last.DbConnections?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}";
            return $"{nowMs / 1000:0} s: started {Volatile.Read(ref _started)}, on the line {Active}, ended {Volatile.Read(ref _done)} (failed {Volatile.Read(ref _failed)}){serverPart}, load {ProcessSampler.LoadAverage():0.0}";
        }
    }
}
