using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class CourseCouponConfiguration : IEntityTypeConfiguration<CourseCoupon>
{
    public void Configure(EntityTypeBuilder<CourseCoupon> b)
    {
        b.HasKey(x => x.Code);
        b.Property(x => x.Code).HasMaxLength(40);
        b.ToTable(t => t.HasCheckConstraint("ck_course_coupons_percent", "percent_off BETWEEN 1 AND 100"));
    }
}
