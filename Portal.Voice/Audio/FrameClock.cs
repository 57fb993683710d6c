namespace Portal.Voice.Audio;

/// <summary>
/// One shared pacing clock for every outbound audio stream of the process: a single timer ticking every
/// <see cref="TickInterval"/> (5 ms) while any frame is waiting, which releases all frames that are due at once. A
/// <c>Task.Delay</c> per frame per call costs a timer and a thread wake-up per 20 ms frame (200 calls = 10 000 a
/// second, about a tenth of a 2-core machine in the voice benchmark's <c>--wire-cost</c> table); here the wake-ups are
/// one per tick, whatever the number of calls.
/// </summary>
/// <remarks>
/// A frame is never released before its due time and at most one tick (plus scheduling delay) after it, so the 20 ms
/// spacing of a stream is kept to within the tick. Thread-safe. Each due waiter resumes as its own work item on the
/// thread pool's global queue (first in, first out, like the timers of <c>Task.Delay</c>), never on the timer's thread
/// and never on one thread's local queue, so one slow call cannot hold the others' frames and a tick's frames do not
/// jump ahead of socket reads that were already waiting.
/// </remarks>
public sealed class FrameClock
{
    private readonly TimeProvider _time;
    private readonly PriorityQueue<Waiter, long> _waiting = new();
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private bool _ticking;

    /// <summary>Creates a clock on <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">Clock and timer.</param>
    public FrameClock(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _timer = timeProvider.CreateTimer(static state => ((FrameClock)state!).Tick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The process-wide clock on <see cref="TimeProvider.System"/>, used by <see cref="FramePacer"/> for system time.</summary>
    public static FrameClock System { get; } = new(TimeProvider.System);

    /// <summary>Tick period (5 ms): the most a frame is released after its due time, scheduling aside.</summary>
    public static TimeSpan TickInterval { get; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Frames waiting for their due time.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Completes at the first tick at or after <paramref name="dueTimestamp"/> (at once when it has passed).</summary>
    /// <param name="dueTimestamp">Due time as a <see cref="TimeProvider.GetTimestamp"/> value of this clock's provider.</param>
    /// <param name="cancellationToken">Cancels the wait at once (barge-in); the task then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task completing at the due tick.</returns>
    public Task WaitUntilAsync(long dueTimestamp, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        if (_time.GetTimestamp() >= dueTimestamp)
        {
            return Task.CompletedTask;
        }

        var waiter = new Waiter();
        if (cancellationToken.CanBeCanceled)
        {
            // A cancelled waiter stays queued until its due tick (TrySetResult then does nothing).
            waiter.Registration = cancellationToken.UnsafeRegister(static (state, ct) => ((Waiter)state!).TrySetCanceled(ct), waiter);
        }

        lock (_lock)
        {
            _waiting.Enqueue(waiter, dueTimestamp);
            if (!_ticking)
            {
                _ticking = true;
                _timer.Change(TickInterval, TickInterval);
            }
        }

        return waiter.Task;
    }

    /// <summary>One waiting frame; completed (and its continuation run) by the thread pool when queued.</summary>
    private sealed class Waiter : TaskCompletionSource, IThreadPoolWorkItem
    {
        public CancellationTokenRegistration Registration { get; set; }

        public void Execute()
        {
            TrySetResult();
            Registration.Dispose();
        }
    }

    private void Tick()
    {
        List<Waiter>? due = null;
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            while (_waiting.TryPeek(out var waiter, out long at) && at <= now)
            {
                _waiting.Dequeue();
                (due ??= []).Add(waiter);
            }

            if (_waiting.Count == 0 && _ticking)
            {
                _ticking = false;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }

        if (due is not null)
        {
            foreach (var waiter in due)
            {
                ThreadPool.UnsafeQueueUserWorkItem(waiter, preferLocal: false);
            }
        }
    }
}
