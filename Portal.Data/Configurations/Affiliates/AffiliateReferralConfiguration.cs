using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

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
