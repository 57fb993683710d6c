using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class CohortSessionConfiguration : IEntityTypeConfiguration<CohortSession>
{
    public void Configure(EntityTypeBuilder<CohortSession> b) => b.Property(x => x.Title).HasMaxLength(Course.TitleMaxLength);
}
