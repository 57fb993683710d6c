using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> b)
    {
        b.Property(t => t.Name).HasMaxLength(Tenant.NameMaxLength);
        b.Property(t => t.Address).HasMaxLength(Tenant.AddressMaxLength);
        b.Property(t => t.TimeZoneId).HasMaxLength(64);
        b.Property(t => t.Phone).HasMaxLength(20);
        // An agency's clients are listed by agency; an agency with clients cannot be deleted.
        b.HasIndex(t => t.AgencyId);
        b.HasOne<Agency>().WithMany().HasForeignKey(t => t.AgencyId).OnDelete(DeleteBehavior.Restrict);
    }
}
