using System.Threading.Channels;

namespace Portal.Voice.Threading;

/// <summary>
/// A fixed set of dedicated background threads that run blocking work (a pocketsphinx decode, an espeak-ng process
/// start) taken from a bounded queue, so that work never holds the shared thread pool, where every call's media reads,
/// frame pacing and mark echoes run. Callers await the result asynchronously; when the queue is full they wait
/// (asynchronously) for room, which is the back-pressure of an overloaded machine.
/// </summary>
/// <remarks>
/// Threads are background threads named <c>{name} 1..N</c>, started in the constructor and ended by <see cref="Dispose"/>
/// (queued work not yet started is cancelled). Results complete with
/// <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>, so the awaiting code continues on the thread pool,
/// never on a worker thread.
/// </remarks>
public sealed class DedicatedWorkerPool : IDisposable
{
    private readonly Channel<WorkItem> _queue;
    private readonly Thread[] _threads;
    private int _disposed;

    /// <summary>Starts <paramref name="threads"/> worker threads.</summary>
    /// <param name="name">Thread name prefix (diagnostics).</param>
    /// <param name="threads">Worker threads, 1..64.</param>
    /// <param name="queueCapacity">Work items that may wait for a thread before <see cref="RunAsync{T}"/> waits for room (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> or <paramref name="queueCapacity"/> is out of range.</exception>
    public DedicatedWorkerPool(string name, int threads, int queueCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(queueCapacity) { SingleWriter = false, SingleReader = false, FullMode = BoundedChannelFullMode.Wait });
        _threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            // Below normal where the OS honours it (Windows; a no-op for unprivileged processes on Linux): pacing wins a tie.
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"{name} {i + 1}", Priority = ThreadPriority.BelowNormal };
            _threads[i].Start();
        }
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

    private void Work()
    {
        var reader = _queue.Reader;
        // Blocking waits on a dedicated thread are the point: this thread does nothing else.
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var item))
            {
                item.Run();
            }
        }
    }

    private abstract class WorkItem
    {
        public abstract void Run();

        public abstract void Cancel();
    }

    private sealed class WorkItem<T>(Func<T> work, CancellationToken cancellationToken) : WorkItem
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Result => _result.Task;

        public override void Run()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _result.TrySetCanceled(cancellationToken);
                return;
            }

            try
            {
                _result.TrySetResult(work());
            }
            catch (Exception ex)
            {
                _result.TrySetException(ex);
            }
        }

        public override void Cancel() => _result.TrySetCanceled();
    }
}
