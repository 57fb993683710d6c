using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Data.Tenancy;
using Portal.Domain.Audit;
using Portal.Domain.Notifications;
using Portal.Domain.Tenancy;

namespace Portal.Web.Teams;

/// <summary>A person in the business, as the Team tab lists them.</summary>
public sealed record TeamMember(Guid UserId, string DisplayName, string Email, string Role, bool IsYou);

/// <summary>Where an invitation stands.</summary>
public enum InvitationStatus
{
    /// <summary>Sent and not yet used; the link works.</summary>
    Pending,

    /// <summary>Sent, but the link is older than 7 days; resend to renew it.</summary>
    Expired,
}

/// <summary>An open invitation as the Team tab lists it (never its token).</summary>
public sealed record TeamInvitationView(Guid Id, string Email, string Role, DateTimeOffset SentAt, DateTimeOffset ExpiresAt, InvitationStatus Status);

/// <summary>The Team tab's content: members and open (pending or expired) invitations.</summary>
public sealed record TeamView(IReadOnlyList<TeamMember> Members, IReadOnlyList<TeamInvitationView> Invitations);

/// <summary>
/// The owner's management of the business's team: invite by email (a one-time link, SHA-256 stored, valid 7 days),
/// resend, revoke, change a member's role, remove a member. Every change of role or removal renews the member's
/// security stamp, which ends their sessions at the next validation. Only an owner (or a platform admin viewing the
/// business) may call the changing methods. Each call uses a fresh scope on the current business (a Blazor Server
/// circuit outlives a request).
/// </summary>
public sealed class TeamService(ICurrentUser currentUser, ITenantContext tenantContext, IServiceScopeFactory scopes, TimeProvider clock)
{
    /// <summary>Roles a member can have.</summary>
    public static readonly IReadOnlyList<string> MemberRoles = [Roles.BusinessOwner, Roles.BusinessStaff];

    /// <summary>Outbox category of invitation emails.</summary>
    public const string InvitationCategory = "team.invitation";

    /// <summary>Members (owners first, then by name) and open invitations (newest first) of the current business.</summary>
    /// <exception cref="InvalidOperationException">No current business.</exception>
    public async Task<TeamView> GetAsync(CancellationToken cancellationToken)
    {
        var tenantId = RequireTenant();
        var me = (await currentUser.GetAsync(cancellationToken))?.UserId;
        await using var scope = Scope(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var members = await (from u in db.Users.AsNoTracking()
                             where u.TenantId == tenantId
                             let role = (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id
                                         where ur.UserId == u.Id && (r.Name == Roles.BusinessOwner || r.Name == Roles.BusinessStaff)
                                         orderby r.Name select r.Name).FirstOrDefault()
                             select new { u.Id, u.DisplayName, u.Email, Role = role }).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var invitations = await db.TeamInvitations.AsNoTracking().Where(i => i.AcceptedAt == null && i.RevokedAt == null)
            .OrderByDescending(i => i.SentAt).ToListAsync(cancellationToken);
        return new TeamView(
            members.Select(m => new TeamMember(m.Id, m.DisplayName, m.Email ?? "", m.Role ?? Roles.BusinessStaff, m.Id == me))
                .OrderBy(m => m.Role == Roles.BusinessOwner ? 0 : 1).ThenBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase).ToList(),
            invitations.Select(i => new TeamInvitationView(i.Id, i.Email, i.Role, i.SentAt, i.ExpiresAt, i.ExpiresAt > now ? InvitationStatus.Pending : InvitationStatus.Expired)).ToList());
    }

