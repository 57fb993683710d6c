using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

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
