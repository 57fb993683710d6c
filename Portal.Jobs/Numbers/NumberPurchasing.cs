using Hangfire;
using Portal.Domain.Numbers;
using Portal.Telephony;

namespace Portal.Jobs.Numbers;

/// <summary>
/// The buy page's entry point: stores a purchase batch (validated, audited) and enqueues the
/// <see cref="PurchaseNumbersJob"/> that buys it, or re-enqueues a failed batch. Platform admins only
/// (enforced by <see cref="PurchaseBatches"/>).
/// </summary>
public sealed class NumberPurchasing(PurchaseBatches batches, ITelephonyProvider provider, IBackgroundJobClient jobs)
{
    /// <summary>Name of the configured provider ("twilio", "sandbox").</summary>
    public string ProviderName => provider.ProviderName;

    /// <summary>Searches the provider's inventory and marks numbers the pool already holds.</summary>
    /// <exception cref="ArgumentException">A malformed filter.</exception>
    /// <exception cref="TelephonyException">The provider refused or failed.</exception>
    public async Task<IReadOnlyList<(AvailableNumber Number, bool InPool)>> SearchAsync(AvailableNumberQuery query, CancellationToken cancellationToken)
    {
        var found = await provider.SearchAvailableAsync(query, cancellationToken);
        var inPool = await batches.InPoolAsync(found.Select(n => n.PhoneNumber), cancellationToken);
        return found.Select(n => (n, inPool.Contains(n.PhoneNumber))).ToList();
    }

    /// <summary>Stores the batch and enqueues its job; returns the batch id.</summary>
    /// <exception cref="ArgumentException">A malformed request; nothing is stored.</exception>
    /// <exception cref="UnauthorizedAccessException">The current user is not a platform admin.</exception>
    public async Task<Guid> StartAsync(PurchaseRequest request, CancellationToken cancellationToken)
    {
        var batchId = await batches.CreateAsync(request, provider.ProviderName, cancellationToken);
        var jobId = jobs.Enqueue<PurchaseNumbersJob>(j => j.RunAsync(batchId, CancellationToken.None));
        await batches.SetJobIdAsync(batchId, jobId, cancellationToken);
        return batchId;
    }

    /// <summary>Re-enqueues a failed batch; false when it is unknown or already completed.</summary>
    public async Task<bool> RetryAsync(Guid batchId, CancellationToken cancellationToken)
    {
        if (!await batches.RequeueAsync(batchId, cancellationToken))
        {
            return false;
        }

        var jobId = jobs.Enqueue<PurchaseNumbersJob>(j => j.RunAsync(batchId, CancellationToken.None));
        await batches.SetJobIdAsync(batchId, jobId, cancellationToken);
        return true;
    }
}
