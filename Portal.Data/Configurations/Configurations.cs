using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> b)
    {
        b.Property(t => t.Name).HasMaxLength(Tenant.NameMaxLength);
        b.Property(t => t.Address).HasMaxLength(Tenant.AddressMaxLength);
        b.Property(t => t.TimeZoneId).HasMaxLength(64);
        b.Property(t => t.Phone).HasMaxLength(20);
        // An agency's clients are listed by agency; an agency with clients cannot be deleted.
        b.HasIndex(t => t.AgencyId);
        b.HasOne<Portal.Data.Entities.Agency>().WithMany().HasForeignKey(t => t.AgencyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ServiceConfiguration : IEntityTypeConfiguration<Service>
{
    public void Configure(EntityTypeBuilder<Service> b)
    {
        b.Property(s => s.Name).HasMaxLength(Service.NameMaxLength);
        b.Property(s => s.Description).HasMaxLength(500);
        b.Property(s => s.Keywords).HasMaxLength(500);
        b.HasIndex(s => new { s.TenantId, s.Name }).IsUnique();
    }
}

internal sealed class BusinessHoursConfiguration : IEntityTypeConfiguration<BusinessHours>
{
    public void Configure(EntityTypeBuilder<BusinessHours> b)
    {
        b.ToTable(t => t.HasCheckConstraint("ck_business_hours_order", "closes > opens"));
    }
}

internal sealed class ClosedDateConfiguration : IEntityTypeConfiguration<ClosedDate>
{
    public void Configure(EntityTypeBuilder<ClosedDate> b)
    {
        b.Property(c => c.Reason).HasMaxLength(120);
        b.HasIndex(c => new { c.TenantId, c.Date }).IsUnique();
    }
}

internal sealed class AgentPersonaConfiguration : IEntityTypeConfiguration<AgentPersona>
{
    public void Configure(EntityTypeBuilder<AgentPersona> b)
    {
        b.Property(a => a.Name).HasMaxLength(60);
        b.Property(a => a.Greeting).HasMaxLength(AgentPersona.GreetingMaxLength);
        b.Property(a => a.CustomInstructions).HasMaxLength(AgentPersona.InstructionsMaxLength);
        b.Property(a => a.VoiceId).HasMaxLength(100);
        b.Property(a => a.TransferNumber).HasMaxLength(20);
        b.Property(a => a.Language).HasMaxLength(16);
        b.Property(a => a.LlmModel).HasMaxLength(AgentPersona.LlmModelMaxLength);
        b.Property(a => a.SpeechToTextProvider).HasMaxLength(AgentPersona.SpeechProviderMaxLength);
        b.Property(a => a.TextToSpeechProvider).HasMaxLength(AgentPersona.SpeechProviderMaxLength);
    }
}

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> b)
    {
        b.Property(c => c.State).HasColumnType("jsonb");
        b.Property(c => c.CustomerName).HasMaxLength(120);
        b.Property(c => c.CustomerPhone).HasMaxLength(20);
        b.HasMany(c => c.Turns).WithOne().HasForeignKey(t => t.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.TenantId, c.StartedAt });
        b.Property(c => c.CallSid).HasMaxLength(Conversation.CallSidMaxLength);
        b.Property(c => c.CallStatus).HasMaxLength(Conversation.CallStatusMaxLength);
        b.Property(c => c.ToNumber).HasMaxLength(Conversation.PhoneMaxLength);
        b.Property(c => c.FromNumber).HasMaxLength(Conversation.PhoneMaxLength);
        b.Property(c => c.FallbackReason).HasMaxLength(Conversation.FallbackReasonMaxLength);
        // One conversation per provider call across all tenants: the webhook's idempotency key.
        b.HasIndex(c => c.CallSid).IsUnique().HasFilter("call_sid IS NOT NULL");
        b.Property(c => c.CallerRegion).HasMaxLength(Conversation.CallerRegionMaxLength);
        b.Property(c => c.StreamSid).HasMaxLength(Conversation.StreamSidMaxLength);
        b.Property(c => c.EndReason).HasMaxLength(Conversation.EndReasonMaxLength);
        b.Property(c => c.SpeechFailureReason).HasMaxLength(Conversation.SpeechFailureReasonMaxLength);
        b.Property(c => c.TakenOverByName).HasMaxLength(Conversation.StaffNameMaxLength);
        // The orphaned-calls job looks for open voice calls by last activity.
        b.HasIndex(c => c.UpdatedAt).HasFilter("ended_at IS NULL");
    }
}

