using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class InboundSmsConfiguration : IEntityTypeConfiguration<InboundSms>
{
    public void Configure(EntityTypeBuilder<InboundSms> b)
    {
        b.Property(m => m.MessageSid).HasMaxLength(InboundSms.MessageSidMaxLength);
        b.HasIndex(m => m.MessageSid).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
