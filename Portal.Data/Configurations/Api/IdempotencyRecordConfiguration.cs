using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("idempotency_records");
        b.Property(r => r.Key).HasMaxLength(IdempotencyRecord.KeyMaxLength);
        b.Property(r => r.Principal).HasMaxLength(IdempotencyRecord.PrincipalMaxLength);
        b.Property(r => r.Path).HasMaxLength(IdempotencyRecord.PathMaxLength);
        b.Property(r => r.RequestHash).HasMaxLength(32);
        b.Property(r => r.ContentType).HasMaxLength(200);
        b.Property(r => r.Location).HasMaxLength(IdempotencyRecord.PathMaxLength);
        b.HasIndex(r => new { r.TenantId, r.Principal, r.Key }).IsUnique();
        b.HasIndex(r => r.ExpiresAt);
        b.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