    /// <summary>Invites <paramref name="email"/> to the current business and emails them the link.</summary>
    /// <param name="email">One address, at most 256 characters.</param>
    /// <param name="role"><c>BusinessStaff</c> or <c>BusinessOwner</c>.</param>
    /// <param name="baseUri">Absolute base URI of the site, ending with <c>/</c>, for the link.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="ArgumentException">A malformed address, an unknown role, an address that is already a member or
    /// already has an open invitation (resend it instead); nothing changes.</exception>
    /// <exception cref="UnauthorizedAccessException">The caller is not an owner of the business.</exception>
    public async Task<TeamInvitationView> InviteAsync(string email, string role, string baseUri, CancellationToken cancellationToken)
    {
        var tenantId = RequireTenant();
        var actor = await RequireOwnerAsync(tenantId, cancellationToken);
        email = (email ?? "").Trim();
        if (email.Length is 0 or > TeamInvitation.EmailMaxLength || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            throw new ArgumentException("Enter one valid email address.", nameof(email));
        }

        if (!MemberRoles.Contains(role))
        {
            throw new ArgumentException("Choose Owner or Staff.", nameof(role));
        }

        var normalized = email.ToUpperInvariant();
        await using var scope = Scope(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        if (await db.Users.AnyAsync(u => u.TenantId == tenantId && u.NormalizedEmail == normalized, cancellationToken))
        {
            throw new ArgumentException($"{email} is already in your team.", nameof(email));
        }

        if (await db.TeamInvitations.AnyAsync(i => i.NormalizedEmail == normalized && i.AcceptedAt == null && i.RevokedAt == null, cancellationToken))
        {
            throw new ArgumentException($"{email} has already been invited; resend that invitation instead.", nameof(email));
        }

        var now = clock.GetUtcNow();
        var token = NewToken();
        var invitation = new TeamInvitation
        {
            TenantId = tenantId, Email = email, NormalizedEmail = normalized, Role = role, TokenHash = Hash(token),
            InvitedByUserId = actor.UserId, SentAt = now, ExpiresAt = now + TeamInvitation.Lifetime,
        };
        db.TeamInvitations.Add(invitation);
        await db.SaveChangesAsync(cancellationToken);
        await SendAsync(scope.ServiceProvider, db, invitation, token, baseUri, cancellationToken);
        return new TeamInvitationView(invitation.Id, email, role, now, invitation.ExpiresAt, InvitationStatus.Pending);
    }

    /// <summary>Sends an open invitation again with a new link valid 7 days; the old link stops working.</summary>
    /// <exception cref="KeyNotFoundException">No open invitation <paramref name="invitationId"/> in the current business.</exception>
    /// <exception cref="UnauthorizedAccessException">The caller is not an owner of the business.</exception>
    public async Task ResendAsync(Guid invitationId, string baseUri, CancellationToken cancellationToken)
    {
        var tenantId = RequireTenant();
        await RequireOwnerAsync(tenantId, cancellationToken);
        await using var scope = Scope(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var invitation = await OpenInvitationAsync(db, invitationId, cancellationToken);
        var token = NewToken();
        invitation.TokenHash = Hash(token);
        invitation.SentAt = clock.GetUtcNow();
        invitation.ExpiresAt = invitation.SentAt + TeamInvitation.Lifetime;
        await db.SaveChangesAsync(cancellationToken);
        await SendAsync(scope.ServiceProvider, db, invitation, token, baseUri, cancellationToken);
    }

    /// <summary>Revokes an open invitation: its link stops working at once.</summary>
    /// <exception cref="KeyNotFoundException">No open invitation <paramref name="invitationId"/> in the current business.</exception>
    /// <exception cref="UnauthorizedAccessException">The caller is not an owner of the business.</exception>
    public async Task RevokeAsync(Guid invitationId, CancellationToken cancellationToken)
    {
        var tenantId = RequireTenant();
        await RequireOwnerAsync(tenantId, cancellationToken);
        await using var scope = Scope(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var invitation = await OpenInvitationAsync(db, invitationId, cancellationToken);
        invitation.RevokedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Gives member <paramref name="userId"/> the role <paramref name="role"/> and ends their sessions (they sign in again with it).</summary>
    /// <exception cref="ArgumentException">Unknown role, or it would leave the business without an owner; nothing changes.</exception>
    /// <exception cref="KeyNotFoundException">No such member in the current business.</exception>
    /// <exception cref="UnauthorizedAccessException">The caller is not an owner of the business.</exception>
    public async Task ChangeRoleAsync(Guid userId, string role, CancellationToken cancellationToken)
    {
        var tenantId = RequireTenant();
        await RequireOwnerAsync(tenantId, cancellationToken);
        if (!MemberRoles.Contains(role))
        {
            throw new ArgumentException("Choose Owner or Staff.", nameof(role));
        }

        await using var scope = Scope(tenantId);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await MemberAsync(users, tenantId, userId);
        if (await users.IsInRoleAsync(user, role))
        {
            return;
        }

        if (role != Roles.BusinessOwner)
        {
            await RequireAnotherOwnerAsync(users, tenantId, userId);
        }

        var current = (await users.GetRolesAsync(user)).Where(MemberRoles.Contains).ToList();
        if (current.Count > 0)
        {
            Check(await users.RemoveFromRolesAsync(user, current));
        }

        Check(await users.AddToRoleAsync(user, role));
        Check(await users.UpdateSecurityStampAsync(user));
    }

    /// <summary>Removes member <paramref name="userId"/> from the business: their account stays, without a business or
    /// role, and their sessions end. Their notification choices are deleted.</summary>
    /// <exception cref="ArgumentException">It would leave the business without an owner; nothing changes.</exception>
    /// <exception cref="KeyNotFoundException">No such member in the current business.</exception>
    /// <exception cref="UnauthorizedAccessException">The caller is not an owner of the business.</exception>
    public async Task RemoveAsync(Guid userId, CancellationToken cancellationToken)
    {
        var tenantId = RequireTenant();
        await RequireOwnerAsync(tenantId, cancellationToken);
        await using var scope = Scope(tenantId);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await MemberAsync(users, tenantId, userId);
        await RequireAnotherOwnerAsync(users, tenantId, userId);
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.NotificationPreferences.Where(p => p.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        var roles = (await users.GetRolesAsync(user)).Where(MemberRoles.Contains).ToList();
        if (roles.Count > 0)
        {
            Check(await users.RemoveFromRolesAsync(user, roles));
        }

        user.TenantId = null;
        Check(await users.UpdateAsync(user));
        Check(await users.UpdateSecurityStampAsync(user));
    }

    /// <summary>SHA-256 of a link token (UTF-8).</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string NewToken() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    private Guid RequireTenant() => tenantContext.TenantId ?? throw new InvalidOperationException("The team belongs to a business; there is no current business.");

    private AsyncServiceScope Scope(Guid tenantId)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        return scope;
    }

    private async Task<Actor> RequireOwnerAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var actor = await currentUser.GetAsync(cancellationToken) ?? throw new UnauthorizedAccessException("Sign in first.");
        if (actor.IsPlatformAdmin)
        {
            return actor;
        }

        await using var scope = Scope(tenantId);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(actor.UserId.ToString());
        return user is not null && user.TenantId == tenantId && await users.IsInRoleAsync(user, Roles.BusinessOwner)
            ? actor
            : throw new UnauthorizedAccessException("Only an owner of the business can change its team.");
    }

    private static async Task<PortalUser> MemberAsync(UserManager<PortalUser> users, Guid tenantId, Guid userId) =>
        await users.FindByIdAsync(userId.ToString()) is { } user && user.TenantId == tenantId
            ? user
            : throw new KeyNotFoundException("That person is not in your team.");

    private static async Task RequireAnotherOwnerAsync(UserManager<PortalUser> users, Guid tenantId, Guid userId)
    {
        var owners = await users.GetUsersInRoleAsync(Roles.BusinessOwner);
        if (!owners.Any(o => o.TenantId == tenantId && o.Id != userId))
        {
            throw new ArgumentException("The business needs at least one owner: make someone else an owner first.", nameof(userId));
        }
    }

    private static async Task<TeamInvitation> OpenInvitationAsync(PortalDbContext db, Guid invitationId, CancellationToken cancellationToken) =>
        await db.TeamInvitations.FirstOrDefaultAsync(i => i.Id == invitationId && i.AcceptedAt == null && i.RevokedAt == null, cancellationToken)
        ?? throw new KeyNotFoundException("That invitation is not open any more.");

    private static async Task SendAsync(IServiceProvider services, PortalDbContext db, TeamInvitation invitation, string token, string baseUri, CancellationToken cancellationToken)
    {
        var business = await db.Tenants.Where(t => t.Id == invitation.TenantId).Select(t => t.Name).FirstAsync(cancellationToken);
        var role = invitation.Role == Roles.BusinessOwner ? "an owner" : "a staff member";
        var link = $"{baseUri}Account/AcceptInvitation?token={token}";
        await services.GetRequiredService<IOutbox>().SendEmailAsync(invitation.Email, $"Join {business} on Portal",
            $"You have been invited to join {business} on Portal as {role}.\n\nAccept the invitation (the link works for 7 days):\n{link}\n\nIf you did not expect this, ignore this email.",
            InvitationCategory, invitation.TenantId, cancellationToken);
    }
}
