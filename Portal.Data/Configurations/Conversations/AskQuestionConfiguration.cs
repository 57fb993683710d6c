using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class AskQuestionConfiguration : IEntityTypeConfiguration<AskQuestion>
{
    public void Configure(EntityTypeBuilder<AskQuestion> b)
    {
        b.Property(q => q.Question).HasMaxLength(AskQuestion.QuestionMaxLength);
        b.Property(q => q.ReadBy).HasMaxLength(AskQuestion.ReadByMaxLength);
        b.Property(q => q.ModelProblem).HasMaxLength(AskQuestion.ModelProblemMaxLength);
        b.Property(q => q.Model).HasMaxLength(Turn.ModelMaxLength);
        // A business's questions, newest first (usage and cost over a period).
        b.HasIndex(q => new { q.TenantId, q.CreatedAt });
    }
}
