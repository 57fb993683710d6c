using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Portal.Voice.Threading;

/// <summary>
/// A fixed set of dedicated background threads that run blocking work (a pocketsphinx decode, an espeak-ng process
/// start) taken from a bounded queue, so that work never holds the shared thread pool, where every call's media reads,
/// frame pacing and mark echoes run. Callers await the result asynchronously; when the queue is full they wait
/// (asynchronously) for room, which is the back-pressure of an overloaded machine.
/// </summary>
/// <remarks>
/// <para>Threads are background threads named <c>{name} 1..N</c>, started in the constructor and ended by
/// <see cref="Dispose"/> (queued work not yet started is cancelled). Results complete with
/// <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>, so the awaiting code continues on the thread pool,
/// never on a worker thread.</para>
/// <para>Worker threads never touch the thread pool or the queue's waiting writers: two more threads at the priority of
/// the thread that made the pool do that, <c>{name} dispatcher</c> (takes work from the queue, which releases a waiting
/// writer, and hands it to a free worker) and <c>{name} completer</c> (completes results, which queues the awaiting
/// code on the thread pool). On Linux a thread starts at the nice value of the thread that creates it, and the thread
/// pool creates its threads on the thread that queues work when it needs more; so a worker with a raised nice value that
/// completed results itself would, on a busy machine, leave thread-pool threads at its low priority for good — the
/// threads that keep calls in real time.</para>
/// </remarks>
public sealed class DedicatedWorkerPool : IDisposable
{
    private const int PrioProcess = 0; // setpriority(2) "which": on Linux, with who = 0, the calling thread only

    private readonly Channel<WorkItem> _queue;
    private readonly BlockingCollection<WorkItem> _ready;
    private readonly BlockingCollection<WorkItem> _done = new();
    private readonly Thread[] _threads;
    private readonly int _niceness;
    private int _running;
    private int _disposed;

    /// <summary>Starts <paramref name="threads"/> worker threads, and the pool's dispatcher and completer threads.</summary>
    /// <param name="name">Thread name prefix (diagnostics).</param>
    /// <param name="threads">Worker threads, 1..64.</param>
    /// <param name="queueCapacity">Work items that may wait for a thread before <see cref="RunAsync{T}"/> waits for room (≥ 1).</param>
    /// <param name="niceness">
    /// Linux nice value of the worker threads, 0..19 (0 = the process's own priority). A positive value lets the threads
    /// that keep calls in real time (media reads, frame pacing, mark echoes, on the thread pool at nice 0) take a
    /// contended CPU first: the scheduler's weight of nice 10 is about a tenth of nice 0's
    /// (https://man7.org/linux/man-pages/man7/sched.7.html, "The nice value"). Raising one's own nice value needs no
    /// privilege; child processes started from a worker thread inherit it. Ignored on other systems.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/>, <paramref name="queueCapacity"/> or <paramref name="niceness"/> is out of range.</exception>
    public DedicatedWorkerPool(string name, int threads, int queueCapacity, int niceness = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(niceness);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(niceness, 19);
        _niceness = niceness;
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(queueCapacity) { SingleWriter = false, SingleReader = false, FullMode = BoundedChannelFullMode.Wait });
        _ready = new BlockingCollection<WorkItem>(threads); // at most one item waits per worker: the queue stays the back-pressure
        _running = threads;
        _threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"{name} {i + 1}", Priority = ThreadPriority.BelowNormal };
            _threads[i].Start();
        }

        new Thread(Dispatch) { IsBackground = true, Name = $"{name} dispatcher" }.Start();
        new Thread(Complete) { IsBackground = true, Name = $"{name} completer" }.Start();
    }

    /// <summary>Runs on the completer thread right before each result completes (tests observe the thread's priority).</summary>
    internal Action? Completing { get; set; }

    /// <summary>
    /// The nice value the calling thread runs at (Linux: <c>getpriority(PRIO_PROCESS, 0)</c>, per thread); null on other
    /// systems. For diagnostics and tests.
    /// </summary>
    public static int? CurrentThreadNiceness()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Marshal.SetLastPInvokeError(0);
        var value = GetPriority(PrioProcess, 0);
        return value == -1 && Marshal.GetLastPInvokeError() != 0 ? null : value;
    }

    /// <summary>Worker threads.</summary>
    public int ThreadCount => _threads.Length;

    /// <summary>Work items waiting for a thread now.</summary>
    public int Queued => _queue.Reader.CanCount ? _queue.Reader.Count : 0;

    /// <summary>Runs <paramref name="work"/> on a worker thread.</summary>
    /// <typeparam name="T">Result type.</typeparam>
    /// <param name="work">Blocking work; its exception faults the returned task.</param>
    /// <param name="cancellationToken">Cancels waiting for room or for a thread (not the work once it runs).</param>
    /// <returns>The work's result.</returns>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var item = new WorkItem<T>(work, cancellationToken);
        try
        {
            await _queue.Writer.WriteAsync(item, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(DedicatedWorkerPool));
        }

        return await item.Result.WaitAsync(cancellationToken);
    }

    /// <summary>Stops the threads after the work running now; work still queued is cancelled.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var item))
        {
            item.Cancel();
        }
    }

    private void Dispatch()
    {
        var reader = _queue.Reader;
        // Blocking waits on a dedicated thread are the point: this thread does nothing else.
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var item))
            {
                _ready.Add(item); // waits while every worker is busy and one item already waits
            }
        }

        _ready.CompleteAdding();
    }

    private void Work()
    {
        if (_niceness > 0 && OperatingSystem.IsLinux())
        {
            // Best effort: a failure (a seccomp profile that forbids it) leaves the thread at the process's priority.
            _ = SetPriority(PrioProcess, 0, _niceness);
        }

        foreach (var item in _ready.GetConsumingEnumerable())
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                item.Run();
            }

            _done.Add(item); // completed by the completer thread, never here (see the remarks)
        }

        if (Interlocked.Decrement(ref _running) == 0)
        {
            _done.CompleteAdding();
        }
    }

    private void Complete()
    {
        foreach (var item in _done.GetConsumingEnumerable())
        {
            Completing?.Invoke();
            item.Complete();
        }

        _ready.Dispose();
        _done.Dispose();
    }

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static extern int GetPriority(int which, int who);

    private abstract class WorkItem
    {
        /// <summary>Runs the work on a worker thread and keeps its outcome (or notes that it was cancelled before it ran).</summary>
        public abstract void Run();

        /// <summary>Completes the result with the outcome kept by <see cref="Run"/>, or as cancelled when it never ran.</summary>
        public abstract void Complete();

        /// <summary>Completes the result as cancelled (work that never reached a worker).</summary>
        public abstract void Cancel();
    }

    private sealed class WorkItem<T>(Func<T> work, CancellationToken cancellationToken) : WorkItem
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _ran;
        private T? _value;
        private Exception? _error;

        public Task<T> Result => _result.Task;

        public override void Run()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _ran = true;
            try
            {
                _value = work();
            }
            catch (Exception ex)
            {
                _error = ex;
            }
        }

        public override void Complete()
        {
            if (!_ran)
            {
                _result.TrySetCanceled(cancellationToken.IsCancellationRequested ? cancellationToken : CancellationToken.None);
            }
            else if (_error is not null)
            {
                _result.TrySetException(_error);
            }
            else
            {
                _result.TrySetResult(_value!);
            }
        }

        public override void Cancel() => _result.TrySetCanceled();
    }
}
