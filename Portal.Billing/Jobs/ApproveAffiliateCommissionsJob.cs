using Hangfire;
using Portal.Domain.Affiliates;

namespace Portal.Billing.Jobs;

/// <summary>
/// Daily: approves affiliate commissions whose 30-day refund window has ended (<see cref="AffiliateLedger.ApproveDueAsync"/>).
/// Safe to run twice: only pending lines past their date change.
/// </summary>
[AutomaticRetry(Attempts = 3)] // A database blip; tomorrow's run approves the same lines anyway.
[DisableConcurrentExecution(timeoutInSeconds: 600)]
public sealed class ApproveAffiliateCommissionsJob(AffiliateLedger ledger)
{
    /// <summary>Recurring job id.</summary>
    public const string Id = "affiliates:approve-commissions";

    /// <summary>Runs once.</summary>
    /// <returns>How many commissions were approved.</returns>
    public Task<int> RunAsync(CancellationToken cancellationToken) => ledger.ApproveDueAsync(cancellationToken);
}
