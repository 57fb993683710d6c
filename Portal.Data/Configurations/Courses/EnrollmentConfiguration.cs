using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class EnrollmentConfiguration : IEntityTypeConfiguration<Enrollment>
{
    public void Configure(EntityTypeBuilder<Enrollment> b)
    {
        b.Property(x => x.Name).HasMaxLength(Course.TitleMaxLength);
        b.Property(x => x.Email).HasMaxLength(256);
        b.Property(x => x.AccessToken).HasMaxLength(64);
        b.HasIndex(x => x.AccessToken).IsUnique();
        b.Property(x => x.CouponCode).HasMaxLength(40);
        b.Property(x => x.StripeSessionId).HasMaxLength(255);
        b.HasIndex(x => x.StripeSessionId).IsUnique();
        b.HasIndex(x => new { x.CourseId, x.CohortId, x.Status });
    }
}
