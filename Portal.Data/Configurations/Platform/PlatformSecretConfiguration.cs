using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class PlatformSecretConfiguration : IEntityTypeConfiguration<PlatformSecret>
{
    public void Configure(EntityTypeBuilder<PlatformSecret> b)
    {
        b.ToTable("platform_secrets");
        b.HasKey(s => s.Name);
        b.Property(s => s.Name).HasMaxLength(PlatformSecret.NameMaxLength);
        b.Property(s => s.ProtectedValue).HasMaxLength(PlatformSecret.ProtectedValueMaxLength);
    }
}
