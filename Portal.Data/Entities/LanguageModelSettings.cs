using Portal.Data.Tenancy;

namespace Portal.Data.Entities;

/// <summary>
/// The deployment's language-model provider as a platform admin set it on the "Language model"
/// admin page; one row (<see cref="SingletonId"/>). When present it overrides the <c>Llm</c>
/// configuration section field by field (null fields fall through to configuration). Platform-wide
/// (<see cref="IGlobalEntity"/>). The API key is stored only as ASP.NET Data Protection ciphertext
/// (purpose <c>Portal.Llm.ApiKey.v1</c>); the admin page shows only <see cref="ApiKeyLast4"/>.
/// </summary>
public sealed class LanguageModelSettings : IGlobalEntity, IAudited
{
    /// <summary>The only row's key.</summary>
    public static readonly Guid SingletonId = new("00000000-0000-0000-0000-00000000011a");

    /// <summary>Maximum length of <see cref="Provider"/>.</summary>
    public const int ProviderMaxLength = 32;

    /// <summary>Maximum length of <see cref="Model"/>.</summary>
    public const int ModelMaxLength = 100;

    /// <summary>Maximum length of <see cref="BaseUrl"/>.</summary>
    public const int BaseUrlMaxLength = 300;

    /// <summary>Maximum length of <see cref="ProtectedApiKey"/> (Data Protection output, base64url).</summary>
    public const int ProtectedApiKeyMaxLength = 2000;

    /// <summary>Primary key (always <see cref="SingletonId"/>).</summary>
    public Guid Id { get; set; } = SingletonId;

    /// <summary>"none", "openai", "anthropic" or "openai-compatible"; null falls through to configuration.</summary>
    public string? Provider { get; set; }

    /// <summary>Default model id; null falls through to configuration.</summary>
    public string? Model { get; set; }

    /// <summary>Endpoint base URL (OpenAI-compatible servers, or a proxy); null falls through to configuration.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>API key protected with ASP.NET Data Protection; null falls through to configuration.</summary>
    public string? ProtectedApiKey { get; set; }

    /// <summary>Last four characters of the key, for the admin page's "set, ends in …".</summary>
    public string? ApiKeyLast4 { get; set; }

    /// <inheritdoc />
    public DateTimeOffset CreatedAt { get; set; }

    /// <inheritdoc />
    public DateTimeOffset UpdatedAt { get; set; }
}
