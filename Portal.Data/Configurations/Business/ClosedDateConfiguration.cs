using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class ClosedDateConfiguration : IEntityTypeConfiguration<ClosedDate>
{
    public void Configure(EntityTypeBuilder<ClosedDate> b)
    {
        b.Property(c => c.Reason).HasMaxLength(120);
        b.HasIndex(c => new { c.TenantId, c.Date }).IsUnique();
    }
}
