using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class KnowledgeGapConfiguration : IEntityTypeConfiguration<KnowledgeGap>
{
    public void Configure(EntityTypeBuilder<KnowledgeGap> b)
    {
        b.Property(g => g.NormalizedQuestion).HasMaxLength(KnowledgeGap.QuestionMaxLength);
        b.Property(g => g.ExampleQuestion).HasMaxLength(KnowledgeGap.QuestionMaxLength);
        b.HasIndex(g => new { g.TenantId, g.NormalizedQuestion }).IsUnique();
        b.HasIndex(g => g.NormalizedQuestion).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_knowledge_gaps_question_trgm");
    }
}
