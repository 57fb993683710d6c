using Microsoft.Extensions.Logging;
using Portal.IntegrationTests.Infrastructure;
using Portal.Jobs;
using HangfireLevel = Hangfire.Logging.LogLevel;

namespace Portal.IntegrationTests.Jobs;

/// <summary>
/// Hangfire's one log provider of the process (<see cref="HangfireLogging"/>) writes to a host still alive, and never
/// throws because a host's logging was disposed. Each test uses a provider of its own: the process's is shared with every
/// app the other test classes start.
/// </summary>
public sealed class HangfireLoggingTests
{
    [Fact]
    public void Loggers_WriteToTheNewestHostStillAttached_AndToNothingOnceNoneIs()
    {
        var logging = new HangfireLogging();
        var aliveLog = new ServerLog();
        using var aliveFactory = LoggerFactory.Create(b => b.AddProvider(aliveLog));
        var alive = logging.Attach(aliveFactory);
        var stoppedLog = new ServerLog();
        var stoppedFactory = LoggerFactory.Create(b => b.AddProvider(stoppedLog));
        var stopped = logging.Attach(stoppedFactory);

        var early = logging.GetLogger("Hangfire.Early");
        early.Log(HangfireLevel.Warn, () => "to the newest host");
        Assert.Contains("to the newest host", stoppedLog.Dump());

        // The newest host stops (its attachment is a singleton made after its logger factory, so disposed before it).
        stopped.Dispose();
        stoppedFactory.Dispose();

        // A logger Hangfire asks for now (a job's AutomaticRetry on the job's first enqueue) and one it made before.
        logging.GetLogger("Hangfire.Late").Log(HangfireLevel.Warn, () => "asked for after the stop");
        early.Log(HangfireLevel.Warn, () => "made before the stop");
        Assert.Contains("asked for after the stop", aliveLog.Dump());
        Assert.Contains("made before the stop", aliveLog.Dump());
        Assert.DoesNotContain("after the stop", stoppedLog.Dump());

        alive.Dispose();
        Assert.False(early.Log(HangfireLevel.Error, () => "nowhere"));
        Assert.False(logging.GetLogger("Hangfire.None").Log(HangfireLevel.Error, () => "nowhere"));
        Assert.DoesNotContain("nowhere", aliveLog.Dump());
    }

    [Fact]
    public void Logging_ThroughAFactoryDisposedBeforeItsHostDetached_IsDroppedWithoutThrowing()
    {
        // The moment between a host's logger factory being disposed and the host being detached, as another thread sees it.
        var logging = new HangfireLogging();
        var factory = LoggerFactory.Create(b => b.AddProvider(new ServerLog()));
        using var attachment = logging.Attach(factory);
        factory.Dispose();

        Assert.False(logging.GetLogger("Hangfire.AutomaticRetryAttribute").Log(HangfireLevel.Warn, () => "dropped"));
    }
}
