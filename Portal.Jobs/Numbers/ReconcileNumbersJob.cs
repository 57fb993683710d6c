using Hangfire;
using Microsoft.Extensions.Logging;

namespace Portal.Jobs.Numbers;

/// <summary>Recurring reconciliation of the number pool with the provider's owned numbers (<see cref="PoolReconciler"/>). Safe to run twice.</summary>
public sealed class ReconcileNumbersJob(PoolReconciler reconciler, ILogger<ReconcileNumbersJob> logger)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "numbers:reconcile";

    /// <summary>Runs one reconciliation and returns its counts.</summary>
    [AutomaticRetry(Attempts = 3)] // provider or database hiccups; the run only writes findings keyed by (kind, number), so a retry is harmless
    public async Task<ReconciliationResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = await reconciler.ReconcileAsync(cancellationToken);
        logger.LogInformation("Pool reconciliation: {ProviderNumbers} at provider, {PoolNumbers} in pool, {Open} open findings ({New} new, {Resolved} resolved), webhooks checked: {Checked}",
            result.ProviderNumbers, result.PoolNumbers, result.Open, result.New, result.Resolved, result.WebhooksChecked);
        return result;
    }
}
