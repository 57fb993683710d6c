using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;
using Portal.Data.Identity;

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

internal sealed class AgencyMemberConfiguration : IEntityTypeConfiguration<AgencyMember>
{
    public void Configure(EntityTypeBuilder<AgencyMember> b)
    {
        // One agency per user.
        b.HasIndex(x => x.UserId).IsUnique();
        b.HasIndex(x => x.AgencyId);
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AgencyDomainConfiguration : IEntityTypeConfiguration<AgencyDomain>
{
    public void Configure(EntityTypeBuilder<AgencyDomain> b)
    {
        b.Property(x => x.Host).HasMaxLength(AgencyDomain.HostMaxLength);
        b.Property(x => x.VerificationToken).HasMaxLength(64);
        b.Property(x => x.LastError).HasMaxLength(500);
        // A host belongs to one agency; looked up by host on every request (cached) and by the TLS ask endpoint.
        b.HasIndex(x => x.Host).IsUnique();
        b.HasIndex(x => x.AgencyId);
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AgencyClientPlanConfiguration : IEntityTypeConfiguration<AgencyClientPlan>
{
    public void Configure(EntityTypeBuilder<AgencyClientPlan> b)
    {
        b.HasKey(x => x.TenantId);
        b.HasIndex(x => x.AgencyId);
        b.HasOne<Tenant>().WithOne().HasForeignKey<AgencyClientPlan>(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
        b.ToTable(t => t.HasCheckConstraint("ck_agency_client_plans_money", "monthly_fee_cents >= 0 AND included_minutes >= 0 AND overage_cents_per_minute >= 0"));
    }
}

internal sealed class AgencyOverageEventConfiguration : IEntityTypeConfiguration<AgencyOverageEvent>
{
    public void Configure(EntityTypeBuilder<AgencyOverageEvent> b)
    {
        b.Property(x => x.Identifier).HasMaxLength(AgencyOverageEvent.IdentifierMaxLength);
        // The identifier is Stripe's idempotency key of the meter event: one row per client, month and running total.
        b.HasIndex(x => x.Identifier).IsUnique();
        b.HasIndex(x => new { x.TenantId, x.Month });
        b.HasIndex(x => x.ReportedAt);
        b.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.ToTable(t => t.HasCheckConstraint("ck_agency_overage_events_minutes", "minutes > 0 AND up_to_minutes >= minutes"));
    }
}
