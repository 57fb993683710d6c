using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Agencies;

/// <summary>
/// What a person sees of the company behind the portal: Portal's own brand, or an agency's for its clients.
/// </summary>
/// <param name="AgencyId">The agency, or null for Portal's own brand.</param>
/// <param name="Name">Name shown in titles, the app bar, the sign-in page and emails.</param>
/// <param name="PrimaryColor"><c>#RRGGBB</c>.</param>
/// <param name="SecondaryColor"><c>#RRGGBB</c>.</param>
/// <param name="LogoUrl">Relative URL of the logo, or null for the default icon.</param>
/// <param name="FaviconUrl">Relative URL of the favicon.</param>
/// <param name="SupportEmail">Support email or null.</param>
/// <param name="SupportPhone">Support phone or null.</param>
/// <param name="EmailSenderName">From name of emails.</param>
/// <param name="SmsSender">SMS sender id or null (the number).</param>
/// <param name="LegalFooter">Footer text or null.</param>
public sealed record Brand(Guid? AgencyId, string Name, string PrimaryColor, string SecondaryColor, string? LogoUrl, string FaviconUrl,
    string? SupportEmail, string? SupportPhone, string EmailSenderName, string? SmsSender, string? LegalFooter)
{
    /// <summary>Portal's own brand.</summary>
    public static Brand Platform { get; } = new(null, "Portal", "#2F5BEA", "#6B7280", null, "favicon.svg", null, null, "Portal", null, null);

    /// <summary>Whether this is an agency's brand.</summary>
    public bool IsAgency => AgencyId is not null;
}

/// <summary>
/// The one place that decides which brand a request, circuit, email or SMS carries: the verified custom domain of the
/// request's host first, else the agency of the business concerned, else the agency the signed-in user works for, else
/// Portal's. Answers are cached in memory for <see cref="AgencyOptions.BrandCacheSeconds"/> (brand edits call
/// <see cref="Forget"/>); a suspended or unapproved agency's brand is not served.
/// </summary>
public sealed class BrandResolver(IServiceScopeFactory scopes, IOptions<AgencyOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (Brand Brand, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>The brand for a request on <paramref name="host"/> (null: none) about <paramref name="tenantId"/> by <paramref name="userId"/>.</summary>
    public async Task<Brand> ResolveAsync(string? host, Guid? tenantId, Guid? userId, CancellationToken cancellationToken)
    {
        if (NormalizeHost(host) is { } h && await CachedAsync("h:" + h, db => AgencyOfHostAsync(db, h, cancellationToken), cancellationToken) is { IsAgency: true } byHost)
        {
            return byHost;
        }

        if (tenantId is { } t && await CachedAsync("t:" + t, db => AgencyOfTenantAsync(db, t, cancellationToken), cancellationToken) is { IsAgency: true } byTenant)
        {
            return byTenant;
        }

        if (userId is { } u && await CachedAsync("u:" + u, db => AgencyOfUserAsync(db, u, cancellationToken), cancellationToken) is { IsAgency: true } byUser)
        {
            return byUser;
        }

        return Brand.Platform;
    }

    /// <summary>The brand of the business <paramref name="tenantId"/> (emails and SMS about it).</summary>
    public Task<Brand> ForTenantAsync(Guid? tenantId, CancellationToken cancellationToken) => ResolveAsync(null, tenantId, null, cancellationToken);

    /// <summary>
    /// The stored logo or favicon of agency <paramref name="agencyId"/> (SVGs were sanitized on upload), or null when it
    /// has none or the agency is not active. Not cached: the URLs carry a version and browsers cache the bytes.
    /// </summary>
    public async Task<BrandImage?> ImageAsync(Guid agencyId, BrandImageKind kind, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
        var image = await db.Agencies.AsNoTracking().Where(a => a.Id == agencyId && a.Status == AgencyStatus.Active)
            .Select(a => kind == BrandImageKind.Logo ? new { Bytes = a.Logo, Type = a.LogoContentType } : new { Bytes = a.Favicon, Type = a.FaviconContentType })
            .FirstOrDefaultAsync(cancellationToken);
        return image?.Bytes is null || image.Type is null ? null : new BrandImage(image.Bytes, image.Type);
    }

    /// <summary>Drops every cached answer (a brand, domain or client changed).</summary>
    public void Forget() => _cache.Clear();

    /// <summary>Lower-case host without port or trailing dot, or null when empty.</summary>
    public static string? NormalizeHost(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var h = host.Trim().ToLowerInvariant();
        var colon = h.LastIndexOf(':');
        if (colon > 0 && !h.Contains(']', StringComparison.Ordinal))
        {
            h = h[..colon];
        }

        return h.TrimEnd('.');
    }

    private async Task<Brand> CachedAsync(string key, Func<PortalDbContext, Task<Agency?>> load, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(key, out var hit) && hit.Expires > now)
        {
            return hit.Brand;
        }

        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
        var agency = await load(db);
        var brand = agency is { Status: AgencyStatus.Active } ? Of(agency) : Brand.Platform;
        _cache[key] = (brand, now.AddSeconds(options.Value.BrandCacheSeconds));
        return brand;
    }

    private static Brand Of(Agency a)
    {
        var version = a.UpdatedAt.ToUnixTimeSeconds();
        return new Brand(a.Id, a.Name, a.PrimaryColor, a.SecondaryColor,
            a.Logo is null ? null : $"brand/{a.Id}/logo?v={version}",
            a.Favicon is null ? (a.Logo is null ? Brand.Platform.FaviconUrl : $"brand/{a.Id}/logo?v={version}") : $"brand/{a.Id}/favicon?v={version}",
            a.SupportEmail, a.SupportPhone, a.EmailSenderName ?? a.Name, a.SmsSender, a.LegalFooter);
    }

    private static Task<Agency?> AgencyOfHostAsync(PortalDbContext db, string host, CancellationToken ct) =>
        (from d in db.AgencyDomains.AsNoTracking()
         join a in db.Agencies.AsNoTracking() on d.AgencyId equals a.Id
         where d.Host == host && d.Status == DomainStatus.Verified
         select a).FirstOrDefaultAsync(ct);

    // The brand of any business is looked up by id across the tenant filter: it is not the business's data, only whose brand it wears.
    private static Task<Agency?> AgencyOfTenantAsync(PortalDbContext db, Guid tenantId, CancellationToken ct) =>
        (from t in db.Tenants.IgnoreQueryFilters().AsNoTracking()
         join a in db.Agencies.AsNoTracking() on t.AgencyId equals a.Id
         where t.Id == tenantId
         select a).FirstOrDefaultAsync(ct);

    private static Task<Agency?> AgencyOfUserAsync(PortalDbContext db, Guid userId, CancellationToken ct) =>
        (from m in db.AgencyMembers.AsNoTracking()
         join a in db.Agencies.AsNoTracking() on m.AgencyId equals a.Id
         where m.UserId == userId
         select a).FirstOrDefaultAsync(ct);
}
