using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength);
        b.Property(k => k.Prefix).HasMaxLength(ApiKey.PrefixLength);
        b.Property(k => k.Scopes).HasMaxLength(ApiKey.ScopesMaxLength);
        b.Property(k => k.KeyHash).HasMaxLength(32);
        b.HasIndex(k => k.KeyHash).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
