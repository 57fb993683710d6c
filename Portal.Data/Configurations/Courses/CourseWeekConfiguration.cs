using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class CourseWeekConfiguration : IEntityTypeConfiguration<CourseWeek>
{
    public void Configure(EntityTypeBuilder<CourseWeek> b)
    {
        b.Property(x => x.Title).HasMaxLength(Course.TitleMaxLength);
        b.Property(x => x.Deliverable).HasMaxLength(500);
        b.HasIndex(x => new { x.CourseId, x.Number }).IsUnique();
        b.HasMany(x => x.Lessons).WithOne().HasForeignKey(l => l.WeekId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Questions).WithOne().HasForeignKey(q => q.WeekId).OnDelete(DeleteBehavior.Cascade);
    }
}
