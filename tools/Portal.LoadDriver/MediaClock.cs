using System.Collections.Concurrent;
using System.Diagnostics;

namespace Portal.LoadDriver;

/// <summary>The run's monotonic clock: milliseconds since the run started (<see cref="Stopwatch"/>).</summary>
public sealed class RunClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    /// <summary>Milliseconds since this clock was created.</summary>
    public double NowMs => Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
}

/// <summary>
/// The shared 20 ms clock of all calls: a few dedicated threads, each owning a share of the calls, wake every 20 ms and
/// run every call's <see cref="LoadCall.Tick"/> (send due frames, echo due marks, advance the script). One clock instead
/// of a timer per call keeps the driver's own cost small (no thread-pool work item per frame), which matters because the
/// driver shares the CPU with the Portal it measures. The clock's own lateness is recorded: figures from a run whose
/// clock fell behind say more about the driver than about the server.
/// </summary>
internal sealed class MediaClock : IDisposable
{
    private const double TickMs = 20;
    private readonly RunClock _clock;
    private readonly Worker[] _workers;
    private int _next;

    /// <summary>Starts <paramref name="threads"/> clock threads.</summary>
    public MediaClock(RunClock clock, int threads)
    {
        _clock = clock;
        _workers = [.. Enumerable.Range(0, Math.Max(1, threads)).Select(i => new Worker(this, i))];
    }

    /// <summary>Lateness of each tick past its 20 ms slot, ms, all threads.</summary>
    public IReadOnlyList<double> TickLatenessMs => [.. _workers.SelectMany(w => w.Lateness())];

    /// <summary>Time the clock threads spent ticking calls, ms (their CPU-bound work: sends, script, playout reads).</summary>
    public double BusyMs => _workers.Sum(w => w.BusyMs);

    /// <summary>Adds a call; it is ticked until <see cref="LoadCall.Tick"/> says it has ended.</summary>
    public void Add(LoadCall call) => _workers[(Interlocked.Increment(ref _next) & int.MaxValue) % _workers.Length].Add(call);

    /// <summary>Stops the threads (calls still running are no longer ticked).</summary>
    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Stop();
        }
    }

    private sealed class Worker
    {
        private readonly MediaClock _owner;
        private readonly ConcurrentQueue<LoadCall> _added = new();
        private readonly List<LoadCall> _calls = [];
        private readonly List<float> _lateness = [];
        private readonly Lock _latenessGate = new();
        private readonly Thread _thread;
        private volatile bool _stopping;
        private double _busyMs;

        public Worker(MediaClock owner, int index)
        {
            _owner = owner;
            _thread = new Thread(Run) { IsBackground = true, Name = "media-clock-" + index };
            _thread.Start();
        }

        public double BusyMs => Volatile.Read(ref _busyMs);

        public void Add(LoadCall call) => _added.Enqueue(call);

        public float[] Lateness()
        {
            lock (_latenessGate)
            {
                return [.. _lateness];
            }
        }

        public void Stop()
        {
            _stopping = true;
            _thread.Join(TimeSpan.FromSeconds(5));
        }

        private void Run()
        {
            var clock = _owner._clock;
            double next = clock.NowMs;
            while (!_stopping)
            {
                double wait = next - clock.NowMs;
                if (wait > 0)
                {
                    Thread.Sleep(TimeSpan.FromMilliseconds(Math.Ceiling(wait)));
                    continue;
                }

                double now = clock.NowMs;
                while (_added.TryDequeue(out var call))
                {
                    _calls.Add(call);
                }

                if (_calls.Count > 0)
                {
                    lock (_latenessGate)
                    {
                        _lateness.Add((float)(now - next));
                    }
                }

                for (int i = _calls.Count - 1; i >= 0; i--)
                {
                    if (_calls[i].Tick(now))
                    {
                        _calls[i] = _calls[^1];
                        _calls.RemoveAt(_calls.Count - 1);
                    }
                }

                Volatile.Write(ref _busyMs, _busyMs + (clock.NowMs - now));
                next += TickMs;
                if (clock.NowMs - next > 10 * TickMs)
                {
                    next = clock.NowMs; // far behind: each call catches up its own frames; do not tick in a burst
                }
            }
        }
    }
}
