using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Domain.Data;

namespace Portal.Billing.Stripe;

/// <summary>What one reporting run did.</summary>
/// <param name="Sent">Meter events Stripe accepted.</param>
/// <param name="Failed">Events that failed this run (left for the next).</param>
/// <param name="Batches">Batches read.</param>
public sealed record MeterReportResult(int Sent, int Failed, int Batches);

/// <summary>
/// Reports unreported call usage to Stripe as billing meter events, in batches of <see cref="BatchSize"/> sent with
/// bounded concurrency, marking each batch's accepted records at once. A record is only marked after Stripe accepted
/// it; a crash in between means a resend with the same <c>identifier</c> (the call id), which Stripe does not count
/// twice. Records fail up to <see cref="MaxAttempts"/> times, then wait for an admin. Businesses without a Stripe
/// customer are skipped until they have one.
/// </summary>
public sealed class MeterReporter(IDbContextFactory<PortalDbContext> contextFactory, StripeGateway stripe, TimeProvider timeProvider, ILogger<MeterReporter> logger)
{
    /// <summary>Records read and sent per batch.</summary>
    public const int BatchSize = 500;

    /// <summary>Requests in flight at once.</summary>
    public const int Concurrency = 8;

    /// <summary>Attempts before a record stops being retried.</summary>
    public const int MaxAttempts = 10;

    /// <summary>Sends every reportable record. No-op when Stripe is not configured.</summary>
    public async Task<MeterReportResult> ReportAsync(CancellationToken cancellationToken)
    {
        if (!stripe.IsConfigured)
        {
            return new MeterReportResult(0, 0, 0);
        }

        int sent = 0, failed = 0, batches = 0;
        // Records that failed this run are not retried within it (the next run retries them).
        var failedIds = new List<Guid>();
        while (true)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            // Platform job over every business (no tenant is current).
            var batch = await (from u in db.UsageRecords.IgnoreQueryFilters()
                               join a in db.BillingAccounts.IgnoreQueryFilters() on u.TenantId equals a.TenantId
                               where u.MeterReportedAt == null && u.BillableTenths > 0 && u.MeterAttempts < MaxAttempts && a.StripeCustomerId != null
                                     && !failedIds.Contains(u.Id)
                               orderby u.Id
                               select new { u.Id, u.ConversationId, Customer = a.StripeCustomerId!, u.BillableTenths, u.StartedAt })
                .Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            batches++;
            var accepted = new System.Collections.Concurrent.ConcurrentBag<Guid>();
            var rejected = new System.Collections.Concurrent.ConcurrentBag<Guid>();
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (r, ct) =>
            {
                try
                {
                    await stripe.SendMeterEventAsync(new MeterEventRequest(r.ConversationId.ToString(), r.Customer, r.BillableTenths, r.StartedAt), ct);
                    accepted.Add(r.Id);
                }
                catch (global::Stripe.StripeException ex)
                {
                    logger.LogWarning(ex, "Meter event for call {ConversationId} failed: {StripeError}", r.ConversationId, ex.StripeError?.Message);
                    rejected.Add(r.Id);
                }
                catch (HttpRequestException ex)
                {
                    logger.LogWarning(ex, "Meter event for call {ConversationId} failed", r.ConversationId);
                    rejected.Add(r.Id);
                }
            });

            var now = timeProvider.GetUtcNow();
            var ok = accepted.ToList();
            var bad = rejected.ToList();
            await db.UsageRecords.IgnoreQueryFilters().Where(u => ok.Contains(u.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.MeterReportedAt, now), cancellationToken);
            await db.UsageRecords.IgnoreQueryFilters().Where(u => bad.Contains(u.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.MeterAttempts, u => u.MeterAttempts + 1), cancellationToken);
            sent += ok.Count;
            failed += bad.Count;
            failedIds.AddRange(bad);
        }

        if (sent + failed > 0)
        {
            logger.LogInformation("Meter events: {Sent} sent, {Failed} failed in {Batches} batches", sent, failed, batches);
        }

        return new MeterReportResult(sent, failed, batches);
    }
}
