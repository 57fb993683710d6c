using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class AffiliatePayoutConfiguration : IEntityTypeConfiguration<AffiliatePayout>
{
    public void Configure(EntityTypeBuilder<AffiliatePayout> b)
    {
        b.Property(x => x.Reference).HasMaxLength(200);
        b.HasIndex(x => x.AffiliateId);
    }
}
