namespace Portal.Domain.Brain.Mcp;

/// <summary>What a valid MCP bearer token grants.</summary>
/// <param name="TenantId">The one business the token is bound to; every tool runs in it.</param>
/// <param name="AllowBooking">True when the token may create bookings; otherwise it is read-only.</param>
public sealed record McpGrant(Guid TenantId, bool AllowBooking);

/// <summary>
/// Turns a bearer token presented to <c>/mcp</c> into the business it is bound to. Implemented by
/// <see cref="McpTokenService"/>: per-business MCP tokens (<c>pmcp_…</c>) and the owner's API keys (<c>pk_…</c>).
/// </summary>
public interface IMcpTokenValidator
{
    /// <summary>The grant of <paramref name="token"/>, or null when it is unknown, revoked or malformed.</summary>
    Task<McpGrant?> ValidateAsync(string token, CancellationToken cancellationToken);
}
