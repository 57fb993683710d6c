using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

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
