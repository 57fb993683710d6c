using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class BillingDriftFindingConfiguration : IEntityTypeConfiguration<BillingDriftFinding>
{
    public void Configure(EntityTypeBuilder<BillingDriftFinding> b)
    {
        // At most one open finding per business and window.
        b.HasIndex(x => new { x.TenantId, x.PeriodStart }).IsUnique().HasFilter("resolved_at IS NULL");
    }
}
