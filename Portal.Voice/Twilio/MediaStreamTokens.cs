using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Portal.Voice.Twilio;

/// <summary>What a valid Media Streams token grants: one call's conversation of one tenant.</summary>
/// <param name="CallSid">Twilio call id.</param>
/// <param name="ConversationId">The call's conversation.</param>
/// <param name="TenantId">The conversation's tenant.</param>
/// <param name="ExpiresAt">When the token stops being accepted (UTC).</param>
public sealed record MediaStreamGrant(string CallSid, Guid ConversationId, Guid TenantId, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived tokens handed to Twilio as a <c>&lt;Stream&gt;</c> <c>&lt;Parameter&gt;</c> and checked by the
/// Media Streams WebSocket, so only the call the webhook answered can attach to its conversation. Data
/// Protection <see cref="ITimeLimitedDataProtector"/> (authenticated encryption plus an embedded expiry),
/// purpose <see cref="Purpose"/>, binding the CallSid, conversation id and tenant id.
/// </summary>
public sealed class MediaStreamTokens(IDataProtectionProvider dataProtection, TimeProvider timeProvider)
{
    /// <summary>Data Protection purpose string; changing it invalidates outstanding tokens.</summary>
    public const string Purpose = "Portal.Twilio.MediaStream.v1";

    /// <summary>How long a token is valid: Twilio opens the WebSocket within seconds of the TwiML answer.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    /// <summary>Issues a token valid for <see cref="Lifetime"/> from now.</summary>
    public string Issue(string callSid, Guid conversationId, Guid tenantId) =>
        Issue(callSid, conversationId, tenantId, timeProvider.GetUtcNow() + Lifetime);

    /// <summary>Issues a token that expires at <paramref name="expiresAt"/> (tests issue already-expired ones).</summary>
    /// <param name="callSid">Twilio call id (no <c>|</c>).</param>
    /// <param name="conversationId">The call's conversation.</param>
    /// <param name="tenantId">The conversation's tenant.</param>
    /// <param name="expiresAt">Expiry (UTC).</param>
    /// <returns>The token.</returns>
    /// <exception cref="ArgumentException"><paramref name="callSid"/> is empty or contains <c>|</c>.</exception>
    public string Issue(string callSid, Guid conversationId, Guid tenantId, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callSid);
        if (callSid.Contains('|', StringComparison.Ordinal))
        {
            throw new ArgumentException("A CallSid cannot contain '|'.", nameof(callSid));
        }

        return _protector.Protect(string.Join('|', callSid, conversationId.ToString("N"), tenantId.ToString("N")), expiresAt);
    }

    /// <summary>
    /// Reads a token. Null when it is empty, forged, tampered with, issued for another purpose, or expired.
    /// </summary>
    /// <remarks>REVIEW: the expiry check inside <see cref="ITimeLimitedDataProtector"/> reads the system clock, not <see cref="TimeProvider"/>.</remarks>
    public MediaStreamGrant? Validate(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(token, out var expiresAt).Split('|');
            return parts.Length == 3
                && Guid.TryParseExact(parts[1], "N", out var conversationId)
                && Guid.TryParseExact(parts[2], "N", out var tenantId)
                ? new MediaStreamGrant(parts[0], conversationId, tenantId, expiresAt)
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
