using Portal.Voice.Threading;

namespace Portal.Voice.Tests.Audio;

public sealed class DedicatedWorkerPoolTests
{
    [Fact]
    public async Task RunAsync_RunsTheWorkOnItsOwnThreads_NeverOnTheThreadPool()
    {
        using var pool = new DedicatedWorkerPool("test worker", 2, 8);
        var seen = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => pool.RunAsync(() => (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name), CancellationToken.None)));

        Assert.All(seen, s => Assert.False(s.IsThreadPoolThread));
        Assert.All(seen, s => Assert.StartsWith("test worker ", s.Name, StringComparison.Ordinal));
        Assert.InRange(seen.Select(s => s.Name).Distinct().Count(), 1, 2);
    }

    [Fact]
    public async Task RunAsync_SurfacesTheWorksException_AndKeepsServing()
    {
        using var pool = new DedicatedWorkerPool("test worker", 1, 1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => pool.RunAsync<int>(() => throw new InvalidOperationException("decode failed"), CancellationToken.None));
        Assert.Equal(42, await pool.RunAsync(() => 42, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_AfterDispose_Throws()
    {
        var pool = new DedicatedWorkerPool("test worker", 1, 1);
        pool.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.RunAsync(() => 1, CancellationToken.None));
    }

    [Fact]
    public async Task Niceness_LowersTheWorkersPriority_AndOnlyTheirs()
    {
        var callerBefore = DedicatedWorkerPool.CurrentThreadNiceness();
        using var nice = new DedicatedWorkerPool("nice worker", 2, 4, niceness: 10);
        using var plain = new DedicatedWorkerPool("plain worker", 1, 1);

        var workers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => nice.RunAsync(DedicatedWorkerPool.CurrentThreadNiceness, CancellationToken.None)));
        var plainWorker = await plain.RunAsync(DedicatedWorkerPool.CurrentThreadNiceness, CancellationToken.None);

        Assert.All(workers, n => Assert.Equal(Math.Max(10, callerBefore!.Value), n));
        Assert.Equal(callerBefore, plainWorker);
    }

    [Fact]
    public async Task Niceness_ResultsAreCompletedAtTheCreatorsPriority_SoNoThreadPoolThreadIsBornNice()
    {
        // The thread pool creates a thread on the thread that queues work when it needs one, and on Linux the new thread
        // starts at its creator's nice value: results completed by a nice worker could leave pool threads nice for good.
        var creator = DedicatedWorkerPool.CurrentThreadNiceness();
        using var nice = new DedicatedWorkerPool("nice worker", 2, 4, niceness: 10);
        var completing = new System.Collections.Concurrent.ConcurrentQueue<int?>();
        nice.Completing = () => completing.Enqueue(DedicatedWorkerPool.CurrentThreadNiceness());

        var workers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => nice.RunAsync(DedicatedWorkerPool.CurrentThreadNiceness, CancellationToken.None)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => nice.RunAsync<int>(() => throw new InvalidOperationException("decode failed"), CancellationToken.None));

        Assert.All(workers, n => Assert.Equal(Math.Max(10, creator!.Value), n));
        Assert.Equal(9, completing.Count);
        Assert.All(completing, n => Assert.Equal(creator, n));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(20)]
    public void Niceness_OutOfRange_Throws(int niceness) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DedicatedWorkerPool("test worker", 1, 1, niceness));
}
