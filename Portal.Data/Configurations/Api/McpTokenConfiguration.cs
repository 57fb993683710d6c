using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class McpTokenConfiguration : IEntityTypeConfiguration<McpToken>
{
    public void Configure(EntityTypeBuilder<McpToken> b)
    {
        b.Property(t => t.Name).HasMaxLength(McpToken.NameMaxLength);
        b.Property(t => t.TokenHash).HasMaxLength(McpToken.HashLength);
        b.Property(t => t.Prefix).HasMaxLength(McpToken.PrefixLength);
        // Validation looks a token up by its hash across tenants.
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.TenantId);
    }
}
