using System.Net.Mail;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Notifications;

namespace Portal.Domain.Agencies;

/// <summary>A member as the agency's team page shows it.</summary>
/// <param name="UserId">User id.</param>
/// <param name="Email">Login.</param>
/// <param name="Name">Display name.</param>
/// <param name="Role">Rights.</param>
/// <param name="Invited">True until the member has chosen a password from the invitation link.</param>
/// <param name="IsYou">The signed-in member.</param>
public sealed record AgencyTeamMember(Guid UserId, string Email, string Name, AgencyRole Role, bool Invited, bool IsYou);

/// <summary>
/// The agency's owners and staff. Owners invite by email: the account is created without a password and the invitee
/// gets, through <see cref="IOutbox"/>, a link to the set-password page (Identity's reset-password token, valid as long as
/// Identity's token lifespan); owners resend it and remove members (never the last owner). Staff may list, not change.
/// Every change is audited. Agencies are kept apart by <see cref="AgencyAccess"/>: an owner only sees and removes
/// members of their own agency.
/// </summary>
public sealed class AgencyTeam(IDbContextFactory<PortalDbContext> contextFactory, AgencyAccess access, AuditLog auditLog, UserManager<PortalUser> users, IOutbox outbox)
{
    /// <summary>Email category of invitations.</summary>
    public const string InvitationCategory = "agency.invitation";

    /// <summary>The signed-in member's agency's members, owners first.</summary>
    /// <exception cref="UnauthorizedAccessException">Not a member of an active agency.</exception>
    public async Task<IReadOnlyList<AgencyTeamMember>> ListAsync(CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Staff, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await (from m in db.AgencyMembers.AsNoTracking()
                      join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                      where m.AgencyId == membership.AgencyId
                      orderby m.Role, u.Email
                      select new AgencyTeamMember(u.Id, u.Email ?? "", u.DisplayName, m.Role, u.PasswordHash == null, u.Id == membership.Actor.UserId))
            .ToListAsync(cancellationToken);
    }

    /// <summary>An owner invites <paramref name="email"/> as <paramref name="role"/>: the account and membership are created and the link is emailed.</summary>
    /// <param name="email">The invitee's address (their login).</param>
    /// <param name="name">Their name (the address when blank).</param>
    /// <param name="role">Owner or staff.</param>
    /// <param name="baseUri">Absolute base URI of the site the link opens, ending with <c>/</c> (the agency's own domain when the owner is on it).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="UnauthorizedAccessException">Not an owner.</exception>
    /// <exception cref="ArgumentException">A malformed address, an unknown role, or an address that already has an account; nothing is created.</exception>
    public async Task<AgencyTeamMember> InviteAsync(string email, string? name, AgencyRole role, string baseUri, CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Owner, cancellationToken);
        email = (email ?? "").Trim();
        if (email.Length is 0 or > 256 || !MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            throw new ArgumentException("Enter one valid email address.", nameof(email));
        }

        if (!Enum.IsDefined(role))
        {
            throw new ArgumentException("Choose Owner or Staff.", nameof(role));
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new ArgumentException($"{email} already has an account; invite another address.", nameof(email));
        }

