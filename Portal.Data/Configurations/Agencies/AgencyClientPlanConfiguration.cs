using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class AgencyClientPlanConfiguration : IEntityTypeConfiguration<AgencyClientPlan>
{
    public void Configure(EntityTypeBuilder<AgencyClientPlan> b)
    {
        b.HasKey(x => x.TenantId);
        b.HasIndex(x => x.AgencyId);
        b.HasOne<Tenant>().WithOne().HasForeignKey<AgencyClientPlan>(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
        b.ToTable(t => t.HasCheckConstraint("ck_agency_client_plans_money", "monthly_fee_cents >= 0 AND included_minutes >= 0 AND overage_cents_per_minute >= 0"));
    }
}
