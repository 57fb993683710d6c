using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class ChatWidgetConfiguration : IEntityTypeConfiguration<ChatWidget>
{
    public void Configure(EntityTypeBuilder<ChatWidget> b)
    {
        b.Property(w => w.PublicKey).HasMaxLength(ChatWidget.PublicKeyMaxLength);
        b.HasIndex(w => w.PublicKey).IsUnique();
        b.Property(w => w.AllowedOrigins).HasMaxLength(ChatWidget.AllowedOriginsMaxLength);
        b.Property(w => w.Colour).HasMaxLength(7);
        b.HasIndex(w => w.TenantId).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(w => w.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AgentPersona>().WithMany().HasForeignKey(w => w.AgentPersonaId).OnDelete(DeleteBehavior.Cascade);
    }
}
