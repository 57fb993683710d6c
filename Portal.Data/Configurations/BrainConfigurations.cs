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

internal sealed class RedactionSettingsConfiguration : IEntityTypeConfiguration<RedactionSettings>
{
    public void Configure(EntityTypeBuilder<RedactionSettings> b)
    {
        // Flags as their integer value (the string convention would store "Card, Email" and break on renames).
        b.Property(s => s.Categories).HasConversion<int>();
        b.HasIndex(s => s.TenantId).IsUnique();
    }
}

internal sealed class McpTokenConfiguration : IEntityTypeConfiguration<McpToken>
{
    public void Configure(EntityTypeBuilder<McpToken> b)
    {
        b.Property(t => t.Name).HasMaxLength(McpToken.NameMaxLength);
        b.Property(t => t.TokenHash).HasMaxLength(McpToken.HashLength);
        b.Property(t => t.Prefix).HasMaxLength(McpToken.PrefixLength);
        // Validation looks a token up by its hash across tenants.
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.TenantId);
    }
}
