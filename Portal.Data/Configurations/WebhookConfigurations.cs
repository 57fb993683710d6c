using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> b)
    {
        b.ToTable("webhook_endpoints");
        b.Property(e => e.Url).HasMaxLength(WebhookEndpoint.UrlMaxLength);
        b.Property(e => e.Description).HasMaxLength(WebhookEndpoint.DescriptionMaxLength);
        b.Property(e => e.Events).HasMaxLength(WebhookEndpoint.EventsMaxLength);
        b.Property(e => e.ProtectedSecret).HasMaxLength(1000);
        b.HasIndex(e => new { e.TenantId, e.IsEnabled });
        b.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("webhook_deliveries");
        b.Property(d => d.EventType).HasMaxLength(WebhookDelivery.EventTypeMaxLength);
        b.Property(d => d.MessageId).HasMaxLength(WebhookDelivery.MessageIdMaxLength);
        b.HasIndex(d => new { d.TenantId, d.EndpointId, d.CreatedAt });
        b.HasIndex(d => new { d.Status, d.NextAttemptAt });
        b.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> b)
    {
        b.ToTable("webhook_attempts");
        b.Property(a => a.Error).HasMaxLength(WebhookAttempt.ErrorMaxLength);
        b.HasIndex(a => new { a.DeliveryId, a.AttemptedAt });
        b.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("idempotency_records");
        b.Property(r => r.Key).HasMaxLength(IdempotencyRecord.KeyMaxLength);
        b.Property(r => r.Principal).HasMaxLength(IdempotencyRecord.PrincipalMaxLength);
        b.Property(r => r.Path).HasMaxLength(IdempotencyRecord.PathMaxLength);
        b.Property(r => r.RequestHash).HasMaxLength(32);
        b.Property(r => r.ContentType).HasMaxLength(200);
        b.Property(r => r.Location).HasMaxLength(IdempotencyRecord.PathMaxLength);
        b.HasIndex(r => new { r.TenantId, r.Principal, r.Key }).IsUnique();
        b.HasIndex(r => r.ExpiresAt);
        b.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
