using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

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
