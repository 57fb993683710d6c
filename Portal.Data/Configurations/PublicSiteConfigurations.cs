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

internal sealed class CourseTierConfiguration : IEntityTypeConfiguration<CourseTier>
{
    public void Configure(EntityTypeBuilder<CourseTier> b)
    {
        b.Property(x => x.Name).HasMaxLength(Course.TitleMaxLength);
        b.Property(x => x.Includes).HasMaxLength(500);
        b.ToTable(t => t.HasCheckConstraint("ck_course_tiers_price", "price_cents >= 0"));
    }
}

internal sealed class CourseCohortConfiguration : IEntityTypeConfiguration<CourseCohort>
{
    public void Configure(EntityTypeBuilder<CourseCohort> b)
    {
        b.Property(x => x.TimeZoneId).HasMaxLength(64);
        b.HasIndex(x => new { x.CourseId, x.Number }).IsUnique();
        b.HasMany(x => x.Sessions).WithOne().HasForeignKey(s => s.CohortId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CohortSessionConfiguration : IEntityTypeConfiguration<CohortSession>
{
    public void Configure(EntityTypeBuilder<CohortSession> b) => b.Property(x => x.Title).HasMaxLength(Course.TitleMaxLength);
}

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

internal sealed class LessonConfiguration : IEntityTypeConfiguration<Lesson>
{
    public void Configure(EntityTypeBuilder<Lesson> b)
    {
        b.Property(x => x.Title).HasMaxLength(Course.TitleMaxLength);
        b.Property(x => x.VideoUrl).HasMaxLength(500);
        b.Property(x => x.FileName).HasMaxLength(200);
    }
}

internal sealed class QuizQuestionConfiguration : IEntityTypeConfiguration<QuizQuestion>
{
    public void Configure(EntityTypeBuilder<QuizQuestion> b) => b.Property(x => x.Prompt).HasMaxLength(1000);
}

internal sealed class CourseCouponConfiguration : IEntityTypeConfiguration<CourseCoupon>
{
    public void Configure(EntityTypeBuilder<CourseCoupon> b)
    {
        b.HasKey(x => x.Code);
        b.Property(x => x.Code).HasMaxLength(40);
        b.ToTable(t => t.HasCheckConstraint("ck_course_coupons_percent", "percent_off BETWEEN 1 AND 100"));
    }
}

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

internal sealed class LessonCompletionConfiguration : IEntityTypeConfiguration<LessonCompletion>
{
    public void Configure(EntityTypeBuilder<LessonCompletion> b) => b.HasKey(x => new { x.EnrollmentId, x.LessonId });
}

internal sealed class QuizAttemptConfiguration : IEntityTypeConfiguration<QuizAttempt>
{
    public void Configure(EntityTypeBuilder<QuizAttempt> b) => b.HasIndex(x => new { x.EnrollmentId, x.WeekId });
}

internal sealed class CertificateConfiguration : IEntityTypeConfiguration<Certificate>
{
    public void Configure(EntityTypeBuilder<Certificate> b)
    {
        b.Property(x => x.CredentialId).HasMaxLength(40);
        b.HasIndex(x => x.CredentialId).IsUnique();
        b.HasIndex(x => x.EnrollmentId).IsUnique();
        b.Property(x => x.RecipientName).HasMaxLength(Course.TitleMaxLength);
        b.Property(x => x.CourseTitle).HasMaxLength(Course.TitleMaxLength);
        b.Property(x => x.CohortLabel).HasMaxLength(40);
        b.Property(x => x.InstructorName).HasMaxLength(Course.TitleMaxLength);
        b.Property(x => x.RevokedReason).HasMaxLength(500);
    }
}

internal sealed class AffiliateConfiguration : IEntityTypeConfiguration<Affiliate>
{
    public void Configure(EntityTypeBuilder<Affiliate> b)
    {
        b.Property(x => x.Code).HasMaxLength(Affiliate.CodeMaxLength);
        b.HasIndex(x => x.Code).IsUnique();
        b.HasIndex(x => x.UserId).IsUnique();
        b.Property(x => x.Name).HasMaxLength(Course.TitleMaxLength);
        b.Property(x => x.Email).HasMaxLength(256);
        b.Property(x => x.Audience).HasMaxLength(Affiliate.TextMaxLength);
        b.Property(x => x.PayoutAccount).HasMaxLength(256);
    }
}

internal sealed class AffiliateClickConfiguration : IEntityTypeConfiguration<AffiliateClick>
{
    public void Configure(EntityTypeBuilder<AffiliateClick> b)
    {
        b.Property(x => x.VisitorHash).HasMaxLength(64);
        b.Property(x => x.Path).HasMaxLength(200);
        b.Property(x => x.UtmSource).HasMaxLength(100);
        b.Property(x => x.UtmMedium).HasMaxLength(100);
        b.Property(x => x.UtmCampaign).HasMaxLength(100);
        b.HasIndex(x => new { x.AffiliateId, x.At });
        b.HasIndex(x => new { x.VisitorHash, x.At });
    }
}

internal sealed class AffiliateReferralConfiguration : IEntityTypeConfiguration<AffiliateReferral>
{
    public void Configure(EntityTypeBuilder<AffiliateReferral> b)
    {
        b.Property(x => x.Email).HasMaxLength(256);
        b.Property(x => x.UtmSource).HasMaxLength(100);
        b.Property(x => x.UtmMedium).HasMaxLength(100);
        b.Property(x => x.UtmCampaign).HasMaxLength(100);
        b.Property(x => x.RejectedReason).HasMaxLength(500);
        b.HasIndex(x => x.AffiliateId);
        // A user or an enrolment is attributed once (first touch).
        b.HasIndex(x => x.ReferredUserId).IsUnique();
        b.HasIndex(x => x.EnrollmentId).IsUnique();
    }
}

internal sealed class AffiliateCommissionConfiguration : IEntityTypeConfiguration<AffiliateCommission>
{
    public void Configure(EntityTypeBuilder<AffiliateCommission> b)
    {
        b.Property(x => x.PaymentId).HasMaxLength(255);
        b.HasIndex(x => x.PaymentId).IsUnique();
        b.HasIndex(x => new { x.AffiliateId, x.Status });
        b.Ignore(x => x.NetCents);
        b.ToTable(t => t.HasCheckConstraint("ck_affiliate_commissions_amounts", "commission_cents >= 0 AND reversed_cents >= 0 AND reversed_cents <= commission_cents"));
    }
}

internal sealed class AffiliatePayoutConfiguration : IEntityTypeConfiguration<AffiliatePayout>
{
    public void Configure(EntityTypeBuilder<AffiliatePayout> b)
    {
        b.Property(x => x.Reference).HasMaxLength(200);
        b.HasIndex(x => x.AffiliateId);
    }
}
