using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> b)
    {
        b.Property(x => x.Direction).HasMaxLength(UsageRecord.DirectionMaxLength);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Ignore(x => x.CostMicros);
        // One usage record per conversation: recording is idempotent.
        b.HasIndex(x => x.ConversationId).IsUnique();
        // The Billing page and the meter job read a tenant's period; the job finds unreported calls.
        b.HasIndex(x => new { x.TenantId, x.StartedAt });
        b.HasIndex(x => x.MeterReportedAt).HasFilter("meter_reported_at IS NULL AND billable_tenths > 0");
        b.ToTable(t => t.HasCheckConstraint("ck_usage_records_tenths", "billable_tenths >= 0 AND billable_seconds >= 0"));
    }
}
