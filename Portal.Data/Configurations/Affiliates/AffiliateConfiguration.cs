using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class AffiliateConfiguration : IEntityTypeConfiguration<Affiliate>
{
    public void Configure(EntityTypeBuilder<Affiliate> b)
    {
        b.Property(x => x.Code).HasMaxLength(Affiliate.CodeMaxLength);
        b.HasIndex(x => x.Code).IsUnique();
        b.HasIndex(x => x.UserId).IsUnique();
        b.Property(x => x.Name).HasMaxLength(Course.TitleMaxLength);
        b.Property(x => x.Email).HasMaxLength(256);
        b.Property(x => x.Audience).HasMaxLength(Affiliate.TextMaxLength);
        b.Property(x => x.PayoutAccount).HasMaxLength(256);
    }
}
