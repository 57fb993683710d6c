using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;
using Portal.Data.Identity;

namespace Portal.Data.Configurations;

internal sealed class AgencyMemberConfiguration : IEntityTypeConfiguration<AgencyMember>
{
    public void Configure(EntityTypeBuilder<AgencyMember> b)
    {
        // One agency per user.
        b.HasIndex(x => x.UserId).IsUnique();
        b.HasIndex(x => x.AgencyId);
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
