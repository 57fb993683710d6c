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

internal sealed class WidgetVisitorConfiguration : IEntityTypeConfiguration<WidgetVisitor>
{
    public void Configure(EntityTypeBuilder<WidgetVisitor> b)
    {
        b.Property(v => v.TokenHash).HasMaxLength(32);
        b.HasIndex(v => v.TokenHash).IsUnique();
        b.HasOne<ChatWidget>().WithMany().HasForeignKey(v => v.ChatWidgetId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Conversation>().WithMany().HasForeignKey(v => v.ConversationId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class SmsOptOutConfiguration : IEntityTypeConfiguration<SmsOptOut>
{
    public void Configure(EntityTypeBuilder<SmsOptOut> b)
    {
        b.Property(o => o.PhoneNumber).HasMaxLength(Conversation.PhoneMaxLength);
        b.HasIndex(o => new { o.TenantId, o.PhoneNumber }).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InboundSmsConfiguration : IEntityTypeConfiguration<InboundSms>
{
    public void Configure(EntityTypeBuilder<InboundSms> b)
    {
        b.Property(m => m.MessageSid).HasMaxLength(InboundSms.MessageSidMaxLength);
        b.HasIndex(m => m.MessageSid).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
