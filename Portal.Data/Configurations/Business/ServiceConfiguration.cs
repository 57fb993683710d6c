using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class ServiceConfiguration : IEntityTypeConfiguration<Service>
{
    public void Configure(EntityTypeBuilder<Service> b)
    {
        b.Property(s => s.Name).HasMaxLength(Service.NameMaxLength);
        b.Property(s => s.Description).HasMaxLength(500);
        b.Property(s => s.Keywords).HasMaxLength(500);
        b.HasIndex(s => new { s.TenantId, s.Name }).IsUnique();
    }
}
