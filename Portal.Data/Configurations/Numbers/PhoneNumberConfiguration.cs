using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class PhoneNumberConfiguration : IEntityTypeConfiguration<PhoneNumber>
{
    public void Configure(EntityTypeBuilder<PhoneNumber> b)
    {
        b.Property(p => p.E164).HasMaxLength(20);
        b.HasIndex(p => p.E164).IsUnique();
        // The admin pool page searches digits anywhere in the number (LIKE '%…%'): a trigram index serves it.
        b.HasIndex(p => p.E164, "ix_phone_numbers_e164_trgm").HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_phone_numbers_e164_trgm");
        b.Property(p => p.AreaCode).HasMaxLength(8);
        b.Property(p => p.Region).HasMaxLength(64);
        b.Property(p => p.Locality).HasMaxLength(100);
        b.Property(p => p.Provider).HasMaxLength(20);
        b.Property(p => p.ProviderSid).HasMaxLength(64);
        b.Property(p => p.Version).IsRowVersion();
        b.HasIndex(p => new { p.Status, p.AreaCode });
        b.HasIndex(p => p.TenantId);
        // One agent holds at most one number through this row; a number is assigned to one agent.
        b.HasIndex(p => p.AgentPersonaId).IsUnique().HasFilter("agent_persona_id IS NOT NULL");
    }
}
