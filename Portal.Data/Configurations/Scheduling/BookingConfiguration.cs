using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class BookingConfiguration : IEntityTypeConfiguration<Booking>
{
    public void Configure(EntityTypeBuilder<Booking> b)
    {
        b.Property(x => x.CustomerName).HasMaxLength(120);
        b.Property(x => x.CustomerPhone).HasMaxLength(20);
        b.Property(x => x.Notes).HasMaxLength(1000);
        b.HasOne(x => x.Service).WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.TenantId, x.StartUtc });
        // "Ask your data" counts bookings by when they were made (brain.v_bookings.at_utc).
        b.HasIndex(x => new { x.TenantId, x.CreatedAt });
        b.ToTable(t => t.HasCheckConstraint("ck_bookings_order", "end_utc > start_utc"));
    }
}
