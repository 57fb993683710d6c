using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class AgencyOverageEventConfiguration : IEntityTypeConfiguration<AgencyOverageEvent>
{
    public void Configure(EntityTypeBuilder<AgencyOverageEvent> b)
    {
        b.Property(x => x.Identifier).HasMaxLength(AgencyOverageEvent.IdentifierMaxLength);
        // The identifier is Stripe's idempotency key of the meter event: one row per client, month and running total.
        b.HasIndex(x => x.Identifier).IsUnique();
        b.HasIndex(x => new { x.TenantId, x.Month });
        b.HasIndex(x => x.ReportedAt);
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.ToTable(t => t.HasCheckConstraint("ck_agency_overage_events_minutes", "minutes > 0 AND up_to_minutes >= minutes"));
    }
}
