using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;

namespace Portal.Web.Teams;

/// <summary>An invitation as its link's holder sees it.</summary>
/// <param name="Email">The invited address.</param>
/// <param name="BusinessName">The business to join.</param>
/// <param name="Role"><c>BusinessStaff</c> or <c>BusinessOwner</c>.</param>
/// <param name="HasAccount">Whether an account with <paramref name="Email"/> exists (then the holder signs in to accept).</param>
public sealed record InvitationOffer(string Email, string BusinessName, string Role, bool HasAccount);

/// <summary>
/// Accepting an invitation through its link: the holder either signs in with the invited address or creates an
/// account for it. A user belongs to one business, so someone already in a business cannot accept. Lookups go by the
/// token's SHA-256 across businesses (the link holder has no business yet), which is why the query filter is ignored.
/// </summary>
public sealed class InvitationAcceptance(IDbContextFactory<PortalDbContext> contextFactory, UserManager<PortalUser> users, TimeProvider clock)
{
    /// <summary>What <paramref name="token"/> invites to.</summary>
    /// <exception cref="ArgumentException">Unknown, revoked, used or expired link (the message says which for people).</exception>
    public async Task<InvitationOffer> FindAsync(string? token, CancellationToken cancellationToken)
    {
        var invitation = await OpenAsync(token, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // The invitation names its business; read it across the tenant filter for the same reason as above.
        var business = await db.Tenants.IgnoreQueryFilters().Where(t => t.Id == invitation.TenantId).Select(t => t.Name).FirstAsync(cancellationToken);
        return new InvitationOffer(invitation.Email, business, invitation.Role, await users.FindByEmailAsync(invitation.Email) is not null);
    }

    /// <summary>Accepts for the signed-in <paramref name="user"/>: they join the business with the invited role.</summary>
    /// <exception cref="ArgumentException">The link is not open, the user's address is not the invited one, or the user
    /// already belongs to a business (or is a platform admin); nothing changes.</exception>
    public async Task AcceptAsync(string? token, PortalUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var invitation = await OpenAsync(token, cancellationToken);
        if (!string.Equals(user.NormalizedEmail, invitation.NormalizedEmail, StringComparison.Ordinal))
        {
            throw new ArgumentException($"This invitation is for {invitation.Email}. Sign out and sign in with that address.", nameof(token));
        }

        if (user.TenantId is not null || await users.IsInRoleAsync(user, Roles.PlatformAdmin) || await users.IsInRoleAsync(user, Roles.AgencyOwner))
        {
            throw new ArgumentException("Your account already belongs to a business; an account can belong to one business only.", nameof(token));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Claim the invitation first (one winner if the link is used twice at once).
        var claimed = await db.TeamInvitations.IgnoreQueryFilters()
            .Where(i => i.Id == invitation.Id && i.AcceptedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, clock.GetUtcNow()).SetProperty(i => i.AcceptedByUserId, user.Id), cancellationToken);
        if (claimed != 1)
        {
            throw new ArgumentException("This invitation has already been used.", nameof(token));
        }

        var roles = (await users.GetRolesAsync(user)).Where(TeamService.MemberRoles.Contains).ToList();
        if (roles.Count > 0)
        {
            await users.RemoveFromRolesAsync(user, roles);
        }

        await users.AddToRoleAsync(user, invitation.Role);
        user.TenantId = invitation.TenantId;
        user.EmailConfirmed = true; // the link reached this address
        await users.UpdateAsync(user);
    }

    /// <summary>Creates an account for the invited address and accepts with it.</summary>
    /// <param name="token">The link's token.</param>
    /// <param name="displayName">1–80 characters.</param>
    /// <param name="password">Per the Identity password rules.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The new user (for signing in).</returns>
    /// <exception cref="ArgumentException">The link is not open, an account already exists for the address (sign in
    /// instead), or the password is refused (the message lists why); nothing is created.</exception>
    public async Task<PortalUser> RegisterAndAcceptAsync(string? token, string displayName, string password, CancellationToken cancellationToken)
    {
        var invitation = await OpenAsync(token, cancellationToken);
        if (await users.FindByEmailAsync(invitation.Email) is not null)
        {
            throw new ArgumentException($"An account for {invitation.Email} exists: sign in to accept.", nameof(token));
        }

        var user = new PortalUser { UserName = invitation.Email, Email = invitation.Email, DisplayName = displayName.Trim(), CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new ArgumentException(string.Join(" ", created.Errors.Select(e => e.Description).Distinct()), nameof(password));
        }

        await AcceptAsync(token, user, cancellationToken);
        return user;
    }

    private async Task<TeamInvitation> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            throw new ArgumentException("This invitation link is not valid.", nameof(token));
        }

        var hash = TeamService.Hash(token);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var invitation = await db.TeamInvitations.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken)
            ?? throw new ArgumentException("This invitation link is not valid (an owner may have sent a newer one).", nameof(token));
        if (invitation.RevokedAt is not null)
        {
            throw new ArgumentException("This invitation has been withdrawn. Ask the business owner for a new one.", nameof(token));
        }

        if (invitation.AcceptedAt is not null)
        {
            throw new ArgumentException("This invitation has already been used. Sign in instead.", nameof(token));
        }

        return invitation.ExpiresAt <= clock.GetUtcNow()
            ? throw new ArgumentException("This invitation has expired. Ask the business owner to resend it.", nameof(token))
            : invitation;
    }
}
