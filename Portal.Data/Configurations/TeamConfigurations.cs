using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;
using Portal.Data.Identity;

namespace Portal.Data.Configurations;

internal sealed class TeamInvitationConfiguration : IEntityTypeConfiguration<TeamInvitation>
{
    public void Configure(EntityTypeBuilder<TeamInvitation> b)
    {
        b.ToTable("team_invitations");
        b.Property(x => x.Email).HasMaxLength(TeamInvitation.EmailMaxLength);
        b.Property(x => x.NormalizedEmail).HasMaxLength(TeamInvitation.EmailMaxLength);
        b.Property(x => x.Role).HasMaxLength(TeamInvitation.RoleMaxLength);
        b.Property(x => x.TokenHash).HasMaxLength(32);
        b.HasIndex(x => x.TokenHash).IsUnique();
        // One open invitation per address per business (resend reuses it).
        b.HasIndex(x => new { x.TenantId, x.NormalizedEmail }).IsUnique().HasFilter("accepted_at IS NULL AND revoked_at IS NULL");
        b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> b)
    {
        b.ToTable("notification_preferences");
        // One row per recipient and event; the business phone (null user) too.
        b.HasIndex(x => new { x.TenantId, x.UserId, x.Event }).IsUnique().AreNullsDistinct(false);
        b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
