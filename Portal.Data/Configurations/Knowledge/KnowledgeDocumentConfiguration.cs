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
