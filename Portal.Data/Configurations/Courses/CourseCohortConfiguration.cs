using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class CourseCohortConfiguration : IEntityTypeConfiguration<CourseCohort>
{
    public void Configure(EntityTypeBuilder<CourseCohort> b)
    {
        b.Property(x => x.TimeZoneId).HasMaxLength(64);
        b.HasIndex(x => new { x.CourseId, x.Number }).IsUnique();
        b.HasMany(x => x.Sessions).WithOne().HasForeignKey(s => s.CohortId).OnDelete(DeleteBehavior.Cascade);
    }
}
