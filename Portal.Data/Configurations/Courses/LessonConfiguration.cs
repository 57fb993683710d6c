using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class LessonConfiguration : IEntityTypeConfiguration<Lesson>
{
    public void Configure(EntityTypeBuilder<Lesson> b)
    {
        b.Property(x => x.Title).HasMaxLength(Course.TitleMaxLength);
        b.Property(x => x.VideoUrl).HasMaxLength(500);
        b.Property(x => x.FileName).HasMaxLength(200);
    }
}
