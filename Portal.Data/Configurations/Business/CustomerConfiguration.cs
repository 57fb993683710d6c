using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.Property(c => c.Name).HasMaxLength(Customer.NameMaxLength);
        b.Property(c => c.Phone).HasMaxLength(Conversation.PhoneMaxLength);
        b.Property(c => c.Email).HasMaxLength(Customer.EmailMaxLength);
        b.Property(c => c.Notes).HasMaxLength(Customer.NotesMaxLength);
        // One customer per number and per email within a business: the matcher's find-or-create relies on these.
        b.HasIndex(c => new { c.TenantId, c.Phone }).IsUnique().HasFilter("phone IS NOT NULL");
        b.HasIndex(c => new { c.TenantId, c.Email }).IsUnique().HasFilter("email IS NOT NULL");
        // The list sorts by last contact.
        b.HasIndex(c => new { c.TenantId, c.LastContactAt });
        b.HasMany<Conversation>().WithOne().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany<Booking>().WithOne().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.SetNull);
    }
}
