using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

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
