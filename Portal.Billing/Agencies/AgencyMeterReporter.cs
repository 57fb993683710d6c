using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Billing.Stripe;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Agencies;

namespace Portal.Billing.Agencies;

/// <summary>What one agency metering run did.</summary>
/// <param name="Queued">New overage events written.</param>
/// <param name="Sent">Events Stripe accepted.</param>
/// <param name="Failed">Events that failed this run (left for the next).</param>
public sealed record AgencyMeterResult(int Queued, int Sent, int Failed);

/// <summary>
/// Reports agencies' overage minutes to Stripe's meters with the same gateway and meter-event rules as the businesses'
/// <see cref="MeterReporter"/>. Each client's month is counted as the agency dashboard counts it
/// (<see cref="AgencyUsage.CallMinutesAsync"/>); minutes beyond its reseller tier's included minutes are overage, sent to
/// that tier's meter (<see cref="AgencyStripePrices.OverageEventName"/>, one unit a minute). Growth since the last run is
/// first written as an <see cref="AgencyOverageEvent"/> (identifier = client, month, running total), then every unsent
/// event is sent and marked, so a crash or a lost answer leads to a resend with the same identifier, which Stripe does not
/// count twice, and a run that finds nothing new sends nothing.
/// </summary>
public sealed class AgencyMeterReporter(
    IDbContextFactory<PortalDbContext> contextFactory, StripeGateway stripe, AgencySubscriptions subscriptions, TimeProvider clock, ILogger<AgencyMeterReporter> logger)
{
    /// <summary>Attempts before an event stops being retried (it then waits for an admin).</summary>
    public const int MaxAttempts = 10;

    /// <summary>Queues this month's new overage of every agency with a subscription, then sends every unsent event.</summary>
    public async Task<AgencyMeterResult> ReportAsync(CancellationToken cancellationToken)
    {
        if (!subscriptions.IsConfigured)
        {
            return new AgencyMeterResult(0, 0, 0);
        }

        var queued = await QueueAsync(cancellationToken);
        var (sent, failed) = await SendAsync(cancellationToken);
        if (queued + sent + failed > 0)
        {
            logger.LogInformation("Agency overage: {Queued} queued, {Sent} sent, {Failed} failed", queued, sent, failed);
        }

        return new AgencyMeterResult(queued, sent, failed);
    }

    /// <summary>The identifier of a client's overage event: unique per client, month and running total.</summary>
    public static string Identifier(Guid tenantId, DateTimeOffset month, long upToMinutes) =>
        string.Create(CultureInfo.InvariantCulture, $"agency-overage:{tenantId:N}:{month:yyyy-MM}:{upToMinutes}");

    private async Task<int> QueueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Platform job: every agency client of an agency Portal bills, across the tenant filter.
        var clients = await (from t in db.Tenants.IgnoreQueryFilters().AsNoTracking()
                             join a in db.Agencies.AsNoTracking() on t.AgencyId equals a.Id
                             join p in db.AgencyClientPlans.IgnoreQueryFilters().AsNoTracking() on t.Id equals p.TenantId into plans
                             from p in plans.DefaultIfEmpty()
                             where a.StripeSubscriptionId != null
                             select new { TenantId = t.Id, AgencyId = a.Id, Tier = p == null ? ResellerTier.Starter : p.Tier }).ToListAsync(cancellationToken);
        var ids = clients.Select(c => c.TenantId).ToList();
        var minutes = await AgencyUsage.CallMinutesAsync(db, ids, month, cancellationToken);
        var reported = await db.AgencyOverageEvents.AsNoTracking().Where(e => ids.Contains(e.TenantId) && e.Month == month)
            .GroupBy(e => e.TenantId).Select(g => new { TenantId = g.Key, UpTo = g.Max(e => e.UpToMinutes) })
            .ToDictionaryAsync(x => x.TenantId, x => x.UpTo, cancellationToken);
        var queued = 0;
        foreach (var client in clients)
        {
            var overage = Math.Max(0, minutes.GetValueOrDefault(client.TenantId).Minutes - ResellerPricing.Of(client.Tier).IncludedMinutes);
            var before = reported.GetValueOrDefault(client.TenantId);
            if (overage <= before)
            {
                continue;
            }

            await using var insert = await contextFactory.CreateDbContextAsync(cancellationToken);
            insert.AgencyOverageEvents.Add(new AgencyOverageEvent
            {
                AgencyId = client.AgencyId, TenantId = client.TenantId, Month = month, Tier = client.Tier, UpToMinutes = overage, Minutes = overage - before,
                Identifier = Identifier(client.TenantId, month, overage), CreatedAt = now,
            });
            try
            {
                queued += await insert.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // A concurrent run queued the same running total first.
            }
        }

        return queued;
    }

    private async Task<(int Sent, int Failed)> SendAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var pending = await (from e in db.AgencyOverageEvents.AsNoTracking()
                             join a in db.Agencies.AsNoTracking() on e.AgencyId equals a.Id
                             where e.ReportedAt == null && e.Attempts < MaxAttempts && a.StripeCustomerId != null
                             orderby e.CreatedAt, e.Id
                             select new { e.Id, e.Identifier, e.Minutes, e.Tier, e.CreatedAt, Customer = a.StripeCustomerId! }).ToListAsync(cancellationToken);
        int sent = 0, failed = 0;
        foreach (var e in pending)
        {
            try
            {
                await stripe.SendMeterEventAsync(new MeterEventRequest(e.Identifier, e.Customer, e.Minutes, e.CreatedAt,
                    stripe.Options.Agency.OverageEventName(e.Tier.ToString())), cancellationToken);
                await db.AgencyOverageEvents.Where(x => x.Id == e.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReportedAt, clock.GetUtcNow()), cancellationToken);
                sent++;
            }
            catch (Exception ex) when (ex is global::Stripe.StripeException or HttpRequestException)
            {
                logger.LogWarning(ex, "Agency overage event {Identifier} failed", e.Identifier);
                await db.AgencyOverageEvents.Where(x => x.Id == e.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Attempts, x => x.Attempts + 1), cancellationToken);
                failed++;
            }
        }

        return (sent, failed);
    }
}
