using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Agencies;

/// <summary>One client's month so far, as the agency dashboard shows it.</summary>
/// <param name="TenantId">Client business.</param>
/// <param name="Name">Business name.</param>
/// <param name="Status">Its status.</param>
/// <param name="Calls">Phone calls (test-console conversations excluded).</param>
/// <param name="Bookings">Bookings made.</param>
/// <param name="Price">The agency's price for it.</param>
/// <param name="Money">Minutes, charge, wholesale and margin (cents).</param>
public sealed record AgencyClientUsage(Guid TenantId, string Name, TenantStatus Status, int Calls, int Bookings, ClientPrice Price, ClientMargin Money)
{
    /// <summary>The client's IANA time zone (its pages show times in it).</summary>
    public string TimeZoneId { get; init; } = "UTC";

    /// <summary>Share (0–∞) of the included minutes used.</summary>
    public double IncludedUsed => Price.IncludedMinutes == 0 ? (Money.Minutes > 0 ? 1 : 0) : (double)Money.Minutes / Price.IncludedMinutes;

    /// <summary>At least <see cref="AgencyUsage.AlertShare"/> of the included minutes are used.</summary>
    public bool NearLimit => Price.IncludedMinutes > 0 && Money.Minutes * 100 >= Price.IncludedMinutes * (long)(AgencyUsage.AlertShare * 100);
}

/// <summary>The agency's month: each client and the totals (cents, whole minutes).</summary>
/// <param name="From">Start of the month (UTC).</param>
/// <param name="Clients">Per client, by name.</param>
public sealed record AgencyMonth(DateTimeOffset From, IReadOnlyList<AgencyClientUsage> Clients)
{
    /// <summary>Total minutes.</summary>
    public long Minutes => Clients.Sum(c => c.Money.Minutes);

    /// <summary>Total calls.</summary>
    public int Calls => Clients.Sum(c => c.Calls);

    /// <summary>Total bookings.</summary>
    public int Bookings => Clients.Sum(c => c.Bookings);

    /// <summary>Total charged to clients, cents.</summary>
    public long ChargeCents => Clients.Sum(c => c.Money.ChargeCents);

    /// <summary>Total paid to Portal, cents.</summary>
    public long WholesaleCents => Clients.Sum(c => c.Money.WholesaleCents);

    /// <summary>Total margin, cents.</summary>
    public long MarginCents => ChargeCents - WholesaleCents;
}

/// <summary>
/// Usage and money per client of the signed-in member's agency for the current UTC calendar month: calls and minutes
/// (each call rounded up to a whole minute, length from Twilio's <c>CallDuration</c> or the start/end times), bookings
/// made, and <see cref="ResellerPricing.Margin"/>. Reads the agency's clients across the tenant filter, never others.
/// </summary>
public sealed class AgencyUsage(IDbContextFactory<PortalDbContext> contextFactory, AgencyAccess access, TimeProvider clock)
{
    /// <summary>Share of included minutes at which a client is flagged (80 %).</summary>
    public const double AlertShare = 0.8;

