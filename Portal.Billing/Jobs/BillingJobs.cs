using Hangfire;
using Portal.Billing.Agencies;
using Portal.Billing.Stripe;

namespace Portal.Billing.Jobs;

/// <summary>Records usage of every ended conversation (<see cref="UsageRecorder"/>); safe to run twice (unique per conversation).</summary>
[AutomaticRetry(Attempts = 3)] // A database blip; the next run catches up anyway.
[DisableConcurrentExecution(timeoutInSeconds: 600)]
public sealed class RecordUsageJob(UsageRecorder recorder)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "billing:record-usage";

    /// <summary>Runs once.</summary>
    public Task<int> RunAsync(CancellationToken cancellationToken) => recorder.RecordEndedAsync(cancellationToken);
}

/// <summary>
/// Records usage, then reports it to Stripe's meter (<see cref="MeterReporter"/>); then brings agencies' wholesale
/// subscriptions in step with their clients and reports their overage (<see cref="AgencyMeterReporter"/>).
/// Retried by Hangfire with back-off; a retry resends only what Stripe has not accepted, with the same identifiers, so
/// nothing is billed twice.
/// </summary>
[AutomaticRetry(Attempts = 5)] // Stripe or the network failed mid-run; identifiers make a resend harmless.
[DisableConcurrentExecution(timeoutInSeconds: 600)]
public sealed class ReportMeterEventsJob(UsageRecorder recorder, MeterReporter reporter, AgencySubscriptions agencies, AgencyMeterReporter agencyMeters)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "billing:report-meter-events";

    /// <summary>Runs once.</summary>
    public async Task<MeterReportResult> RunAsync(CancellationToken cancellationToken)
    {
        await recorder.RecordEndedAsync(cancellationToken);
        var result = await reporter.ReportAsync(cancellationToken);
        await agencies.SyncAllAsync(cancellationToken);
        await agencyMeters.ReportAsync(cancellationToken);
        return result;
    }
}

/// <summary>Nightly comparison of local usage with Stripe's meter event summaries (<see cref="BillingReconciler"/>).</summary>
[AutomaticRetry(Attempts = 2)] // Stripe unavailable; tomorrow's run covers the same month.
public sealed class ReconcileBillingJob(BillingReconciler reconciler)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "billing:reconcile";

    /// <summary>Runs once over this month so far.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var (start, end) = reconciler.NightlyWindow();
        return (await reconciler.ReconcileAsync(start, end, cancellationToken)).Count;
    }
}
