using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class AffiliateClickConfiguration : IEntityTypeConfiguration<AffiliateClick>
{
    public void Configure(EntityTypeBuilder<AffiliateClick> b)
    {
        b.Property(x => x.VisitorHash).HasMaxLength(64);
        b.Property(x => x.Path).HasMaxLength(200);
        b.Property(x => x.UtmSource).HasMaxLength(100);
        b.Property(x => x.UtmMedium).HasMaxLength(100);
        b.Property(x => x.UtmCampaign).HasMaxLength(100);
        b.HasIndex(x => new { x.AffiliateId, x.At });
        b.HasIndex(x => new { x.VisitorHash, x.At });
    }
}
