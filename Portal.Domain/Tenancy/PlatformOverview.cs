using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Tenancy;

/// <summary>The platform's figures on the admin home page.</summary>
/// <param name="Tenants">Businesses listed (at most <see cref="PlatformOverview.MaxRows"/>).</param>
/// <param name="Live">Of those, active ones.</param>
/// <param name="Available">Pool numbers available.</param>
/// <param name="Reserved">Pool numbers held by a wizard.</param>
/// <param name="Assigned">Numbers assigned to businesses.</param>
/// <param name="MonthlyCostCents">What the assigned numbers cost a month, in cents.</param>
/// <param name="ConversationsToday">Conversations of every business since UTC midnight.</param>
/// <param name="Rows">The latest businesses, newest first.</param>
public sealed record PlatformFigures(int Tenants, int Live, int Available, int Reserved, int Assigned, long MonthlyCostCents, int ConversationsToday, IReadOnlyList<Tenant> Rows);

/// <summary>The admin overview's reads across every business (platform admins only; the page's policy enforces that).</summary>
public sealed class PlatformOverview(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider)
{
    /// <summary>Most businesses listed.</summary>
    public const int MaxRows = 200;

    /// <summary>The platform's figures now.</summary>
    public async Task<PlatformFigures> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Platform admins see every tenant: these queries deliberately ignore the tenant filter.
        var tenants = await db.Tenants.IgnoreQueryFilters().AsNoTracking().OrderByDescending(t => t.CreatedAt).Take(MaxRows).ToListAsync(cancellationToken);
        var numbers = await db.PhoneNumbers.AsNoTracking().GroupBy(p => p.Status)
            .Select(g => new { g.Key, Count = g.Count(), Cost = g.Sum(p => p.MonthlyCostCents) }).ToListAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var since = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero);
        var conversations = await db.Conversations.IgnoreQueryFilters().CountAsync(c => c.StartedAt >= since, cancellationToken);
        int Count(PhoneNumberStatus s) => numbers.FirstOrDefault(n => n.Key == s)?.Count ?? 0;
        return new PlatformFigures(tenants.Count, tenants.Count(t => t.Status == TenantStatus.Active), Count(PhoneNumberStatus.Available), Count(PhoneNumberStatus.Reserved),
            Count(PhoneNumberStatus.Assigned), numbers.Where(n => n.Key == PhoneNumberStatus.Assigned).Sum(n => n.Cost), conversations, tenants);
    }
}
