using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Audit;

namespace Portal.Domain.Agencies;

/// <summary>The signed-in user's place in an agency.</summary>
/// <param name="AgencyId">The agency.</param>
/// <param name="Role">Owner or staff.</param>
/// <param name="Status">The agency's status.</param>
/// <param name="Actor">The user.</param>
public sealed record AgencyMembership(Guid AgencyId, AgencyRole Role, AgencyStatus Status, Actor Actor);

/// <summary>
/// Answers "which agency does the signed-in user work for, with which rights" from <see cref="AgencyMember"/> rows, the
/// one gate of every agency service (agency rows are not tenant-filtered, so this is where agencies are kept apart).
/// </summary>
public sealed class AgencyAccess(IDbContextFactory<PortalDbContext> contextFactory, ICurrentUser currentUser)
{
    /// <summary>The membership of the signed-in user, or null (anonymous, or not an agency member).</summary>
    public async Task<AgencyMembership?> FindAsync(CancellationToken cancellationToken)
    {
        var actor = await currentUser.GetAsync(cancellationToken);
        if (actor is null)
        {
            return null;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var row = await (from m in db.AgencyMembers.AsNoTracking()
                         join a in db.Agencies.AsNoTracking() on m.AgencyId equals a.Id
                         where m.UserId == actor.UserId
                         select new { m.AgencyId, m.Role, a.Status }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : new AgencyMembership(row.AgencyId, row.Role, row.Status, actor);
    }

    /// <summary>The membership of the signed-in user in an active agency, with at least <paramref name="role"/> (Owner above Staff).</summary>
    /// <exception cref="UnauthorizedAccessException">Not a member, the agency is not active, or a staff member asks for owner rights.</exception>
    public async Task<AgencyMembership> RequireAsync(AgencyRole role, CancellationToken cancellationToken)
    {
        var membership = await FindAsync(cancellationToken) ?? throw new UnauthorizedAccessException("Only agency members may do this.");
        if (membership.Status != AgencyStatus.Active)
        {
            throw new UnauthorizedAccessException("The agency is not active.");
        }

        if (role == AgencyRole.Owner && membership.Role != AgencyRole.Owner)
        {
            throw new UnauthorizedAccessException("Only the agency's owners may do this.");
        }

        return membership;
    }
}