internal sealed class TurnConfiguration : IEntityTypeConfiguration<Turn>
{
    public void Configure(EntityTypeBuilder<Turn> b)
    {
        b.Property(t => t.Text).HasMaxLength(Turn.TextMaxLength);
        b.Property(t => t.HeardText).HasMaxLength(Turn.TextMaxLength);
        b.Property(t => t.Intent).HasMaxLength(32);
        b.Property(t => t.Engine).HasMaxLength(Turn.EngineMaxLength);
        b.Property(t => t.Model).HasMaxLength(Turn.ModelMaxLength);
        b.HasIndex(t => new { t.ConversationId, t.Sequence }).IsUnique();
        // The orphaned-calls job settles turns whose playback was never confirmed (a crash mid-reply).
        b.HasIndex(t => t.PlaybackPending).HasFilter("playback_pending");
        // The Analytics page's funnel (a caller turn that asked about a service) and agent reply latency, read index-only.
        b.HasIndex(t => t.ConversationId, "ix_turns_service_asks").HasDatabaseName("ix_turns_service_asks")
            .HasFilter("speaker = 'Customer' AND intent IN ('Book', 'Reschedule', 'Services')");
        b.HasIndex(t => t.ConversationId, "ix_turns_agent_latency").HasDatabaseName("ix_turns_agent_latency")
            .HasFilter("speaker = 'Agent' AND latency_ms IS NOT NULL").IncludeProperties(t => new { t.TenantId, t.LatencyMs });
    }
}

internal sealed class CallRecordingConfiguration : IEntityTypeConfiguration<CallRecording>
{
    public void Configure(EntityTypeBuilder<CallRecording> b)
    {
        b.Property(r => r.ContentType).HasMaxLength(CallRecording.ContentTypeMaxLength);
        b.Property(r => r.FilePath).HasMaxLength(CallRecording.FilePathMaxLength);
        b.HasOne<Conversation>().WithMany().HasForeignKey(r => r.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => r.ConversationId);
    }
}

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

internal sealed class CallerMessageConfiguration : IEntityTypeConfiguration<CallerMessage>
{
    public void Configure(EntityTypeBuilder<CallerMessage> b)
    {
        b.Property(m => m.CallerName).HasMaxLength(120);
        b.Property(m => m.CallerPhone).HasMaxLength(20);
        b.Property(m => m.Body).HasMaxLength(2000);
        // "Ask your data" counts messages by when they were left (brain.v_messages.at_utc).
        b.HasIndex(m => new { m.TenantId, m.CreatedAt });
    }
}

internal sealed class PhoneNumberConfiguration : IEntityTypeConfiguration<PhoneNumber>
{
    public void Configure(EntityTypeBuilder<PhoneNumber> b)
    {
        b.Property(p => p.E164).HasMaxLength(20);
        b.HasIndex(p => p.E164).IsUnique();
        // The admin pool page searches digits anywhere in the number (LIKE '%…%'): a trigram index serves it.
        b.HasIndex(p => p.E164, "ix_phone_numbers_e164_trgm").HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_phone_numbers_e164_trgm");
        b.Property(p => p.AreaCode).HasMaxLength(8);
        b.Property(p => p.Region).HasMaxLength(64);
        b.Property(p => p.Locality).HasMaxLength(100);
        b.Property(p => p.Provider).HasMaxLength(20);
        b.Property(p => p.ProviderSid).HasMaxLength(64);
        b.Property(p => p.Version).IsRowVersion();
        b.HasIndex(p => new { p.Status, p.AreaCode });
        b.HasIndex(p => p.TenantId);
        // One agent holds at most one number through this row; a number is assigned to one agent.
        b.HasIndex(p => p.AgentPersonaId).IsUnique().HasFilter("agent_persona_id IS NOT NULL");
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(e => e.ActorEmail).HasMaxLength(AuditEntry.ActorEmailMaxLength);
        b.Property(e => e.Action).HasMaxLength(AuditEntry.ActionMaxLength);
        b.Property(e => e.TargetType).HasMaxLength(AuditEntry.TargetTypeMaxLength);
        b.Property(e => e.TargetId).HasMaxLength(AuditEntry.TargetIdMaxLength);
        b.Property(e => e.Details).HasColumnType("jsonb");
        // The audit page reads newest first, optionally for one action.
        b.HasIndex(e => e.At);
        b.HasIndex(e => new { e.Action, e.At });
        b.HasIndex(e => e.TenantId);
    }
}