        var displayName = string.IsNullOrWhiteSpace(name) ? email : name.Trim();
        if (displayName.Length > Agency.NameMaxLength)
        {
            throw new ArgumentException($"Name: at most {Agency.NameMaxLength} characters.", nameof(name));
        }

        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            throw new ArgumentException(string.Join(" ", created.Errors.Select(e => e.Description)), nameof(email));
        }

        try
        {
            Check(await users.AddToRoleAsync(user, role == AgencyRole.Owner ? Roles.AgencyOwner : Roles.AgencyStaff));
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            db.AgencyMembers.Add(new AgencyMember { AgencyId = membership.AgencyId, UserId = user.Id, Role = role });
            auditLog.Stage(db, membership.Actor, AuditActions.AgencyMemberAdd, "User", user.Id.ToString(), null, new { email, role = role.ToString() });
            await db.SaveChangesAsync(cancellationToken);
            await SendInvitationAsync(db, membership.AgencyId, user, role, baseUri, cancellationToken);
        }
        catch
        {
            // Nothing half-made: the login goes when the membership or the email could not be made.
            await users.DeleteAsync(user);
            throw;
        }

        return new AgencyTeamMember(user.Id, email, displayName, role, true, false);
    }

    /// <summary>An owner sends the invitation link again to a member who has not chosen a password yet.</summary>
    /// <exception cref="UnauthorizedAccessException">Not an owner.</exception>
    /// <exception cref="KeyNotFoundException">No such invited member in this agency.</exception>
    public async Task ResendAsync(Guid userId, string baseUri, CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Owner, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var member = await db.AgencyMembers.AsNoTracking().FirstOrDefaultAsync(m => m.UserId == userId && m.AgencyId == membership.AgencyId, cancellationToken);
        var user = member is null ? null : await users.FindByIdAsync(userId.ToString());
        if (member is null || user is null || user.PasswordHash is not null)
        {
            throw new KeyNotFoundException("That person has no open invitation in your agency.");
        }

        await SendInvitationAsync(db, membership.AgencyId, user, member.Role, baseUri, cancellationToken);
    }

    /// <summary>
    /// An owner removes a member: the membership and the agency role go and their sessions end (security stamp); the
    /// account stays without any rights. The last owner cannot be removed.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">Not an owner.</exception>
    /// <exception cref="KeyNotFoundException">No such member in this agency (another agency's members are not found either).</exception>
    /// <exception cref="ArgumentException">It would leave the agency without an owner; nothing changes.</exception>
    public async Task RemoveAsync(Guid userId, CancellationToken cancellationToken)
    {
        var membership = await access.RequireAsync(AgencyRole.Owner, cancellationToken);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var member = await db.AgencyMembers.FirstOrDefaultAsync(m => m.UserId == userId && m.AgencyId == membership.AgencyId, cancellationToken)
                     ?? throw new KeyNotFoundException("That person is not in your agency.");
        if (member.Role == AgencyRole.Owner && !await db.AgencyMembers.AnyAsync(m => m.AgencyId == membership.AgencyId && m.Role == AgencyRole.Owner && m.UserId != userId, cancellationToken))
        {
            throw new ArgumentException("The agency needs at least one owner: invite another owner first.", nameof(userId));
        }

        db.AgencyMembers.Remove(member);
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
        auditLog.Stage(db, membership.Actor, AuditActions.AgencyMemberRemove, "User", userId.ToString(), null, new { email, role = member.Role.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        if (await users.FindByIdAsync(userId.ToString()) is { } user)
        {
            var roles = (await users.GetRolesAsync(user)).Where(r => r is Roles.AgencyOwner or Roles.AgencyStaff).ToList();
            if (roles.Count > 0)
            {
                Check(await users.RemoveFromRolesAsync(user, roles));
            }

            Check(await users.UpdateSecurityStampAsync(user));
        }
    }

    private async Task SendInvitationAsync(PortalDbContext db, Guid agencyId, PortalUser user, AgencyRole role, string baseUri, CancellationToken cancellationToken)
    {
        var agency = await db.Agencies.AsNoTracking().Where(a => a.Id == agencyId).Select(a => a.Name).FirstAsync(cancellationToken);
        var token = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        var link = $"{baseUri}Account/ResetPassword?email={UrlEncoder.Default.Encode(user.Email!)}&code={token}";
        var what = role == AgencyRole.Owner ? "an owner" : "a staff member";
        await outbox.SendEmailAsync(user.Email!, $"Join {agency}",
            $"You have been invited to join {agency} as {what}.\n\nChoose your password to sign in:\n{link}\n\nIf you did not expect this, ignore this email.",
            InvitationCategory, null, agency, cancellationToken);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
