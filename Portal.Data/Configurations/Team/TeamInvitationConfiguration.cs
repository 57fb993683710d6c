using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

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
