using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class CallerMessageConfiguration : IEntityTypeConfiguration<CallerMessage>
{
    public void Configure(EntityTypeBuilder<CallerMessage> b)
    {
        b.Property(m => m.CallerName).HasMaxLength(120);
        b.Property(m => m.CallerPhone).HasMaxLength(20);
        b.Property(m => m.Body).HasMaxLength(2000);
        // "Ask your data" counts messages by when they were left (brain.v_messages.at_utc).
        b.HasIndex(m => new { m.TenantId, m.CreatedAt });
    }
}
