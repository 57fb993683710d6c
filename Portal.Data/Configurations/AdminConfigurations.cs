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

internal sealed class PoolDriftFindingConfiguration : IEntityTypeConfiguration<PoolDriftFinding>
{
    public void Configure(EntityTypeBuilder<PoolDriftFinding> b)
    {
        b.Property(x => x.E164).HasMaxLength(20);
        b.Property(x => x.ProviderSid).HasMaxLength(64);
        b.Property(x => x.ExpectedVoiceUrl).HasMaxLength(PoolDriftFinding.UrlMaxLength);
        b.Property(x => x.ActualVoiceUrl).HasMaxLength(PoolDriftFinding.UrlMaxLength);
        b.Property(x => x.ExpectedStatusCallbackUrl).HasMaxLength(PoolDriftFinding.UrlMaxLength);
        b.Property(x => x.ActualStatusCallbackUrl).HasMaxLength(PoolDriftFinding.UrlMaxLength);
        b.Property(x => x.Resolution).HasMaxLength(300);
        // At most one open finding per kind and number; the pool page reads the open ones.
        b.HasIndex(x => new { x.Kind, x.E164 }).IsUnique().HasFilter("resolved_at IS NULL");
        b.HasIndex(x => x.ResolvedAt);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.Property(x => x.To).HasMaxLength(OutboxMessage.ToMaxLength);
        b.Property(x => x.Subject).HasMaxLength(OutboxMessage.SubjectMaxLength);
        b.Property(x => x.Body).HasMaxLength(OutboxMessage.BodyMaxLength);
        b.Property(x => x.Category).HasMaxLength(OutboxMessage.CategoryMaxLength);
        b.Property(x => x.FromName).HasMaxLength(OutboxMessage.FromNameMaxLength);
        // The outbox page reads newest first, optionally one kind.
        b.HasIndex(x => x.CreatedAt);
        b.HasIndex(x => new { x.Kind, x.CreatedAt });
        b.HasIndex(x => x.TenantId);
    }
}
