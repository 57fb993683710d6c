using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Domain.LiveChat;

/// <summary>What the widget edge knows about one business's widget, looked up by its public key before any tenant is current.</summary>
/// <param name="WidgetId">The widget row.</param>
/// <param name="TenantId">Owning business.</param>
/// <param name="AgentPersonaId">The agent it talks to.</param>
/// <param name="PublicKey">The snippet's <c>data-agent</c>.</param>
/// <param name="AllowedOrigins">Normalised allowed origins (<see cref="WidgetOrigins.Normalize"/>).</param>
/// <param name="Colour">Colour, <c>#rrggbb</c>.</param>
/// <param name="AgentName">The agent's name.</param>
/// <param name="BusinessName">The business's name.</param>
/// <param name="HandoverWaitSeconds">How long a request for a person waits, seconds.</param>
public sealed record WidgetInfo(Guid WidgetId, Guid TenantId, Guid AgentPersonaId, string PublicKey, IReadOnlyList<string> AllowedOrigins,
    string Colour, string AgentName, string BusinessName, int HandoverWaitSeconds)
{
    /// <summary>True when <paramref name="origin"/> (the browser's <c>Origin</c> header) is one of <see cref="AllowedOrigins"/>.</summary>
    public bool Allows(string? origin) => WidgetOrigins.Normalize(origin) is { } o && AllowedOrigins.Contains(o, StringComparer.Ordinal);
}

/// <summary>
/// Finds a widget by its public key across tenants (the widget's requests carry no tenant: the key decides it, and the
/// <c>Origin</c> check authorizes it). Results are cached for <see cref="CacheFor"/> per process; settings changes call
/// <see cref="Invalidate"/>. Only active businesses with a live agent are found.
/// </summary>
public sealed class WidgetDirectory(IDbContextFactory<PortalDbContext> contextFactory, TimeProvider timeProvider)
{
    /// <summary>How long a lookup (or a miss) is cached.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private static readonly ConcurrentDictionary<string, (WidgetInfo? Info, DateTimeOffset Until)> Cache = new(StringComparer.Ordinal);

    /// <summary>The widget with <paramref name="publicKey"/>, or null when there is none (or its business is not active).</summary>
    public async ValueTask<WidgetInfo?> FindAsync(string? publicKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(publicKey) || publicKey.Length > Portal.Data.Entities.ChatWidget.PublicKeyMaxLength)
        {
            return null;
        }

        var now = timeProvider.GetUtcNow();
        if (Cache.TryGetValue(publicKey, out var hit) && hit.Until > now)
        {
            return hit.Info;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Cross-tenant on purpose: the public key is what tells us the tenant.
        var row = await db.ChatWidgets.IgnoreQueryFilters().AsNoTracking()
            .Where(w => w.PublicKey == publicKey)
            .Select(w => new
            {
                w.Id, w.TenantId, w.AgentPersonaId, w.PublicKey, w.AllowedOrigins, w.Colour, w.HandoverWaitSeconds,
                Agent = db.AgentPersonas.IgnoreQueryFilters().Where(a => a.Id == w.AgentPersonaId).Select(a => new { a.Name, a.IsLive }).FirstOrDefault(),
                Tenant = db.Tenants.IgnoreQueryFilters().Where(t => t.Id == w.TenantId).Select(t => new { t.Name, t.Status }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        WidgetInfo? info = null;
        if (row is { Agent.IsLive: true, Tenant.Status: Portal.Data.Entities.TenantStatus.Active })
        {
            var origins = row.AllowedOrigins.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(WidgetOrigins.Normalize).OfType<string>().ToArray();
            info = new WidgetInfo(row.Id, row.TenantId, row.AgentPersonaId, row.PublicKey, origins, row.Colour, row.Agent.Name, row.Tenant.Name, row.HandoverWaitSeconds);
        }

        Cache[publicKey] = (info, now + CacheFor);
        return info;
    }

    /// <summary>Forgets the cached lookup of <paramref name="publicKey"/> (after its settings changed).</summary>
    public static void Invalidate(string publicKey) => Cache.TryRemove(publicKey, out _);
}

/// <summary>Website origins as browsers send them in the <c>Origin</c> header (RFC 6454): scheme, host and port.</summary>
public static class WidgetOrigins
{
    /// <summary>
    /// <c>scheme://host[:port]</c> in lower case with the default port dropped, or null when <paramref name="value"/> is not an
    /// http(s) origin (a path other than <c>/</c>, a query, user info or the literal <c>null</c> origin are refused).
    /// </summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
        {
            return null;
        }

        if ((uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.AbsolutePath != "/" || uri.Query.Length > 0
            || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
        {
            return null;
        }

        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
    }
}
