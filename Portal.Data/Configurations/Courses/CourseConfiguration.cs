using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class CourseConfiguration : IEntityTypeConfiguration<Course>
{
    public void Configure(EntityTypeBuilder<Course> b)
    {
        b.Property(x => x.Slug).HasMaxLength(80);
        b.HasIndex(x => x.Slug).IsUnique();
        b.Property(x => x.Title).HasMaxLength(Course.TitleMaxLength);
        b.Property(x => x.Subtitle).HasMaxLength(400);
        b.Property(x => x.InstructorName).HasMaxLength(Course.TitleMaxLength);
        b.HasMany(x => x.Tiers).WithOne().HasForeignKey(t => t.CourseId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Weeks).WithOne().HasForeignKey(w => w.CourseId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Cohorts).WithOne().HasForeignKey(c => c.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}
