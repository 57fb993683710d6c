using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(e => e.ActorEmail).HasMaxLength(AuditEntry.ActorEmailMaxLength);
        b.Property(e => e.Action).HasMaxLength(AuditEntry.ActionMaxLength);
        b.Property(e => e.TargetType).HasMaxLength(AuditEntry.TargetTypeMaxLength);
        b.Property(e => e.TargetId).HasMaxLength(AuditEntry.TargetIdMaxLength);
        b.Property(e => e.Details).HasColumnType("jsonb");
        // The audit page reads newest first, optionally for one action.
        b.HasIndex(e => e.At);
        b.HasIndex(e => new { e.Action, e.At });
        b.HasIndex(e => e.TenantId);
    }
}
