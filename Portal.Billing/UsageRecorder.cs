using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Billing;

/// <summary>
/// Turns every ended conversation into exactly one <see cref="UsageRecord"/>: calls in billable tenths of a minute (6-second increments),
/// chats as conversations with tokens. Cost components come from what the providers reported on the turns (model cost,
/// tokens) or else from <see cref="BillingOptions"/> unit prices. Idempotent: the unique conversation id makes a second
/// run (or a concurrent one) a no-op. After recording it lets <see cref="BillingNotices"/> check the caps it may have crossed.
/// </summary>
public sealed class UsageRecorder(
    IDbContextFactory<PortalDbContext> contextFactory, IOptions<BillingOptions> options, BillingNotices notices, ILogger<UsageRecorder> logger)
{
    /// <summary>Conversations read per batch.</summary>
    public const int BatchSize = 1_000;

    /// <summary>Records usage for every ended, non-test conversation that has none yet.</summary>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <returns>How many usage records were created.</returns>
    public async Task<int> RecordEndedAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        var tenants = new HashSet<Guid>();
        while (true)
        {
            var batch = await NextBatchAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            total += await InsertAsync(batch, cancellationToken);
            tenants.UnionWith(batch.Select(r => r.TenantId));
            if (batch.Count < BatchSize)
            {
                break;
            }
        }

        foreach (var tenantId in tenants)
        {
            await notices.CheckLimitsAsync(tenantId, cancellationToken);
        }

        if (total > 0)
        {
            logger.LogInformation("Recorded usage of {Count} conversations for {Tenants} businesses", total, tenants.Count);
        }

        return total;
    }

    private async Task<List<UsageRecord>> NextBatchAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Platform work across every business: usage is recorded by a job, no tenant is current.
        var rows = await db.Conversations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.EndedAt != null && !c.IsTest && c.Channel != Channel.Test)
            .Where(c => !db.UsageRecords.IgnoreQueryFilters().Any(u => u.ConversationId == c.Id))
            .OrderBy(c => c.EndedAt)
            .Take(BatchSize)
            .Select(c => new
            {
                c.Id, c.TenantId, c.AgentPersonaId, c.Channel, c.StartedAt, EndedAt = c.EndedAt!.Value, c.DurationSeconds,
                Plan = db.Tenants.IgnoreQueryFilters().Where(t => t.Id == c.TenantId).Select(t => t.Plan).First(),
                Input = db.Turns.IgnoreQueryFilters().Where(t => t.ConversationId == c.Id).Sum(t => (int?)t.InputTokens) ?? 0,
                Output = db.Turns.IgnoreQueryFilters().Where(t => t.ConversationId == c.Id).Sum(t => (int?)t.OutputTokens) ?? 0,
                Reported = db.Turns.IgnoreQueryFilters().Where(t => t.ConversationId == c.Id).Sum(t => t.CostMicroUsd),
            })
            .ToListAsync(cancellationToken);
        var o = options.Value;
        return rows.Select(r =>
        {
            var voice = r.Channel == Channel.Voice;
            // The carrier's duration when reported, else the wall-clock length of the conversation.
            var seconds = voice ? r.DurationSeconds ?? (int)Math.Ceiling(Math.Max(0, (r.EndedAt - r.StartedAt).TotalSeconds)) : 0;
            var tenths = BillingMath.Tenths(seconds);
            return new UsageRecord
            {
                TenantId = r.TenantId,
                ConversationId = r.Id,
                AgentPersonaId = r.AgentPersonaId,
                Channel = r.Channel,
                Direction = "inbound",
                StartedAt = r.StartedAt,
                EndedAt = r.EndedAt,
                BillableSeconds = seconds,
                BillableTenths = tenths,
                InputTokens = r.Input,
                OutputTokens = r.Output,
                // Per-minute unit prices on the exact seconds (providers bill per second).
                SttCostMicros = voice ? o.SttMicrosPerMinute * seconds / 60 : 0,
                TtsCostMicros = voice ? o.TtsMicrosPerMinute * seconds / 60 : 0,
                TelephonyCostMicros = voice ? o.TelephonyMicrosPerMinute * seconds / 60 : 0,
                ModelCostMicros = r.Reported ?? ((r.Input * o.ModelInputMicrosPerToken) + (r.Output * o.ModelOutputMicrosPerToken)),
                Plan = r.Plan,
                PriceMicros = BillingMath.PriceMicros(tenths, PlanTerms.Of(r.Plan).CentsPerMinute),
                Currency = "usd",
            };
        }).ToList();
    }

    private async Task<int> InsertAsync(List<UsageRecord> batch, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.UsageRecords.AddRange(batch);
        try
        {
            return await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent run recorded some of them first: insert the rest one by one, skipping the taken ones.
            var inserted = 0;
            foreach (var record in batch)
            {
                await using var single = await contextFactory.CreateDbContextAsync(cancellationToken);
                single.UsageRecords.Add(record);
                try
                {
                    inserted += await single.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException inner) when (inner.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
                {
                    // Already recorded.
                }
            }

            return inserted;
        }
    }
}
