using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class StripeWebhookEventConfiguration : IEntityTypeConfiguration<StripeWebhookEvent>
{
    public void Configure(EntityTypeBuilder<StripeWebhookEvent> b)
    {
        b.Property(x => x.Id).HasMaxLength(BillingAccount.StripeIdMaxLength).ValueGeneratedNever();
        b.Property(x => x.Type).HasMaxLength(StripeWebhookEvent.TypeMaxLength);
        b.Property(x => x.Payload).HasColumnType("jsonb");
        b.Property(x => x.Outcome).HasMaxLength(200);
        b.HasIndex(x => x.ReceivedAt);
    }
}
