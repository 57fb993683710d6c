using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class BillingAccountConfiguration : IEntityTypeConfiguration<BillingAccount>
{
    public void Configure(EntityTypeBuilder<BillingAccount> b)
    {
        b.Property(x => x.StripeCustomerId).HasMaxLength(BillingAccount.StripeIdMaxLength);
        b.Property(x => x.StripeSubscriptionId).HasMaxLength(BillingAccount.StripeIdMaxLength);
        b.Property(x => x.SubscriptionStatus).HasMaxLength(BillingAccount.StatusMaxLength);
        b.Property(x => x.CapWarningSentFor).HasMaxLength(16);
        b.Property(x => x.LimitNoticeSentFor).HasMaxLength(16);
        b.Property(x => x.Currency).HasMaxLength(3).HasDefaultValue("usd");
        b.HasIndex(x => x.TenantId).IsUnique();
        b.HasIndex(x => x.StripeCustomerId).IsUnique();
        b.ToTable(t => t.HasCheckConstraint("ck_billing_accounts_cap", "spending_cap_cents IS NULL OR spending_cap_cents > 0"));
    }
}
