using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class ConversationInsightConfiguration : IEntityTypeConfiguration<ConversationInsight>
{
    public void Configure(EntityTypeBuilder<ConversationInsight> b)
    {
        b.Property(i => i.Summary).HasMaxLength(ConversationInsight.SummaryMaxLength);
        b.Property(i => i.FollowUpReason).HasMaxLength(ConversationInsight.FollowUpReasonMaxLength);
        b.Property(i => i.Engine).HasMaxLength(ConversationInsight.EngineMaxLength);
        b.Property(i => i.Fields).HasColumnType("jsonb");
        b.HasOne<Conversation>().WithOne().HasForeignKey<ConversationInsight>(i => i.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => i.ConversationId).IsUnique();
        // The list filters by lead score and follow-up within a tenant.
        b.HasIndex(i => new { i.TenantId, i.LeadScore });
    }
}
