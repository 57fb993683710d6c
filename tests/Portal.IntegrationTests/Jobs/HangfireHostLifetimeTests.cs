using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Jobs;

/// <summary>
/// Hangfire keeps its configuration (log provider, storage, activator) in process-wide statics. A process that builds and
/// stops several hosts (the test suites, one app per test class, several at once) must still enqueue jobs from every host
/// that is alive, whichever host configured Hangfire last.
/// </summary>
public sealed class HangfireHostLifetimeTests
{
    [Fact]
    public async Task Enqueue_AfterAnotherHostOfTheProcessStopped_Succeeds()
    {
        await using var alive = new PortalAppFactory();
        await ((IAsyncLifetime)alive).InitializeAsync();
        var client = alive.Services.GetRequiredService<IBackgroundJobClient>();
        Assert.False(string.IsNullOrEmpty(client.Enqueue(() => Console.WriteLine("first"))));

        // A second host configures Hangfire after the first (last one wins), serves, and stops.
        var stopped = new PortalAppFactory();
        await ((IAsyncLifetime)stopped).InitializeAsync();
        Assert.False(string.IsNullOrEmpty(stopped.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => Console.WriteLine("other"))));
        await stopped.DisposeAsync();

        // The first host goes on enqueueing, into its own database: jobs seen before, and a job method enqueued for the
        // first time in the process, whose retry attribute Hangfire makes (and gives a logger) only now.
        for (var i = 0; i < 3; i++)
        {
            Assert.False(string.IsNullOrEmpty(client.Enqueue(() => Console.WriteLine("after"))));
        }

        Assert.False(string.IsNullOrEmpty(client.Enqueue<FirstEnqueuedAfterAHostStopped>(j => j.Run())));

        await using var scope = alive.Services.CreateAsyncScope();
        var storage = scope.ServiceProvider.GetRequiredService<JobStorage>();
        Assert.Equal(5, storage.GetMonitoringApi().EnqueuedCount("default"));
    }

    /// <summary>A job enqueued by no other test: its attributes are read, and made, on its first enqueue in the process.</summary>
    public sealed class FirstEnqueuedAfterAHostStopped
    {
        /// <summary>Does nothing; the attribute is what matters.</summary>
        [AutomaticRetry(Attempts = 1)]
        public void Run()
        {
        }
    }
}