    /// <summary>The month so far.</summary>
    /// <exception cref="UnauthorizedAccessException">Not a member of an active agency.</exception>
    public async Task<AgencyMonth> MonthAsync(CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Staff, cancellationToken);
        var now = clock.GetUtcNow();
        var from = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Every query below crosses tenants on purpose and is narrowed to this agency's clients.
        var clients = await db.Tenants.IgnoreQueryFilters().AsNoTracking().Where(t => t.AgencyId == membership.AgencyId)
            .OrderBy(t => t.Name).Select(t => new { t.Id, t.Name, t.Status, t.TimeZoneId }).ToListAsync(cancellationToken);
        var ids = clients.Select(c => c.Id).ToList();
        var plans = await db.AgencyClientPlans.IgnoreQueryFilters().AsNoTracking().Where(p => ids.Contains(p.TenantId)).ToDictionaryAsync(p => p.TenantId, cancellationToken);
        var calls = await CallMinutesAsync(db, ids, from, cancellationToken);
        var bookings = await db.Bookings.IgnoreQueryFilters().AsNoTracking().Where(b => ids.Contains(b.TenantId) && b.CreatedAt >= from)
            .GroupBy(b => b.TenantId).Select(g => new { TenantId = g.Key, Count = g.Count() }).ToDictionaryAsync(b => b.TenantId, b => b.Count, cancellationToken);
        return new AgencyMonth(from, clients.Select(c =>
        {
            var plan = plans.GetValueOrDefault(c.Id) ?? DefaultPlan(c.Id, membership.AgencyId);
            var (count, minutes) = calls.GetValueOrDefault(c.Id);
            return new AgencyClientUsage(c.Id, c.Name, c.Status, count, bookings.GetValueOrDefault(c.Id),
                new ClientPrice(plan.Tier, plan.MonthlyFeeCents, plan.IncludedMinutes, plan.OverageCentsPerMinute),
                ResellerPricing.Margin(plan, minutes)) { TimeZoneId = c.TimeZoneId };
        }).ToList());
    }

    /// <summary>
    /// Phone calls and billable minutes per client of the calls started since <paramref name="from"/> (test calls excluded;
    /// each call rounded up to a whole minute, its length from Twilio's <c>CallDuration</c> or else its start and end; a
    /// call still in progress counts 0 minutes until it ends). Reads across the tenant filter: callers pass only the
    /// clients they may see. The agency dashboard and the agency's overage metering both count with it.
    /// </summary>
    public static async Task<Dictionary<Guid, (int Calls, long Minutes)>> CallMinutesAsync(PortalDbContext db, IReadOnlyCollection<Guid> tenantIds, DateTimeOffset from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var calls = await db.Conversations.IgnoreQueryFilters().AsNoTracking()
            .Where(c => tenantIds.Contains(c.TenantId) && c.Channel == Channel.Voice && !c.IsTest && c.StartedAt >= from)
            .Select(c => new { c.TenantId, c.DurationSeconds, c.StartedAt, c.EndedAt }).ToListAsync(cancellationToken);
        return calls.GroupBy(c => c.TenantId).ToDictionary(g => g.Key, g => (g.Count(),
            g.Sum(x => ResellerPricing.Minutes(x.DurationSeconds ?? (x.EndedAt is { } end ? (long)(end - x.StartedAt).TotalSeconds : 0)))));
    }

    /// <summary>The month as CSV (RFC 4180): one row per client, money in dollars with two decimals.</summary>
    public static string ToCsv(AgencyMonth month)
    {
        ArgumentNullException.ThrowIfNull(month);
        var csv = new StringBuilder("client,status,calls,minutes,included_minutes,bookings,charge_usd,wholesale_usd,margin_usd\r\n");
        foreach (var c in month.Clients)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Quote(c.Name)},{c.Status},{c.Calls},{c.Money.Minutes},{c.Price.IncludedMinutes},{c.Bookings},{Dollars(c.Money.ChargeCents)},{Dollars(c.Money.WholesaleCents)},{Dollars(c.Money.MarginCents)}\r\n");
        }

        csv.Append(CultureInfo.InvariantCulture, $"Total,,{month.Calls},{month.Minutes},,{month.Bookings},{Dollars(month.ChargeCents)},{Dollars(month.WholesaleCents)},{Dollars(month.MarginCents)}\r\n");
        return csv.ToString();
    }

    private static AgencyClientPlan DefaultPlan(Guid tenantId, Guid agencyId)
    {
        var tier = ResellerPricing.Of(ResellerTier.Starter);
        return new AgencyClientPlan { TenantId = tenantId, AgencyId = agencyId, Tier = tier.Tier, MonthlyFeeCents = tier.MonthlyFeeCents, IncludedMinutes = tier.IncludedMinutes, OverageCentsPerMinute = tier.OverageCentsPerMinute };
    }

    private static string Dollars(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Quote(string value)
    {
        // Formula injection guard: a leading =, +, - or @ is prefixed so spreadsheets treat it as text.
        var safe = value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
