using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class NumberPurchaseBatchConfiguration : IEntityTypeConfiguration<NumberPurchaseBatch>
{
    public void Configure(EntityTypeBuilder<NumberPurchaseBatch> b)
    {
        b.Property(x => x.RequestedByEmail).HasMaxLength(NumberPurchaseBatch.EmailMaxLength);
        b.Property(x => x.Provider).HasMaxLength(20);
        b.Property(x => x.SearchRegion).HasMaxLength(2);
        b.Property(x => x.SearchLocality).HasMaxLength(64);
        b.Property(x => x.SearchContains).HasMaxLength(16);
        b.Property(x => x.VoiceUrl).HasMaxLength(NumberPurchaseBatch.UrlMaxLength);
        b.Property(x => x.StatusCallbackUrl).HasMaxLength(NumberPurchaseBatch.UrlMaxLength);
        b.Property(x => x.Error).HasMaxLength(NumberPurchaseBatch.ErrorMaxLength);
        b.Property(x => x.JobId).HasMaxLength(64);
        b.HasMany(x => x.Items).WithOne().HasForeignKey(i => i.BatchId).OnDelete(DeleteBehavior.Cascade);
        // The buy page lists the latest batches first.
        b.HasIndex(x => x.CreatedAt);
        b.ToTable(t => t.HasCheckConstraint("ck_number_purchase_batches_count", $"requested_count BETWEEN 1 AND {NumberPurchaseBatch.MaxCount}"));
    }
}
