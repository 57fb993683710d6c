using System.Diagnostics;

namespace Portal.Voice.Benchmarks;

/// <summary>
/// Stopwatch timestamps of one call's current turn, taken by the fakes around the session (never inside Portal.Voice):
/// final transcript handed to the recognizer stream → taken by the session → engine asked → text-to-speech asked →
/// first bytes written to the server's socket → first frame read by the fake Twilio.
/// </summary>
internal sealed class TurnProbe
{
    private long _said;
    private long _taken;
    private long _engine;
    private long _tts;
    private long _written;

    /// <summary>Per-stage milliseconds of every measured turn.</summary>
    public List<double[]> Stages { get; } = [];

    /// <summary>Stage names, in the order of <see cref="Stages"/>.</summary>
    public static string[] Names { get; } = ["transcript read", "session → engine", "engine → TTS", "TTS → socket write", "socket → client"];

    public void Said() => Volatile.Write(ref _said, Stopwatch.GetTimestamp());

    public void Taken() => Mark(ref _taken);

    public void Engine() => Mark(ref _engine);

    public void Tts() => Mark(ref _tts);

    public void Written() => Mark(ref _written);

    /// <summary>The fake Twilio read the turn's first frame at <paramref name="received"/>: records the stages and disarms.</summary>
    public void Received(long received)
    {
        long said = Interlocked.Exchange(ref _said, 0);
        if (said == 0)
        {
            return;
        }

        Stages.Add([Ms(said, _taken), Ms(_taken, _engine), Ms(_engine, _tts), Ms(_tts, _written), Ms(_written, received)]);
        _taken = _engine = _tts = _written = 0;
    }

    private static double Ms(long from, long to) => from == 0 || to == 0 ? double.NaN : Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private void Mark(ref long field)
    {
        if (Volatile.Read(ref _said) != 0 && Volatile.Read(ref field) == 0)
        {
            Volatile.Write(ref field, Stopwatch.GetTimestamp());
        }
    }
}

/// <summary>The server's side of a loopback connection, noting when the session writes to it.</summary>
internal sealed class ProbedStream(Stream inner, TurnProbe probe) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        probe.Written();
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        probe.Written();
        return inner.WriteAsync(buffer, offset, count, cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        probe.Written();
        inner.Write(buffer, offset, count);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Process figures over one load run: CPU, GC, allocations, lock contention, thread pool depth (sampled every 2 ms on its own thread).</summary>
internal sealed class ProcessSampler : IDisposable
{
    private readonly TimeSpan _cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long _wall0 = Stopwatch.GetTimestamp();
    private readonly int[] _gc0 = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan _pause0 = GC.GetTotalPauseDuration();
    private readonly long _alloc0 = GC.GetTotalAllocatedBytes(false);
    private readonly long _contention0 = Monitor.LockContentionCount;
    private readonly long _items0 = ThreadPool.CompletedWorkItemCount;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _queueSum;
    private long _queueMax;
    private long _samples;
    private int _threadsMax;

    public ProcessSampler()
    {
        _thread = new Thread(Sample) { IsBackground = true, Name = "bench sampler" };
        _thread.Start();
    }

    public string Report(int turns)
    {
        _stop = true;
        _thread.Join();
        double wall = Stopwatch.GetElapsedTime(_wall0).TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpu0).TotalSeconds;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"wall {wall:0.0} s, CPU {cpu:0.0} s ({cpu / wall / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores), " +
            $"GC {GC.CollectionCount(0) - _gc0[0]}/{GC.CollectionCount(1) - _gc0[1]}/{GC.CollectionCount(2) - _gc0[2]} pause {(GC.GetTotalPauseDuration() - _pause0).TotalMilliseconds:0} ms, " +
            $"allocated {(GC.GetTotalAllocatedBytes(false) - _alloc0) / 1048576.0:0} MiB ({(GC.GetTotalAllocatedBytes(false) - _alloc0) / 1024.0 / Math.Max(1, turns):0} KiB/turn), " +
            $"lock contentions {Monitor.LockContentionCount - _contention0}, work items {ThreadPool.CompletedWorkItemCount - _items0}, " +
            $"pool threads max {_threadsMax}, queued mean {(double)_queueSum / Math.Max(1, _samples):0.0} max {_queueMax}");
    }

    public void Dispose()
    {
        _stop = true;
    }

    private void Sample()
    {
        while (!_stop)
        {
            long q = ThreadPool.PendingWorkItemCount;
            _queueSum += q;
            _queueMax = Math.Max(_queueMax, q);
            _samples++;
            _threadsMax = Math.Max(_threadsMax, ThreadPool.ThreadCount);
            Thread.Sleep(2);
        }
    }
}
