using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class KnowledgeFileConfiguration : IEntityTypeConfiguration<KnowledgeFile>
{
    public void Configure(EntityTypeBuilder<KnowledgeFile> b) => b.HasIndex(f => f.DocumentId).IsUnique();
}
