using Hangfire.States;
using Hangfire.Storage;
using Portal.Domain.Observability;

namespace Portal.Jobs;

/// <summary>
/// Counts jobs that end in Hangfire's Failed state on <see cref="PortalTelemetry.JobsFailed"/> (<c>portal.jobs.failed</c>,
/// tagged <c>portal.job</c> with the job's type name). A job being retried passes through Failed only when its retries are
/// exhausted (<c>AutomaticRetry</c> elects Scheduled instead), so each count is a job that failed for good.
/// See https://docs.hangfire.io/en/latest/extensibility/using-job-filters.html.
/// </summary>
internal sealed class FailedJobsMetric : IApplyStateFilter
{
    private static int _registered;

    /// <summary>Adds the filter to Hangfire's global filters once per process (they are static; test hosts build several apps).</summary>
    public static void RegisterOnce()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            Hangfire.GlobalJobFilters.Filters.Add(new FailedJobsMetric());
        }
    }

    /// <inheritdoc />
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is FailedState)
        {
            PortalTelemetry.JobsFailed.Add(1, new KeyValuePair<string, object?>("portal.job", context.BackgroundJob?.Job?.Type.Name));
        }
    }

    /// <inheritdoc />
    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
