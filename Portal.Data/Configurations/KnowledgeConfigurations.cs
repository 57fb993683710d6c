using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class KnowledgeDocumentConfiguration : IEntityTypeConfiguration<KnowledgeDocument>
{
    public void Configure(EntityTypeBuilder<KnowledgeDocument> b)
    {
        b.Property(d => d.Title).HasMaxLength(KnowledgeDocument.TitleMaxLength);
        b.Property(d => d.SourceName).HasMaxLength(KnowledgeDocument.SourceNameMaxLength);
        b.Property(d => d.SourceUrl).HasMaxLength(KnowledgeDocument.SourceUrlMaxLength);
        b.Property(d => d.ContentType).HasMaxLength(KnowledgeDocument.ContentTypeMaxLength);
        b.Property(d => d.ContentHash).HasMaxLength(KnowledgeDocument.HashLength);
        b.Property(d => d.Error).HasMaxLength(KnowledgeDocument.ErrorMaxLength);
        b.HasIndex(d => new { d.TenantId, d.ContentHash }).IsUnique();
        b.HasIndex(d => new { d.TenantId, d.Status });
        b.HasOne<AgentPersona>().WithMany().HasForeignKey(d => d.AgentPersonaId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(d => d.Chunks).WithOne().HasForeignKey(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<KnowledgeFile>().WithOne().HasForeignKey<KnowledgeFile>(f => f.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class KnowledgeChunkConfiguration : IEntityTypeConfiguration<KnowledgeChunk>
{
    public void Configure(EntityTypeBuilder<KnowledgeChunk> b)
    {
        b.Property(c => c.Heading).HasMaxLength(KnowledgeChunk.HeadingMaxLength);
        b.Property(c => c.Question).HasMaxLength(KnowledgeDocument.TitleMaxLength);
        b.Property(c => c.EmbeddingModel).HasMaxLength(KnowledgeChunk.ModelMaxLength);
        b.Property(c => c.Embedding).HasColumnType("real[]");
        b.Property(c => c.SearchVector).HasColumnType("tsvector").HasComputedColumnSql(KnowledgeSql.SearchVectorSql, stored: true);
        b.Property(c => c.TitleVector).HasColumnType("tsvector").HasComputedColumnSql(KnowledgeSql.TitleVectorSql, stored: true);
        // Retrieval filters by tenant and then by full-text match (whole chunk, or question and heading) or question trigrams:
        // tenant-leading GIN indexes (btree_gin's uuid_ops) answer both conditions in one index scan, whatever the other tenants
        // hold. fastupdate is off so new chunks go straight into the index: a pending list left by a bulk upload would be read
        // by every query until vacuum, and makes the planner cost the index above a sequential scan of the tenant's rows.
        // Trigram matching runs on the short question column only (misspelt words are corrected against the tenant's vocabulary
        // in memory), so there is no trigram index on the chunk text.
        b.HasIndex(c => new { c.TenantId, c.SearchVector }).HasMethod("gin").HasStorageParameter("fastupdate", false)
            .HasDatabaseName("ix_knowledge_chunks_tenant_search_vector");
        b.HasIndex(c => new { c.TenantId, c.TitleVector }).HasMethod("gin").HasStorageParameter("fastupdate", false)
            .HasDatabaseName("ix_knowledge_chunks_tenant_title_vector");
        b.HasIndex(c => new { c.TenantId, c.Question }).HasMethod("gin").HasOperators("uuid_ops", "gin_trgm_ops").HasStorageParameter("fastupdate", false)
            .HasDatabaseName("ix_knowledge_chunks_tenant_question_trgm");
        b.HasIndex(c => new { c.DocumentId, c.Ordinal }).IsUnique();
    }
}

internal sealed class KnowledgeFileConfiguration : IEntityTypeConfiguration<KnowledgeFile>
{
    public void Configure(EntityTypeBuilder<KnowledgeFile> b) => b.HasIndex(f => f.DocumentId).IsUnique();
}

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
