using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> b)
    {
        b.Property(c => c.State).HasColumnType("jsonb");
        b.Property(c => c.CustomerName).HasMaxLength(120);
        b.Property(c => c.CustomerPhone).HasMaxLength(20);
        b.HasMany(c => c.Turns).WithOne().HasForeignKey(t => t.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.TenantId, c.StartedAt });
        b.Property(c => c.CallSid).HasMaxLength(Conversation.CallSidMaxLength);
        b.Property(c => c.CallStatus).HasMaxLength(Conversation.CallStatusMaxLength);
        b.Property(c => c.ToNumber).HasMaxLength(Conversation.PhoneMaxLength);
        b.Property(c => c.FromNumber).HasMaxLength(Conversation.PhoneMaxLength);
        b.Property(c => c.FallbackReason).HasMaxLength(Conversation.FallbackReasonMaxLength);
        // One conversation per provider call across all tenants: the webhook's idempotency key.
        b.HasIndex(c => c.CallSid).IsUnique().HasFilter("call_sid IS NOT NULL");
        b.Property(c => c.CallerRegion).HasMaxLength(Conversation.CallerRegionMaxLength);
        b.Property(c => c.StreamSid).HasMaxLength(Conversation.StreamSidMaxLength);
        b.Property(c => c.EndReason).HasMaxLength(Conversation.EndReasonMaxLength);
        b.Property(c => c.SpeechFailureReason).HasMaxLength(Conversation.SpeechFailureReasonMaxLength);
        b.Property(c => c.TakenOverByName).HasMaxLength(Conversation.StaffNameMaxLength);
        // The orphaned-calls job looks for open voice calls by last activity.
        b.HasIndex(c => c.UpdatedAt).HasFilter("ended_at IS NULL");
    }
}
