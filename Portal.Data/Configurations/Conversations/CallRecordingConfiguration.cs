using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

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
