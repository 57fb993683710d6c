using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class AffiliateCommissionConfiguration : IEntityTypeConfiguration<AffiliateCommission>
{
    public void Configure(EntityTypeBuilder<AffiliateCommission> b)
    {
        b.Property(x => x.PaymentId).HasMaxLength(255);
        b.HasIndex(x => x.PaymentId).IsUnique();
        b.HasIndex(x => new { x.AffiliateId, x.Status });
        b.Ignore(x => x.NetCents);
        b.ToTable(t => t.HasCheckConstraint("ck_affiliate_commissions_amounts", "commission_cents >= 0 AND reversed_cents >= 0 AND reversed_cents <= commission_cents"));
    }
}
