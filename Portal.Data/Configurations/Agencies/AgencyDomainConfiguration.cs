using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class AgencyDomainConfiguration : IEntityTypeConfiguration<AgencyDomain>
{
    public void Configure(EntityTypeBuilder<AgencyDomain> b)
    {
        b.Property(x => x.Host).HasMaxLength(AgencyDomain.HostMaxLength);
        b.Property(x => x.VerificationToken).HasMaxLength(64);
        b.Property(x => x.LastError).HasMaxLength(500);
        // A host belongs to one agency; looked up by host on every request (cached) and by the TLS ask endpoint.
        b.HasIndex(x => x.Host).IsUnique();
        b.HasIndex(x => x.AgencyId);
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
    }
}
