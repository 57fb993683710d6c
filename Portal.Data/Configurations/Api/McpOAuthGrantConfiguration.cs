using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class McpOAuthGrantConfiguration : IEntityTypeConfiguration<McpOAuthGrant>
{
    public void Configure(EntityTypeBuilder<McpOAuthGrant> b)
    {
        b.ToTable("mcp_oauth_grants");
        b.Property(g => g.AuthorizationId).HasMaxLength(McpOAuthGrant.IdMaxLength);
        b.Property(g => g.ClientId).HasMaxLength(McpOAuthGrant.IdMaxLength);
        b.Property(g => g.ClientName).HasMaxLength(McpOAuthGrant.ClientNameMaxLength);
        b.HasIndex(g => g.AuthorizationId).IsUnique();
    }
}
