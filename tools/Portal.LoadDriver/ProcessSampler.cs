using System.Globalization;

namespace Portal.LoadDriver;

/// <summary>One sample of a process, read from <c>/proc</c> (https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html).</summary>
/// <param name="AtMs">When, ms on the run's clock.</param>
/// <param name="CpuPercent">CPU used since the previous sample, % of one core (200 = both cores of a 2-core machine).</param>
/// <param name="RssBytes">Resident set size (<c>VmRSS</c>), bytes.</param>
/// <param name="Threads">Threads (<c>Threads</c>).</param>
/// <param name="DbConnections">Established TCP connections from the process to the database port (null when not counted).</param>
/// <param name="ActiveCalls">Calls the driver had open at that moment.</param>
/// <param name="LoadAverage1">The machine's one-minute load average (<c>/proc/loadavg</c>).</param>
/// <param name="RunQueueWaitPercent">
/// Time the process's threads spent runnable but waiting for a CPU since the previous sample, % of one core (sum over
/// threads of <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat</c> field 2): high while CPU use is low means the machine, not
/// the process, is the bottleneck.
/// </param>
public sealed record ProcessSample(double AtMs, double CpuPercent, long RssBytes, int Threads, int? DbConnections, int ActiveCalls, double LoadAverage1, double RunQueueWaitPercent);

/// <summary>
/// Samples a process's CPU and memory once a second from <c>/proc/&lt;pid&gt;/stat</c> (<c>utime</c> + <c>stime</c>, in
/// clock ticks) and <c>/proc/&lt;pid&gt;/status</c> (<c>VmRSS</c>, <c>Threads</c>), and counts its established
/// connections to the database port through <c>/proc/&lt;pid&gt;/fd</c> and <c>/proc/net/tcp</c>/<c>tcp6</c>
/// (https://man7.org/linux/man-pages/man5/proc.5.html). Linux only; elsewhere <see cref="IsAvailable"/> is false.
/// </summary>
public sealed class ProcessSampler : IAsyncDisposable
{
    // REVIEW: USER_HZ is 100 on every mainstream Linux build (x86, arm); sysconf(_SC_CLK_TCK) would need a native call.
    private const double ClockTicksPerSecond = 100;

    private readonly int _pid;
    private readonly int? _dbPort;
    private readonly RunClock _clock;
    private readonly Func<int> _activeCalls;
    private readonly List<ProcessSample> _samples = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>Creates a sampler of process <paramref name="pid"/> (not started).</summary>
    /// <param name="pid">Process id.</param>
    /// <param name="dbPort">Database TCP port whose connections are counted, or null.</param>
    /// <param name="clock">The run's clock.</param>
    /// <param name="activeCalls">Reads the driver's open calls for each sample.</param>
    public ProcessSampler(int pid, int? dbPort, RunClock clock, Func<int> activeCalls)
    {
        _pid = pid;
        _dbPort = dbPort;
        _clock = clock;
        _activeCalls = activeCalls;
    }

    /// <summary>True when <c>/proc/&lt;pid&gt;/stat</c> can be read.</summary>
    public bool IsAvailable => File.Exists($"/proc/{_pid}/stat");

    /// <summary>The samples so far.</summary>
    public IReadOnlyList<ProcessSample> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Takes a sample now and then one every <paramref name="interval"/> until disposed.</summary>
    /// <param name="interval">Sampling interval (the issue asks for 1 s).</param>
    public void Start(TimeSpan interval)
    {
        if (!IsAvailable)
        {
            return;
        }

        _loop = Task.Run(async () =>
        {
            var (lastTicks, lastAt, lastWait) = (ReadCpuTicks(), _clock.NowMs, ReadRunQueueWaitNs());
            using var timer = new PeriodicTimer(interval);
            Add(0, lastAt, 0);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    long ticks = ReadCpuTicks();
                    long wait = ReadRunQueueWaitNs();
                    double at = _clock.NowMs;
                    double cpu = at > lastAt ? (ticks - lastTicks) / ClockTicksPerSecond * 1000 / (at - lastAt) * 100 : 0;
                    double waiting = at > lastAt ? Math.Max(0, wait - lastWait) / 1e6 / (at - lastAt) * 100 : 0;
                    Add(cpu, at, waiting);
                    (lastTicks, lastAt, lastWait) = (ticks, at, wait);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
                // The process ended.
            }
        });
    }

    /// <summary>Stops sampling.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    /// <summary>
    /// The process listening on TCP <paramref name="port"/> (IPv4 or IPv6), found through <c>/proc/net/tcp*</c> and the
    /// socket inodes in <c>/proc/*/fd</c>; null when none is visible.
    /// </summary>
    /// <param name="port">Listening port.</param>
    /// <returns>Its process id, or null.</returns>
    public static int? FindListeningProcess(int port)
    {
        var inodes = SocketInodes(remotePort: null, localPort: port, state: "0A");
        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            if (OwnedSocketInodes(pid).Overlaps(inodes))
            {
                return pid;
            }
        }

        return null;
    }

    /// <summary>The machine's one-minute load average, or 0 when unreadable.</summary>
    public static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    private void Add(double cpuPercent, double atMs, double runQueueWaitPercent)
    {
        long rss = 0;
        int threads = 0;
        foreach (var line in File.ReadLines($"/proc/{_pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        int? db = _dbPort is { } port ? CountDbConnections(port) : null;
        var sample = new ProcessSample(atMs, cpuPercent, rss, threads, db, _activeCalls(), LoadAverage(), runQueueWaitPercent);
        lock (_gate)
        {
            _samples.Add(sample);
        }
    }

    private long ReadCpuTicks()
    {
        // The command name (field 2) may hold spaces; fields 14 and 15 (utime, stime) are counted after its closing ')'.
        string stat = File.ReadAllText($"/proc/{_pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>Sum over the process's threads of the time spent waiting on a run queue, ns (schedstat field 2; threads that ended drop out).</summary>
    private long ReadRunQueueWaitNs()
    {
        long total = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{_pid}/task"))
            {
                try
                {
                    var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                    total += long.Parse(fields[1], CultureInfo.InvariantCulture);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
                {
                    // The thread ended, or schedstat is not available.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return total;
    }

    private int CountDbConnections(int port)
    {
        var established = SocketInodes(remotePort: port, localPort: null, state: "01");
        return established.Count == 0 ? 0 : OwnedSocketInodes(_pid).Count(established.Contains);
    }

    /// <summary>Inodes of the TCP sockets in <paramref name="state"/> (hex, 01 = ESTABLISHED, 0A = LISTEN) matching the ports.</summary>
    private static HashSet<long> SocketInodes(int? remotePort, int? localPort, string state)
    {
        var inodes = new HashSet<long>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || f[3] != state)
                {
                    continue;
                }

                if ((localPort is { } lp && PortOf(f[1]) != lp) || (remotePort is { } rp && PortOf(f[2]) != rp))
                {
                    continue;
                }

                inodes.Add(long.Parse(f[9], CultureInfo.InvariantCulture));
            }
        }

        return inodes;
    }

    private static int PortOf(string address) => int.Parse(address[(address.IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static HashSet<long> OwnedSocketInodes(int pid)
    {
        var inodes = new HashSet<long>();
        try
        {
            foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
            {
                string? target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(long.Parse(target.AsSpan(8, target.Length - 9), CultureInfo.InvariantCulture));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process ended or is not ours to read.
        }

        return inodes;
    }
}
