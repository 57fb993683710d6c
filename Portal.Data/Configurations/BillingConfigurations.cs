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

internal sealed class BillingAccountConfiguration : IEntityTypeConfiguration<BillingAccount>
{
    public void Configure(EntityTypeBuilder<BillingAccount> b)
    {
        b.Property(x => x.StripeCustomerId).HasMaxLength(BillingAccount.StripeIdMaxLength);
        b.Property(x => x.StripeSubscriptionId).HasMaxLength(BillingAccount.StripeIdMaxLength);
        b.Property(x => x.SubscriptionStatus).HasMaxLength(BillingAccount.StatusMaxLength);
        b.Property(x => x.CapWarningSentFor).HasMaxLength(16);
        b.Property(x => x.LimitNoticeSentFor).HasMaxLength(16);
        b.Property(x => x.Currency).HasMaxLength(3).HasDefaultValue("usd");
        b.HasIndex(x => x.TenantId).IsUnique();
        b.HasIndex(x => x.StripeCustomerId).IsUnique();
        b.ToTable(t => t.HasCheckConstraint("ck_billing_accounts_cap", "spending_cap_cents IS NULL OR spending_cap_cents > 0"));
    }
}

internal sealed class BillingInvoiceConfiguration : IEntityTypeConfiguration<BillingInvoice>
{
    public void Configure(EntityTypeBuilder<BillingInvoice> b)
    {
        b.Property(x => x.StripeInvoiceId).HasMaxLength(BillingAccount.StripeIdMaxLength);
        b.Property(x => x.Number).HasMaxLength(64);
        b.Property(x => x.Status).HasMaxLength(BillingAccount.StatusMaxLength);
        b.Property(x => x.Currency).HasMaxLength(3);
        b.Property(x => x.HostedUrl).HasMaxLength(BillingInvoice.UrlMaxLength);
        b.Property(x => x.PdfUrl).HasMaxLength(BillingInvoice.UrlMaxLength);
        b.HasIndex(x => x.StripeInvoiceId).IsUnique();
    }
}

internal sealed class BillingCreditConfiguration : IEntityTypeConfiguration<BillingCredit>
{
    public void Configure(EntityTypeBuilder<BillingCredit> b)
    {
        b.Property(x => x.Reason).HasMaxLength(BillingCredit.ReasonMaxLength);
        b.Property(x => x.GrantedBy).HasMaxLength(256);
        b.Property(x => x.Currency).HasMaxLength(3).HasDefaultValue("usd");
        b.ToTable(t => t.HasCheckConstraint("ck_billing_credits_amount", $"amount_cents BETWEEN 1 AND {BillingCredit.MaxCents}"));
    }
}

internal sealed class StripeWebhookEventConfiguration : IEntityTypeConfiguration<StripeWebhookEvent>
{
    public void Configure(EntityTypeBuilder<StripeWebhookEvent> b)
    {
        b.Property(x => x.Id).HasMaxLength(BillingAccount.StripeIdMaxLength).ValueGeneratedNever();
        b.Property(x => x.Type).HasMaxLength(StripeWebhookEvent.TypeMaxLength);
        b.Property(x => x.Payload).HasColumnType("jsonb");
        b.Property(x => x.Outcome).HasMaxLength(200);
        b.HasIndex(x => x.ReceivedAt);
    }
}

internal sealed class BillingDriftFindingConfiguration : IEntityTypeConfiguration<BillingDriftFinding>
{
    public void Configure(EntityTypeBuilder<BillingDriftFinding> b)
    {
        // At most one open finding per business and window.
        b.HasIndex(x => new { x.TenantId, x.PeriodStart }).IsUnique().HasFilter("resolved_at IS NULL");
    }
}
