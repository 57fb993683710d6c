using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

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
