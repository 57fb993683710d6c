using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class TurnConfiguration : IEntityTypeConfiguration<Turn>
{
    public void Configure(EntityTypeBuilder<Turn> b)
    {
        b.Property(t => t.Text).HasMaxLength(Turn.TextMaxLength);
        b.Property(t => t.HeardText).HasMaxLength(Turn.TextMaxLength);
        b.Property(t => t.Intent).HasMaxLength(32);
        b.Property(t => t.Engine).HasMaxLength(Turn.EngineMaxLength);
        b.Property(t => t.Model).HasMaxLength(Turn.ModelMaxLength);
        b.HasIndex(t => new { t.ConversationId, t.Sequence }).IsUnique();
        // The orphaned-calls job settles turns whose playback was never confirmed (a crash mid-reply).
        b.HasIndex(t => t.PlaybackPending).HasFilter("playback_pending");
        // The Analytics page's funnel (a caller turn that asked about a service) and agent reply latency, read index-only.
        b.HasIndex(t => t.ConversationId, "ix_turns_service_asks").HasDatabaseName("ix_turns_service_asks")
            .HasFilter("speaker = 'Customer' AND intent IN ('Book', 'Reschedule', 'Services')");
        b.HasIndex(t => t.ConversationId, "ix_turns_agent_latency").HasDatabaseName("ix_turns_agent_latency")
            .HasFilter("speaker = 'Agent' AND latency_ms IS NOT NULL").IncludeProperties(t => new { t.TenantId, t.LatencyMs });
    }
}
