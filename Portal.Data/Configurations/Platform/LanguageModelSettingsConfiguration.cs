using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class LanguageModelSettingsConfiguration : IEntityTypeConfiguration<LanguageModelSettings>
{
    public void Configure(EntityTypeBuilder<LanguageModelSettings> b)
    {
        b.ToTable("language_model_settings");
        b.Property(s => s.Provider).HasMaxLength(LanguageModelSettings.ProviderMaxLength);
        b.Property(s => s.Model).HasMaxLength(LanguageModelSettings.ModelMaxLength);
        b.Property(s => s.BaseUrl).HasMaxLength(LanguageModelSettings.BaseUrlMaxLength);
        b.Property(s => s.ProtectedApiKey).HasMaxLength(LanguageModelSettings.ProtectedApiKeyMaxLength);
        b.Property(s => s.ApiKeyLast4).HasMaxLength(4);
    }
}
