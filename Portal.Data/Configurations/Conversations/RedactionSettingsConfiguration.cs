using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class RedactionSettingsConfiguration : IEntityTypeConfiguration<RedactionSettings>
{
    public void Configure(EntityTypeBuilder<RedactionSettings> b)
    {
        // Flags as their integer value (the string convention would store "Card, Email" and break on renames).
        b.Property(s => s.Categories).HasConversion<int>();
        b.HasIndex(s => s.TenantId).IsUnique();
    }
}
