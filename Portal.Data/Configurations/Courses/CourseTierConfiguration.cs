using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class CourseTierConfiguration : IEntityTypeConfiguration<CourseTier>
{
    public void Configure(EntityTypeBuilder<CourseTier> b)
    {
        b.Property(x => x.Name).HasMaxLength(Course.TitleMaxLength);
        b.Property(x => x.Includes).HasMaxLength(500);
        b.ToTable(t => t.HasCheckConstraint("ck_course_tiers_price", "price_cents >= 0"));
    }
}
