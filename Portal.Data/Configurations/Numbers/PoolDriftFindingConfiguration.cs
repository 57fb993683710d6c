using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

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
