using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Conversations.Understanding;
using Portal.Domain.Instances;

namespace Portal.Domain.Conversations;

/// <summary>
/// Builds <see cref="BusinessProfile"/> snapshots from the database and keeps them per tenant, so a
/// turn costs no fact queries. Pages that edit facts call <see cref="Invalidate"/>, which drops the entry here and, through
/// <see cref="CacheInvalidationBus"/>, on every other instance over the same database; entries also expire after
/// <see cref="TimeToLive"/> (a safety net for a lost notification).
/// </summary>
public sealed class BusinessProfileCache
{
    /// <summary>How long a snapshot is trusted without invalidation.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<Guid, (BusinessProfile Profile, DateTimeOffset LoadedAt)> _cache = new();
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly TimeProvider _timeProvider;
    private readonly CacheInvalidationBus? _bus;
    private long _epoch;

    /// <summary>Creates the cache.</summary>
    /// <param name="scopeFactory">Scopes for loading a snapshot.</param>
    /// <param name="timeProvider">Clock for <see cref="TimeToLive"/>.</param>
    /// <param name="bus">Cross-instance invalidation (<see cref="CacheTopics.BusinessProfile"/>), or null for one process.</param>
    public BusinessProfileCache(IServiceScopeFactory scopeFactory, TimeProvider timeProvider, CacheInvalidationBus? bus = null)
    {
        _scopeFactory = scopeFactory;
        _timeProvider = timeProvider;
        _bus = bus;
        bus?.Subscribe(CacheTopics.BusinessProfile, Drop);
    }

    /// <summary>The tenant's current snapshot. Throws <see cref="InvalidOperationException"/> when the tenant does not exist.</summary>
    public async ValueTask<BusinessProfile> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        if (_cache.TryGetValue(tenantId, out var entry) && now - entry.LoadedAt < TimeToLive)
        {
            return entry.Profile;
        }

        var epoch = Interlocked.Read(ref _epoch);
        var profile = await LoadAsync(tenantId, cancellationToken);
        // An invalidation that arrived while loading may concern rows read before the edit: keep nothing then.
        if (Interlocked.Read(ref _epoch) == epoch)
        {
            _cache[tenantId] = (profile, now);
        }

        return profile;
    }

    /// <summary>Drops the tenant's snapshot after its facts changed, here and on every other instance.</summary>
    public void Invalidate(Guid tenantId)
    {
        Drop(tenantId);
        _bus?.Publish(CacheTopics.BusinessProfile, tenantId);
    }

    private void Drop(Guid? tenantId)
    {
        Interlocked.Increment(ref _epoch);
        if (tenantId is { } id)
        {
            _cache.TryRemove(id, out _);
        }
        else
        {
            _cache.Clear();
        }
    }

    private async Task<BusinessProfile> LoadAsync(Guid tenantId, CancellationToken ct)
    {
        await using var scope = _scopeFactory.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        // The voice channel has no signed-in user: every query below is scoped by the explicit tenantId.
        var tenant = await db.Tenants.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, ct)
            ?? throw new InvalidOperationException($"Tenant {tenantId} does not exist.");
        var services = await db.Services.IgnoreQueryFilters().AsNoTracking().Where(s => s.TenantId == tenantId && s.IsActive).OrderBy(s => s.Name).ToListAsync(ct);
        var hours = await db.BusinessHours.IgnoreQueryFilters().AsNoTracking().Where(h => h.TenantId == tenantId).ToListAsync(ct);
        var closed = await db.ClosedDates.IgnoreQueryFilters().AsNoTracking().Where(c => c.TenantId == tenantId).ToListAsync(ct);
        var persona = await db.AgentPersonas.IgnoreQueryFilters().AsNoTracking().Where(a => a.TenantId == tenantId).OrderByDescending(a => a.IsLive).ThenBy(a => a.CreatedAt).FirstOrDefaultAsync(ct);

        var byDay = new IReadOnlyList<OpeningInterval>[7];
        for (var d = 0; d < 7; d++)
        {
            byDay[d] = hours.Where(h => (int)h.DayOfWeek == d).OrderBy(h => h.Opens).Select(h => new OpeningInterval(h.Opens, h.Closes)).ToArray();
        }

        return new BusinessProfile
        {
            TenantId = tenant.Id,
            Name = tenant.Name,
            Industry = tenant.Industry,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById(tenant.TimeZoneId),
            Address = tenant.Address,
            Phone = tenant.Phone,
            Services = services.Select(s => new ServiceInfo(s.Id, s.Name, s.DurationMinutes, s.PriceCents, s.Description,
                new ServiceCandidate(s.Id, s.Name, SplitKeywords(s.Keywords)))).ToList(),
            Hours = byDay,
            ClosedDates = closed.ToDictionary(c => c.Date, c => c.Reason),
            MinimumNoticeMinutes = tenant.MinimumNoticeMinutes,
            SlotIntervalMinutes = tenant.SlotIntervalMinutes,
            AgentName = persona?.Name ?? "the assistant",
            Personality = persona?.Personality ?? Portal.Data.Entities.Personality.Friendly,
            TransferNumber = persona?.TransferNumber,
            CustomInstructions = persona?.CustomInstructions,
            FactsVersion = tenant.FactsVersion,
        };
    }

    private static string[] SplitKeywords(string? keywords) =>
        string.IsNullOrWhiteSpace(keywords)
            ? []
            : keywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
