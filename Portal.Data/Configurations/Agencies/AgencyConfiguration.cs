using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class AgencyConfiguration : IEntityTypeConfiguration<Agency>
{
    public void Configure(EntityTypeBuilder<Agency> b)
    {
        b.Property(x => x.Name).HasMaxLength(Agency.NameMaxLength);
        b.Property(x => x.PrimaryColor).HasMaxLength(Agency.ColorLength);
        b.Property(x => x.SecondaryColor).HasMaxLength(Agency.ColorLength);
        b.Property(x => x.LogoContentType).HasMaxLength(32);
        b.Property(x => x.FaviconContentType).HasMaxLength(32);
        b.Property(x => x.SupportEmail).HasMaxLength(Agency.EmailMaxLength);
        b.Property(x => x.SupportPhone).HasMaxLength(Agency.PhoneMaxLength);
        b.Property(x => x.EmailSenderName).HasMaxLength(Agency.NameMaxLength);
        b.Property(x => x.SmsSender).HasMaxLength(Agency.SmsSenderMaxLength);
        b.Property(x => x.LegalFooter).HasMaxLength(Agency.LegalFooterMaxLength);
        b.Property(x => x.TemplateGreeting).HasMaxLength(AgentPersona.GreetingMaxLength);
        b.Property(x => x.TemplateInstructions).HasMaxLength(AgentPersona.InstructionsMaxLength);
        b.Property(x => x.TemplateVoiceId).HasMaxLength(100);
        b.Property(x => x.SharedKnowledge).HasMaxLength(Agency.TemplateMaxLength);
        b.Property(x => x.StripeCustomerId).HasMaxLength(Agency.StripeIdMaxLength);
        b.Property(x => x.StripeSubscriptionId).HasMaxLength(Agency.StripeIdMaxLength);
        b.ToTable(t => t.HasCheckConstraint("ck_agencies_logo_size", $"octet_length(logo) <= {Agency.LogoMaxBytes} AND octet_length(favicon) <= {Agency.LogoMaxBytes}"));
    }
}
