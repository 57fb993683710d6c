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
