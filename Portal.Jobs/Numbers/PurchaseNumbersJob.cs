using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Notifications;
using Portal.Telephony;

namespace Portal.Jobs.Numbers;

/// <summary>
/// Buys the numbers of one <see cref="NumberPurchaseBatch"/> from the <see cref="ITelephonyProvider"/>,
/// one at a time, pointing each number's VoiceUrl and StatusCallback at Portal and adding it to the pool
/// as Available with the batch's monthly price. Progress is written after every number so the buy page
/// can poll it. Safe to run twice and to retry: every item's state is stored; an item left
/// <see cref="PurchaseItemStatus.Purchasing"/> (crash, timeout, 5xx: the purchase may have gone through)
/// is looked up in the provider's owned numbers before anything is bought again; a number already in
/// the pool is never bought twice (and the unique E.164 index backs that up).
/// </summary>
public sealed class PurchaseNumbersJob(
    IDbContextFactory<PortalDbContext> contextFactory,
    ITelephonyProvider provider,
    IOutbox outbox,
    TimeProvider timeProvider,
    ILogger<PurchaseNumbersJob> logger)
{
    /// <summary>How many searches a bulk batch may run before it stops looking for more numbers.</summary>
    public const int MaxSearches = 20;

    /// <summary>Buys what is left of batch <paramref name="batchId"/>; returns the batch's final status.</summary>
    /// <exception cref="InvalidOperationException">The batch belongs to another provider than the one configured now.</exception>
    [AutomaticRetry(Attempts = 0)] // a failed batch is marked Failed with its reason; the admin retries it from the buy page (items already bought are kept)
    public async Task<PurchaseBatchStatus> RunAsync(Guid batchId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var batch = await db.NumberPurchaseBatches.Include(b => b.Items).FirstOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch is null)
        {
            logger.LogWarning("Purchase batch {BatchId} does not exist", batchId);
            return PurchaseBatchStatus.Failed;
        }

        if (batch.Status is PurchaseBatchStatus.Completed)
        {
            return batch.Status;
        }

        if (!string.Equals(batch.Provider, provider.ProviderName, StringComparison.Ordinal))
        {
            await FailAsync(db, batch, $"The batch was made for provider '{batch.Provider}' but '{provider.ProviderName}' is configured now.", cancellationToken);
            return batch.Status;
        }

        batch.Status = PurchaseBatchStatus.Running;
        batch.Error = null;
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            await RecoverUncertainAsync(db, batch, cancellationToken);
            var searches = 0;
            while (true)
            {
                var item = batch.Items.Where(i => i.Status == PurchaseItemStatus.Pending).OrderBy(i => i.E164, StringComparer.Ordinal).FirstOrDefault();
                if (item is null)
                {
                    if (!IsBulk(batch) || batch.SucceededCount >= batch.RequestedCount || searches >= MaxSearches
                        || !await FindMoreAsync(db, batch, cancellationToken))
                    {
                        break;
                    }

                    searches++;
                    continue;
                }

                await BuyAsync(db, batch, item, cancellationToken);
            }

            batch.Status = PurchaseBatchStatus.Completed;
            batch.CompletedAt = timeProvider.GetUtcNow();
            if (IsBulk(batch) && batch.SucceededCount < batch.RequestedCount)
            {
                batch.Error = $"Only {batch.SucceededCount} of {batch.RequestedCount} numbers could be bought: the provider has no more matching numbers.";
            }

            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Purchase batch {BatchId} completed: {Succeeded} bought, {Failed} failed", batch.Id, batch.SucceededCount, batch.FailedCount);
            await outbox.SendEmailAsync(batch.RequestedByEmail, $"Number purchase finished: {batch.SucceededCount} of {batch.RequestedCount} bought",
                $"Your purchase batch of {batch.RequestedCount} number(s) from {batch.Provider} finished.\n\nBought: {batch.SucceededCount}\nFailed: {batch.FailedCount}\n{batch.Error}\n\nSee Platform › Buy numbers in Portal for the per-number results.",
                OutboxCategories.PurchaseFinished, null, CancellationToken.None);
        }
        catch (TelephonyException ex) when (ex.Kind is TelephonyErrorKind.Authentication or TelephonyErrorKind.RateLimited or TelephonyErrorKind.ServerError
            or TelephonyErrorKind.Transport or TelephonyErrorKind.Timeout or TelephonyErrorKind.Unknown)
        {
            // The provider is unusable right now: stop here; the admin retries the batch, bought items are kept.
            logger.LogWarning(ex, "Purchase batch {BatchId} stopped: {Kind}", batch.Id, ex.Kind);
            await FailAsync(db, batch, $"Stopped: {ex.Message} Retry the batch when the provider is reachable; numbers already bought are kept.", CancellationToken.None);
        }

        return batch.Status;
    }

    private static bool IsBulk(NumberPurchaseBatch batch) => batch.IsBulk;

    private async Task BuyAsync(PortalDbContext db, NumberPurchaseBatch batch, NumberPurchaseItem item, CancellationToken cancellationToken)
    {
        if (await db.PhoneNumbers.AnyAsync(p => p.E164 == item.E164, cancellationToken))
        {
            Finish(batch, item, PurchaseItemStatus.Failed, null, null, "Already in the pool; not bought again.");
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        // Mark first: if we crash or time out mid-request, the next run checks the provider before buying again.
        item.Status = PurchaseItemStatus.Purchasing;
        await db.SaveChangesAsync(cancellationToken);
        OwnedNumber owned;
        try
        {
            owned = await provider.PurchaseAsync(item.E164, new Uri(batch.VoiceUrl), new Uri(batch.StatusCallbackUrl), cancellationToken);
        }
        catch (TelephonyException ex) when (ex.OutcomeUnknown)
        {
            logger.LogWarning(ex, "Purchase of {E164} may or may not have happened; looking it up", item.E164);
            var found = (await provider.ListOwnedAsync(cancellationToken)).FirstOrDefault(o => o.PhoneNumber == item.E164);
            if (found is null)
            {
                Finish(batch, item, PurchaseItemStatus.Failed, null, null, $"Not bought: {ex.Message}");
                await db.SaveChangesAsync(cancellationToken);
                return;
            }

            await AddToPoolAsync(db, batch, item, found, PurchaseItemStatus.AlreadyOwned, cancellationToken);
            return;
        }
        catch (TelephonyException ex) when (ex.Kind is TelephonyErrorKind.NumberNotAvailable or TelephonyErrorKind.InvalidNumber
            or TelephonyErrorKind.InvalidRequest or TelephonyErrorKind.NotFound)
        {
            Finish(batch, item, PurchaseItemStatus.Failed, null, null, ex.Message);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        catch (ArgumentException ex)
        {
            Finish(batch, item, PurchaseItemStatus.Failed, null, null, ex.Message);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        catch (TelephonyException)
        {
            // Stopping the batch: the purchase did not happen (the outcome is known), so the item can be tried again.
            item.Status = PurchaseItemStatus.Pending;
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }

        await AddToPoolAsync(db, batch, item, owned, PurchaseItemStatus.Purchased, cancellationToken);
    }

    private async Task AddToPoolAsync(PortalDbContext db, NumberPurchaseBatch batch, NumberPurchaseItem item, OwnedNumber owned, PurchaseItemStatus status, CancellationToken cancellationToken)
    {
        var number = new PhoneNumber
        {
            E164 = owned.PhoneNumber,
            AreaCode = owned.PhoneNumber.StartsWith("+1", StringComparison.Ordinal) && owned.PhoneNumber.Length == 12 ? owned.PhoneNumber[2..5] : "",
            Region = item.Region,
            Locality = item.Locality,
            Provider = provider.ProviderName,
            ProviderSid = owned.ProviderSid,
            Status = PhoneNumberStatus.Available,
            MonthlyCostCents = batch.MonthlyCostCents,
        };
        db.PhoneNumbers.Add(number);
        Finish(batch, item, status, owned.ProviderSid, number.Id, null);
        // The pool row and the item's result commit together (one SaveChanges = one transaction).
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private void Finish(NumberPurchaseBatch batch, NumberPurchaseItem item, PurchaseItemStatus status, string? sid, Guid? numberId, string? error)
    {
        item.Status = status;
        item.ProviderSid = sid;
        item.PhoneNumberId = numberId;
        item.Error = error is { Length: > NumberPurchaseBatch.ErrorMaxLength } ? error[..NumberPurchaseBatch.ErrorMaxLength] : error;
        item.CompletedAt = timeProvider.GetUtcNow();
        batch.ProcessedCount++;
        if (status is PurchaseItemStatus.Failed)
        {
            batch.FailedCount++;
        }
        else
        {
            batch.SucceededCount++;
        }
    }

    /// <summary>Items left Purchasing by an interrupted run: adopt the ones the provider owns, retry the others.</summary>
    private async Task RecoverUncertainAsync(PortalDbContext db, NumberPurchaseBatch batch, CancellationToken cancellationToken)
    {
        var uncertain = batch.Items.Where(i => i.Status == PurchaseItemStatus.Purchasing).ToList();
        if (uncertain.Count == 0)
        {
            return;
        }

        var owned = (await provider.ListOwnedAsync(cancellationToken)).ToDictionary(o => o.PhoneNumber, StringComparer.Ordinal);
        foreach (var item in uncertain)
        {
            if (owned.TryGetValue(item.E164, out var found) && !await db.PhoneNumbers.AnyAsync(p => p.E164 == item.E164, cancellationToken))
            {
                await AddToPoolAsync(db, batch, item, found, PurchaseItemStatus.AlreadyOwned, cancellationToken);
            }
            else
            {
                item.Status = PurchaseItemStatus.Pending;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Bulk batches: searches the provider and adds up to the missing count of numbers not in the pool nor the batch. False when none were new.</summary>
    private async Task<bool> FindMoreAsync(PortalDbContext db, NumberPurchaseBatch batch, CancellationToken cancellationToken)
    {
        var missing = batch.RequestedCount - batch.SucceededCount;
        var found = await provider.SearchAvailableAsync(new AvailableNumberQuery(
            "US", batch.SearchAreaCode, batch.SearchLocality, batch.SearchRegion, batch.SearchContains, AvailableNumberQuery.MaxLimit), cancellationToken);
        var candidates = found.Select(n => n.PhoneNumber).ToList();
        var inPool = (await db.PhoneNumbers.AsNoTracking().Where(p => candidates.Contains(p.E164)).Select(p => p.E164).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var fresh = found
            .Where(n => !inPool.Contains(n.PhoneNumber) && batch.Items.All(i => i.E164 != n.PhoneNumber))
            .Take(missing)
            .Select(n => new NumberPurchaseItem { BatchId = batch.Id, E164 = n.PhoneNumber, Locality = n.Locality ?? "", Region = n.Region ?? "" })
            .ToList();
        if (fresh.Count == 0)
        {
            return false;
        }

        // Added through the set: the items carry client-side keys, which EF would otherwise take for existing rows.
        db.NumberPurchaseItems.AddRange(fresh);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private async Task FailAsync(PortalDbContext db, NumberPurchaseBatch batch, string error, CancellationToken cancellationToken)
    {
        batch.Status = PurchaseBatchStatus.Failed;
        batch.Error = error.Length > NumberPurchaseBatch.ErrorMaxLength ? error[..NumberPurchaseBatch.ErrorMaxLength] : error;
        batch.CompletedAt = timeProvider.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }
}
