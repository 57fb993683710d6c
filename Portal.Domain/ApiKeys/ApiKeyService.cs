using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Security;
using Portal.Domain.Tenancy;

namespace Portal.Domain.ApiKeys;

/// <summary>Scopes an API key can carry.</summary>
public static class ApiKeyScopes
{
    /// <summary>GET requests: read conversations, bookings, settings.</summary>
    public const string Read = "read";

    /// <summary>POST/PUT/PATCH/DELETE requests: create and change things.</summary>
    public const string Write = "write";

    /// <summary>Every scope, in display order.</summary>
    public static readonly IReadOnlyList<string> All = [Read, Write];
}

/// <summary>An API key as listed to its owner (never the key itself).</summary>
public sealed record ApiKeyInfo(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A key that was just created: <see cref="Secret"/> is shown once and never again.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Key, string Secret);

/// <summary>What a valid key stands for: the business and what it may do.</summary>
public sealed record ValidatedApiKey(Guid KeyId, Guid TenantId, string Name, IReadOnlySet<string> Scopes);

/// <summary>
/// Checks a presented API key. The one place other features (the REST API's authentication handler, an MCP
/// server) ask "which business is this key for, and with which scopes?".
/// </summary>
public interface IApiKeyValidator
{
    /// <summary>Looks up <paramref name="presentedKey"/> by its SHA-256 and records its use (at most once a minute).</summary>
    /// <param name="presentedKey">The key as sent (e.g. from <c>Authorization: Bearer</c>); any string.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The key's tenant and scopes, or null when unknown, malformed or revoked.</returns>
    Task<ValidatedApiKey?> ValidateAsync(string presentedKey, CancellationToken cancellationToken);
}

/// <summary>
/// Creates, lists and revokes the current business's API keys, and validates presented keys. A key is
/// <c>pk_</c> + 32 random bytes in Base64Url (256 bits of entropy), so a fast unsalted SHA-256 suffices for
/// storage (OWASP: a high-entropy secret needs no slow hash); the hash is a unique index for the lookup.
/// </summary>
public sealed class ApiKeyService(IDbContextFactory<PortalDbContext> contextFactory, ITenantContext tenantContext, TimeProvider clock) : IApiKeyValidator
{
    /// <summary>Text every key starts with.</summary>
    public const string KeyPrefix = "pk_";

    /// <summary>Keys of the current business, newest first (revoked ones included).</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
        return keys.Select(ToInfo).ToList();
    }

    /// <summary>Creates a key for the current business.</summary>
    /// <param name="name">1–<see cref="ApiKey.NameMaxLength"/> characters after trimming.</param>
    /// <param name="scopes">At least one of <see cref="ApiKeyScopes.All"/>.</param>
    /// <param name="createdByUserId">The creating user, for the record.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The key and its secret (to show once).</returns>
    /// <exception cref="ArgumentException">Empty or long name, no scope or an unknown scope; nothing is stored.</exception>
    /// <exception cref="InvalidOperationException">No current business.</exception>
    public async Task<CreatedApiKey> CreateAsync(string name, IEnumerable<string> scopes, Guid? createdByUserId, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("API keys belong to a business; there is no current business.");
        name = (name ?? "").Trim();
        if (name.Length is 0 or > ApiKey.NameMaxLength)
        {
            throw new ArgumentException($"Give the key a name of 1 to {ApiKey.NameMaxLength} characters.", nameof(name));
        }

        var scopeList = scopes.Select(s => s.Trim().ToLowerInvariant()).Distinct().ToList();
        if (scopeList.Count == 0 || scopeList.Any(s => !ApiKeyScopes.All.Contains(s)))
        {
            throw new ArgumentException("Choose at least one scope: read, write.", nameof(scopes));
        }

        var secret = SecretTokens.New(KeyPrefix);
        var key = new ApiKey
        {
            TenantId = tenantId,
            Name = name,
            Prefix = secret[..ApiKey.PrefixLength],
            KeyHash = Hash(secret),
            Scopes = string.Join(' ', ApiKeyScopes.All.Where(scopeList.Contains)),
            CreatedByUserId = createdByUserId,
        };
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(ToInfo(key), secret);
    }

    /// <summary>Revokes a key of the current business; requests with it fail from then on.</summary>
    /// <returns>False when the business has no such key (another business's key is not found either).</returns>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
        {
            return false;
        }

        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task<ValidatedApiKey?> ValidateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(presentedKey) || !presentedKey.StartsWith(KeyPrefix, StringComparison.Ordinal) || presentedKey.Length > 100)
        {
            return null;
        }

        var hash = Hash(presentedKey);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Cross-tenant on purpose: the key is what tells us the tenant.
        var key = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking()
            .Where(k => k.KeyHash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.TenantId, k.Name, k.Scopes, k.LastUsedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (key is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return new ValidatedApiKey(key.Id, key.TenantId, key.Name, key.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
    }

    private static ApiKeyInfo ToInfo(ApiKey k) =>
        new(k.Id, k.Name, k.Prefix, k.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), k.CreatedAt, k.LastUsedAt, k.RevokedAt);

    private static byte[] Hash(string key) => SecretTokens.Sha256(key);
}
