using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class NumberPurchaseItemConfiguration : IEntityTypeConfiguration<NumberPurchaseItem>
{
    public void Configure(EntityTypeBuilder<NumberPurchaseItem> b)
    {
        b.Property(x => x.E164).HasMaxLength(20);
        b.Property(x => x.Locality).HasMaxLength(100);
        b.Property(x => x.Region).HasMaxLength(64);
        b.Property(x => x.ProviderSid).HasMaxLength(64);
        b.Property(x => x.Error).HasMaxLength(NumberPurchaseBatch.ErrorMaxLength);
        // The retry key: one row per number per batch.
        b.HasIndex(x => new { x.BatchId, x.E164 }).IsUnique();
    }
}
