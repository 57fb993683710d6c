using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Billing.Stripe;

/// <summary>What one reporting run did.</summary>
/// <param name="Sent">Meter events Stripe accepted.</param>
/// <param name="Failed">Events that failed this run (left for the next).</param>
/// <param name="Batches">Batches read.</param>
/// <param name="Free">Records the free trial paid for in full: marked reported, nothing sent.</param>
/// <param name="Held">Trial-covered records left for a later run until earlier calls are recorded.</param>
public sealed record MeterReportResult(int Sent, int Failed, int Batches, int Free, int Held);

/// <summary>
/// Reports unreported call usage to Stripe as billing meter events, in batches of <see cref="BatchSize"/> sent with
/// bounded concurrency, marking each batch's accepted records at once. A record is only marked after Stripe accepted
/// it; a crash in between means a resend with the same <c>identifier</c> (the call id), which Stripe does not count
/// twice. Records fail up to <see cref="MaxAttempts"/> times, then wait for an admin. Businesses without a Stripe
/// customer are skipped until they have one.
/// <para>
/// The free trial is never metered: each call is sent with its billable tenths less its <see cref="TrialShare"/>
/// (<see cref="BillingAccounts.TrialSharesAsync"/>, the same chronological rule as the local bill), and a call the trial
/// pays for in full is marked reported without an event. Because the shares follow the calls' start times, a call the
/// trial covers is held while an earlier call of the business is still unrecorded (in progress), which would take the
/// trial first; a later run sends it.
/// </para>
/// </summary>
public sealed class MeterReporter(
    IDbContextFactory<PortalDbContext> contextFactory, StripeGateway stripe, BillingAccounts accounts, TimeProvider timeProvider, ILogger<MeterReporter> logger)
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
            return new MeterReportResult(0, 0, 0, 0, 0);
        }

        int sent = 0, failed = 0, batches = 0, free = 0;
        // Records that failed or were held this run are not read again within it (the next run retries them).
        var failedIds = new List<Guid>();
        var heldIds = new List<Guid>();
        while (true)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            // Platform job over every business (no tenant is current).
            var batch = await (from u in db.UsageRecords.IgnoreQueryFilters()
                               join a in db.BillingAccounts.IgnoreQueryFilters() on u.TenantId equals a.TenantId
                               where u.MeterReportedAt == null && u.BillableTenths > 0 && u.MeterAttempts < MaxAttempts && a.StripeCustomerId != null
                                     && !failedIds.Contains(u.Id) && !heldIds.Contains(u.Id)
                               orderby u.Id
                               select new Pending(u.Id, u.TenantId, u.ConversationId, a.StripeCustomerId!, u.BillableTenths, u.StartedAt, a.TrialMinutes))
                .Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            batches++;
            var metered = await LessTrialAsync(db, batch, heldIds, cancellationToken);
            var covered = metered.Where(r => r.Tenths == 0).Select(r => r.Id).ToList();
            var accepted = new System.Collections.Concurrent.ConcurrentBag<Guid>();
            var rejected = new System.Collections.Concurrent.ConcurrentBag<Guid>();
            await Parallel.ForEachAsync(metered.Where(r => r.Tenths > 0), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (r, ct) =>
            {
                try
                {
                    await stripe.SendMeterEventAsync(new MeterEventRequest(r.ConversationId.ToString(), r.Customer, r.Tenths, r.StartedAt), ct);
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
            var ok = accepted.Concat(covered).ToList();
            var bad = rejected.ToList();
            await db.UsageRecords.IgnoreQueryFilters().Where(u => ok.Contains(u.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.MeterReportedAt, now), cancellationToken);
            await db.UsageRecords.IgnoreQueryFilters().Where(u => bad.Contains(u.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.MeterAttempts, u => u.MeterAttempts + 1), cancellationToken);
            sent += ok.Count - covered.Count;
            free += covered.Count;
            failed += bad.Count;
            failedIds.AddRange(bad);
        }

        if (sent + failed + free + heldIds.Count > 0)
        {
            logger.LogInformation("Meter events: {Sent} sent, {Failed} failed, {Free} free (trial), {Held} held in {Batches} batches", sent, failed, free, heldIds.Count, batches);
        }

        return new MeterReportResult(sent, failed, batches, free, heldIds.Count);
    }

    /// <summary>
    /// The batch with each record's tenths less what the trial covers (0 = free); trial-covered records of a business
    /// with an earlier unrecorded call are left out and added to <paramref name="held"/>.
    /// </summary>
    private async Task<List<Pending>> LessTrialAsync(PortalDbContext db, List<Pending> batch, List<Guid> held, CancellationToken cancellationToken)
    {
        var result = new List<Pending>(batch.Count);
        foreach (var tenant in batch.GroupBy(r => r.TenantId))
        {
            var trialMinutes = tenant.First().TrialMinutes;
            var shares = trialMinutes <= 0 ? new Dictionary<Guid, int>()
                : (await accounts.TrialSharesAsync(tenant.Key, trialMinutes, cancellationToken)).ToDictionary(s => s.UsageId, s => s.Tenths);
            if (!tenant.Any(r => shares.ContainsKey(r.Id)))
            {
                result.AddRange(tenant);
                continue;
            }

            // Platform job: the business's calls that will be recorded later (in progress, or ended since the recorder ran).
            var firstUnrecorded = await db.Conversations.IgnoreQueryFilters()
                .Where(c => c.TenantId == tenant.Key && c.Channel == Channel.Voice && !c.IsTest
                            && !db.UsageRecords.IgnoreQueryFilters().Any(u => u.ConversationId == c.Id))
                .MinAsync(c => (DateTimeOffset?)c.StartedAt, cancellationToken);
            foreach (var r in tenant)
            {
                var share = shares.GetValueOrDefault(r.Id);
                if (share > 0 && firstUnrecorded is { } first && first <= r.StartedAt)
                {
                    held.Add(r.Id);
                    continue;
                }

                result.Add(r with { Tenths = r.Tenths - share });
            }
        }

        return result;
    }

    private sealed record Pending(Guid Id, Guid TenantId, Guid ConversationId, string Customer, int Tenths, DateTimeOffset StartedAt, int TrialMinutes);
}
