using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Telephony;

namespace Portal.Web.Health;

/// <summary>Health check names and tags, shared by <c>/health</c> and the admin health page.</summary>
public static class PortalHealthChecks
{
    /// <summary>PostgreSQL answers.</summary>
    public const string Database = "database";

    /// <summary>The Hangfire job server of this process is alive.</summary>
    public const string JobServer = "job-server";

    /// <summary>Telephony provider configuration.</summary>
    public const string Provider = "telephony-provider";

    /// <summary>Hangfire queue backlog and failures.</summary>
    public const string PendingJobs = "pending-jobs";

    /// <summary>
    /// Adds the job server, provider and pending-jobs checks (the database check is registered by
    /// <see cref="WebSetup"/>). ASP.NET Core health checks:
    /// https://learn.microsoft.com/aspnet/core/host-and-deploy/health-checks .
    /// </summary>
    public static IHealthChecksBuilder AddPortalAdminChecks(this IHealthChecksBuilder builder) => builder
        .AddCheck<JobServerHealthCheck>(JobServer)
        .AddCheck<TelephonyProviderHealthCheck>(Provider)
        .AddCheck<PendingJobsHealthCheck>(PendingJobs);
}

/// <summary>
/// Healthy when a Hangfire server of this deployment sent a heartbeat in the last <see cref="MaxHeartbeatAge"/>;
/// Healthy (with a note) when this process runs no job server by configuration (<c>Jobs:RunServer=false</c>);
/// Unhealthy when no server is alive, so jobs (purchases, reconciliation) would never run.
/// </summary>
public sealed class JobServerHealthCheck(JobStorage storage, IConfiguration configuration, TimeProvider timeProvider) : IHealthCheck
{
    /// <summary>Oldest heartbeat still counted as alive (Hangfire's default heartbeat is 30 s).</summary>
    public static readonly TimeSpan MaxHeartbeatAge = TimeSpan.FromMinutes(2);

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var runsHere = configuration.GetValue("Jobs:RunServer", true);
        try
        {
            var now = timeProvider.GetUtcNow().UtcDateTime;
            var servers = storage.GetMonitoringApi().Servers();
            var alive = servers.Count(s => s.Heartbeat is { } beat && now - beat < MaxHeartbeatAge);
            var data = new Dictionary<string, object> { ["servers"] = servers.Count, ["alive"] = alive, ["runsInThisProcess"] = runsHere };
            if (alive > 0)
            {
                return Task.FromResult(HealthCheckResult.Healthy($"{alive} job server(s) alive.", data));
            }

            return Task.FromResult(runsHere
                ? HealthCheckResult.Unhealthy("No job server has sent a heartbeat in the last 2 minutes: jobs will not run.", data: data)
                : HealthCheckResult.Healthy("This process runs no job server (Jobs:RunServer=false).", data));
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Job storage does not answer.", ex));
        }
    }
}

/// <summary>
/// Reports which telephony provider is configured. The sandbox is healthy (keyless mode); Twilio is
/// healthy when its options validate (account SID shape, token present). It never calls Twilio:
/// <c>/health</c> is polled every 30 s and must not spend API requests.
/// </summary>
public sealed class TelephonyProviderHealthCheck(IServiceProvider services) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var provider = services.GetRequiredService<ITelephonyProvider>();
            if (provider is SandboxTelephonyProvider)
            {
                return Task.FromResult(HealthCheckResult.Healthy("Sandbox (keyless): fictional 555-01xx numbers, no Twilio account configured.",
                    new Dictionary<string, object> { ["provider"] = provider.ProviderName }));
            }

            var options = services.GetRequiredService<IOptions<TwilioOptions>>().Value;
            var sid = options.AccountSid;
            return Task.FromResult(HealthCheckResult.Healthy($"Twilio account {sid[..Math.Min(6, sid.Length)]}… at {options.BaseUrl.Host}.",
                new Dictionary<string, object> { ["provider"] = provider.ProviderName }));
        }
        catch (OptionsValidationException ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Twilio is configured but its settings are invalid: " + string.Join("; ", ex.Failures)));
        }
    }
}

/// <summary>
/// Hangfire backlog: Degraded when more than <see cref="MaxEnqueued"/> jobs wait or any job failed for good
/// (they stay in the Failed list until an admin retries or deletes them on the dashboard).
/// </summary>
public sealed class PendingJobsHealthCheck(JobStorage storage) : IHealthCheck
{
    /// <summary>Queue length above which the job server is falling behind.</summary>
    public const long MaxEnqueued = 500;

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var stats = storage.GetMonitoringApi().GetStatistics();
            var data = new Dictionary<string, object>
            {
                ["enqueued"] = stats.Enqueued, ["scheduled"] = stats.Scheduled, ["processing"] = stats.Processing, ["failed"] = stats.Failed, ["recurring"] = stats.Recurring,
            };
            var summary = $"{stats.Enqueued} enqueued, {stats.Scheduled} scheduled, {stats.Processing} processing, {stats.Failed} failed, {stats.Recurring} recurring.";
            return Task.FromResult(stats.Enqueued > MaxEnqueued || stats.Failed > 0
                ? HealthCheckResult.Degraded(summary, data: data)
                : HealthCheckResult.Healthy(summary, data));
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Job storage does not answer.", ex));
        }
    }
}
