using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.ApiKeys;
using Portal.Domain.Security;
using Portal.Domain.Tenancy;

namespace Portal.Domain.Brain.Mcp;

/// <summary>An MCP token as the settings card lists it (never the token itself).</summary>
/// <param name="Id">Token id.</param>
/// <param name="Name">The owner's name for it.</param>
/// <param name="Prefix">First characters of the token.</param>
/// <param name="AllowBooking">Whether it may create bookings.</param>
/// <param name="CreatedAt">Created (UTC).</param>
/// <param name="LastUsedAt">Last used (UTC), or null.</param>
public sealed record McpTokenView(Guid Id, string Name, string Prefix, bool AllowBooking, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>A token just created: <paramref name="Token"/> is shown once and never stored.</summary>
/// <param name="View">The stored row.</param>
/// <param name="Token">The bearer token (<c>pmcp_</c> + 43 base64url characters).</param>
public sealed record CreatedMcpToken(McpTokenView View, string Token);

/// <summary>
/// Per-business MCP tokens: create (the token is returned once, its SHA-256 hash stored), list, revoke, and validate
/// (<see cref="IMcpTokenValidator"/>). The owner's API keys (<c>pk_…</c>, <see cref="ApiKeyService"/>) are accepted as
/// bearer tokens too: bound to the key's business, read-only unless the key has the <see cref="ApiKeyScopes.Write"/> scope.
/// </summary>
public sealed class McpTokenService(
    IDbContextFactory<PortalDbContext> contextFactory, ITenantContext tenantContext, TimeProvider timeProvider, IApiKeyValidator apiKeys) : IMcpTokenValidator
{
    /// <summary>Prefix of every token, so a leaked one is recognisable.</summary>
    public const string TokenPrefix = "pmcp_";

    /// <summary>Most active tokens per business.</summary>
    public const int MaxActivePerTenant = 20;

    /// <summary>Active tokens of the current business, newest first.</summary>
    public async Task<IReadOnlyList<McpTokenView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.McpTokens.AsNoTracking().Where(t => t.RevokedAt == null).OrderByDescending(t => t.CreatedAt)
            .Select(t => new McpTokenView(t.Id, t.Name, t.Prefix, t.AllowBooking, t.CreatedAt, t.LastUsedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Creates a token for the current business.</summary>
    /// <exception cref="ArgumentException">The name is empty or longer than <see cref="McpToken.NameMaxLength"/>.</exception>
    /// <exception cref="InvalidOperationException">No business is selected, or it already has <see cref="MaxActivePerTenant"/> tokens.</exception>
    public async Task<CreatedMcpToken> CreateAsync(string name, bool allowBooking, CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("No business is selected.");
        name = (name ?? "").Trim();
        if (name.Length is 0 or > McpToken.NameMaxLength)
        {
            throw new ArgumentException($"Give the token a name of 1 to {McpToken.NameMaxLength} characters.", nameof(name));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (await db.McpTokens.CountAsync(t => t.RevokedAt == null, cancellationToken) >= MaxActivePerTenant)
        {
            throw new InvalidOperationException($"A business can have at most {MaxActivePerTenant} active tokens; revoke one first.");
        }

        var token = SecretTokens.New(TokenPrefix);
        var row = new McpToken
        {
            TenantId = tenantId,
            Name = name,
            TokenHash = Hash(token),
            Prefix = token[..McpToken.PrefixLength],
            AllowBooking = allowBooking,
        };
        db.McpTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedMcpToken(new McpTokenView(row.Id, row.Name, row.Prefix, row.AllowBooking, row.CreatedAt, null), token);
    }

    /// <summary>Revokes a token of the current business; false when there is no such active token.</summary>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        return await db.McpTokens.Where(t => t.Id == id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken) == 1;
    }

    /// <inheritdoc />
    public async Task<McpGrant?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (token is not null && token.StartsWith(ApiKeyService.KeyPrefix, StringComparison.Ordinal))
        {
            return await apiKeys.ValidateAsync(token, cancellationToken) is { } key ? new McpGrant(key.TenantId, key.Scopes.Contains(ApiKeyScopes.Write)) : null;
        }

        if (string.IsNullOrEmpty(token) || !token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return null;
        }

        var hash = Hash(token);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // The request has no tenant yet: the token is what names it, so the lookup spans tenants (by unique hash only).
        var row = await db.McpTokens.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null)
            .Select(t => new { t.Id, t.TenantId, t.AllowBooking })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var now = timeProvider.GetUtcNow();
        await db.McpTokens.IgnoreQueryFilters().Where(t => t.Id == row.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        return new McpGrant(row.TenantId, row.AllowBooking);
    }

    /// <summary>SHA-256 of the token's UTF-8 bytes as lowercase hex (<see cref="SecretTokens.Sha256Hex"/>).</summary>
    public static string Hash(string token) => SecretTokens.Sha256Hex(token);
}
