using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Domain.Agencies;

/// <summary>
/// Answers a reverse proxy's on-demand TLS question "may I get a certificate for this host?" (Caddy's <c>ask</c>,
/// https://caddyserver.com/docs/caddyfile/options#on-demand-tls): yes only for a verified agency domain. Answers are
/// cached in memory for <see cref="AgencyOptions.AskCacheSeconds"/>; when the database cannot be read, the last known
/// answer is kept (a certificate renewal for a verified domain does not fail because PostgreSQL blinked), and an
/// unknown host is refused.
/// </summary>
public sealed class TlsAskService(IServiceScopeFactory scopes, IOptions<AgencyOptions> options, TimeProvider clock, ILogger<TlsAskService> logger)
{
    private readonly ConcurrentDictionary<string, (bool Allowed, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="domain"/> is a verified custom domain.</summary>
    public async Task<bool> IsAllowedAsync(string? domain, CancellationToken cancellationToken)
    {
        var host = BrandResolver.NormalizeHost(domain);
        if (host is null || host.Length > AgencyDomain.HostMaxLength)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(host, out var hit) && hit.Expires > now)
        {
            return hit.Allowed;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
            var allowed = await db.AgencyDomains.AsNoTracking().AnyAsync(d => d.Host == host && d.Status == DomainStatus.Verified, cancellationToken);
            _cache[host] = (allowed, now.AddSeconds(options.Value.AskCacheSeconds));
            return allowed;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning(ex, "TLS ask for {Host} could not read the database; answering from the last known state", host);
            return hit.Allowed;
        }
    }

    /// <summary>Forgets a host's cached answer (its domain was verified or removed).</summary>
    public void Forget(string host) => _cache.TryRemove(BrandResolver.NormalizeHost(host) ?? "", out _);
}
