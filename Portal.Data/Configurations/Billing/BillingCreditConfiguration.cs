using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class BillingCreditConfiguration : IEntityTypeConfiguration<BillingCredit>
{
    public void Configure(EntityTypeBuilder<BillingCredit> b)
    {
        b.Property(x => x.Reason).HasMaxLength(BillingCredit.ReasonMaxLength);
        b.Property(x => x.GrantedBy).HasMaxLength(256);
        b.Property(x => x.Currency).HasMaxLength(3).HasDefaultValue("usd");
        b.ToTable(t => t.HasCheckConstraint("ck_billing_credits_amount", $"amount_cents BETWEEN 1 AND {BillingCredit.MaxCents}"));
    }
}
