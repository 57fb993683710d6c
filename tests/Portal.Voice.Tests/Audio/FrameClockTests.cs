using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Portal.Voice.Audio;

namespace Portal.Voice.Tests.Audio;

public sealed class FrameClockTests
{
    /// <summary>A bound on waiting for a waiter: reached only if the clock never releases it.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Wait_CompletesAtOrAfterItsDueTime_NeverBefore()
    {
        var clock = new FrameClock(TimeProvider.System);
        long start = Stopwatch.GetTimestamp();
        long[] dues = [.. new[] { 30, 10, 50, 20 }.Select(ms => start + (Stopwatch.Frequency * ms / 1000))];
        var done = new long[dues.Length];
        await Task.WhenAll(dues.Select(async (due, i) =>
        {
            await clock.WaitUntilAsync(due, CancellationToken.None);
            done[i] = Stopwatch.GetTimestamp();
        })).WaitAsync(Bound);

        for (int i = 0; i < dues.Length; i++)
        {
            Assert.True(done[i] >= dues[i], $"waiter {i} released {Stopwatch.GetElapsedTime(done[i], dues[i]).TotalMilliseconds:0.0} ms early");
        }

        Assert.Equal(0, clock.Waiting);
    }

    [Fact]
    public void Wait_ForAPastTime_IsAlreadyComplete()
    {
        var clock = new FrameClock(TimeProvider.System);
        Assert.True(clock.WaitUntilAsync(Stopwatch.GetTimestamp() - 1, CancellationToken.None).IsCompletedSuccessfully);
        Assert.Equal(0, clock.Waiting);
    }

    [Fact]
    public async Task Wait_Cancelled_ThrowsAtOnce_AndTheOthersStillComplete()
    {
        // On a fake clock: whether "kept" is still waiting must not depend on how long the machine took to cancel.
        var time = new FakeTimeProvider();
        var clock = new FrameClock(time);
        long due = time.GetTimestamp() + (time.TimestampFrequency * 60 / 1000);
        using var cts = new CancellationTokenSource();
        Task cancelled = clock.WaitUntilAsync(due + time.TimestampFrequency, cts.Token);
        Task kept = clock.WaitUntilAsync(due, CancellationToken.None);
        Assert.False(cancelled.IsCompleted);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Bound));
        Assert.False(kept.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(60));
        await kept.WaitAsync(Bound);
        Assert.True(time.GetTimestamp() >= due);
        Assert.True(clock.WaitUntilAsync(due + time.TimestampFrequency, cts.Token).IsCanceled); // already-cancelled token
    }

    [Fact]
    public async Task Pacer_OnSystemTime_UsesTheSharedClock_AndKeeps20msSpacing()
    {
        var times = new List<long>();
        long before = Stopwatch.GetTimestamp();
        await foreach (byte[] frame in new FramePacer(TimeProvider.System).PaceAsync(new byte[160 * 5]))
        {
            Assert.Equal(160, frame.Length);
            times.Add(Stopwatch.GetTimestamp());
        }

        Assert.Equal(5, times.Count);
        // Frame k is due at start + 20k ms and is never released early.
        for (int k = 0; k < times.Count; k++)
        {
            Assert.True(Stopwatch.GetElapsedTime(before, times[k]).TotalMilliseconds >= 20 * k, $"frame {k} released early");
        }
    }
}
