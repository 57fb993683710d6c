using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

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
