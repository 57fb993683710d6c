using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

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
