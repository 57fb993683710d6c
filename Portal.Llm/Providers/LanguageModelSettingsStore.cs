using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Domain.Audit;
using Portal.Domain.Instances;

namespace Portal.Llm.Providers;

/// <summary>
/// The provider in force: the admin page's row over the <c>Llm</c> configuration, field by field.
/// <see cref="ApiKey"/> is plaintext in memory only; <see cref="ToString"/> never shows it.
/// </summary>
/// <param name="Provider">One of <see cref="LlmProviders"/>.</param>
/// <param name="Model">Default model id, or null.</param>
/// <param name="BaseUrl">Endpoint base URL, or null for the vendor's.</param>
/// <param name="ApiKey">API key, or null.</param>
public sealed record EffectiveLlmSettings(string Provider, string? Model, string? BaseUrl, string? ApiKey)
{
    /// <summary>True when a model can be called: a provider other than none and a model id (openai-compatible also needs a base URL).</summary>
    public bool IsConfigured => Provider != LlmProviders.None && !string.IsNullOrWhiteSpace(Model)
        && (Provider != LlmProviders.OpenAICompatible || !string.IsNullOrWhiteSpace(BaseUrl));

    /// <summary>Identity of the provider endpoint (provider and base URL): one circuit breaker each.</summary>
    public string EndpointKey => $"{Provider}|{BaseUrl}";

    /// <inheritdoc />
    public override string ToString() => $"{Provider} {Model} {BaseUrl} key:{(ApiKey is null ? "not set" : "set")}";
}

/// <summary>What the admin page may show: never the key, only whether it is set and its last four characters.</summary>
/// <param name="Provider">Provider in force.</param>
/// <param name="Model">Model in force.</param>
/// <param name="BaseUrl">Base URL in force.</param>
/// <param name="ApiKeySet">True when a key is set (page or configuration).</param>
/// <param name="ApiKeyLast4">Last four characters of the key, or null.</param>
/// <param name="KeyFromConfiguration">True when the key in force comes from configuration rather than the page.</param>
public sealed record LanguageModelSettingsView(string Provider, string? Model, string? BaseUrl, bool ApiKeySet, string? ApiKeyLast4, bool KeyFromConfiguration);

/// <summary>A change from the admin page. A null <see cref="NewApiKey"/> keeps the stored key.</summary>
/// <param name="Provider">One of <see cref="LlmProviders"/>.</param>
/// <param name="Model">Model id (required unless the provider is none).</param>
/// <param name="BaseUrl">Absolute http(s) URL, or null (required for openai-compatible).</param>
/// <param name="NewApiKey">A new key, or null to keep the stored one.</param>
/// <param name="ClearApiKey">True to remove the stored key.</param>
public sealed record LanguageModelSettingsChange(string Provider, string? Model, string? BaseUrl, string? NewApiKey, bool ClearApiKey);

/// <summary>
/// Reads and writes the deployment's provider settings. Keys are protected with ASP.NET Data
/// Protection (purpose <see cref="Purpose"/>) before they reach the database and are never logged.
/// Reads are cached for <see cref="CacheTtl"/>; <see cref="SaveAsync"/> clears the cache.
/// </summary>
public sealed class LanguageModelSettingsStore(IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, IOptionsMonitor<LlmOptions> options, TimeProvider timeProvider)
{
    /// <summary>Data Protection purpose string of stored API keys.</summary>
    public const string Purpose = "Portal.Llm.ApiKey.v1";

    /// <summary>How long a read is reused.</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(15);

    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);
    private volatile CachedSettings? _cached;
    private readonly CacheInvalidationBus? _bus;

    /// <summary>Creates the store on several instances over one database: a save on any of them drops every instance's cached read.</summary>
    /// <param name="scopes">Scopes for reading and saving.</param>
    /// <param name="dataProtection">Protects stored API keys.</param>
    /// <param name="options">Configured defaults.</param>
    /// <param name="timeProvider">Clock for <see cref="CacheTtl"/>.</param>
    /// <param name="bus">Cross-instance invalidation (<see cref="CacheTopics.LanguageModelSettings"/>).</param>
    public LanguageModelSettingsStore(IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, IOptionsMonitor<LlmOptions> options, TimeProvider timeProvider, CacheInvalidationBus bus)
        : this(scopes, dataProtection, options, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _bus = bus;
        bus.Subscribe(CacheTopics.LanguageModelSettings, _ => _cached = null);
    }

    private sealed record CachedSettings(EffectiveLlmSettings Settings, DateTimeOffset At);

    /// <summary>The settings in force (cached).</summary>
    public async ValueTask<EffectiveLlmSettings> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } hit && timeProvider.GetUtcNow() - hit.At < CacheTtl)
        {
            return hit.Settings;
        }

        var row = await ReadAsync(cancellationToken);
        var config = options.CurrentValue;
        var settings = new EffectiveLlmSettings(
            row?.Provider ?? (LlmProviders.IsKnown(config.Provider) ? config.Provider : LlmProviders.None),
            row?.Model ?? config.Model,
            row?.BaseUrl ?? config.BaseUrl,
            row?.ProtectedApiKey is { } protectedKey ? _protector.Unprotect(protectedKey) : config.ApiKey);
        _cached = new CachedSettings(settings, timeProvider.GetUtcNow());
        return settings;
    }

    /// <summary>What the admin page shows (no key material beyond the last four characters).</summary>
    public async Task<LanguageModelSettingsView> DescribeAsync(CancellationToken cancellationToken)
    {
        var row = await ReadAsync(cancellationToken);
        var effective = await GetAsync(cancellationToken);
        var fromConfig = row?.ProtectedApiKey is null && !string.IsNullOrEmpty(options.CurrentValue.ApiKey);
        var last4 = row?.ApiKeyLast4 ?? (fromConfig ? Last4(options.CurrentValue.ApiKey!) : null);
        return new LanguageModelSettingsView(effective.Provider, effective.Model, effective.BaseUrl, effective.ApiKey is not null, last4, fromConfig);
    }

    /// <summary>
    /// Validates and stores a change. Throws <see cref="ValidationException"/> (the field name in
    /// <see cref="ValidationResult.MemberNames"/>) for an unknown provider, a missing model, a base
    /// URL that is not absolute http(s), a missing base URL for openai-compatible, or an over-long
    /// value; nothing is written then. The change and its audit entry (<see cref="AuditActions.LanguageModelChange"/>: provider,
    /// model, base URL before and after, and whether the key was kept, replaced or cleared, never the key) are saved together.
    /// </summary>
    /// <param name="change">The new settings.</param>
    /// <param name="actor">The platform admin making the change (the page's signed-in user).</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <exception cref="UnauthorizedAccessException"><paramref name="actor"/> is not a platform admin; nothing is written.</exception>
    public async Task SaveAsync(LanguageModelSettingsChange change, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsPlatformAdmin)
        {
            throw new UnauthorizedAccessException("Only platform admins change the language-model settings.");
        }

        Validate(change);
        await using var scope = scopes.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.LanguageModelSettings.FirstOrDefaultAsync(s => s.Id == LanguageModelSettings.SingletonId, cancellationToken);
        if (row is null)
        {
            row = new LanguageModelSettings();
            db.LanguageModelSettings.Add(row);
        }

        var before = new { provider = row.Provider, model = row.Model, baseUrl = row.BaseUrl };
        var keyChange = change.ClearApiKey ? "cleared" : string.IsNullOrWhiteSpace(change.NewApiKey) ? "kept" : $"replaced (ends in {Last4(change.NewApiKey.Trim())})";

        row.Provider = change.Provider;
        row.Model = string.IsNullOrWhiteSpace(change.Model) ? null : change.Model.Trim();
        row.BaseUrl = string.IsNullOrWhiteSpace(change.BaseUrl) ? null : change.BaseUrl.Trim();
        if (change.ClearApiKey)
        {
            row.ProtectedApiKey = null;
            row.ApiKeyLast4 = null;
        }
        else if (!string.IsNullOrWhiteSpace(change.NewApiKey))
        {
            var key = change.NewApiKey.Trim();
            row.ProtectedApiKey = _protector.Protect(key);
            row.ApiKeyLast4 = Last4(key);
        }

        scope.ServiceProvider.GetRequiredService<AuditLog>().Stage(db, actor, AuditActions.LanguageModelChange, nameof(LanguageModelSettings),
            LanguageModelSettings.SingletonId.ToString(), null, new { from = before, to = new { provider = row.Provider, model = row.Model, baseUrl = row.BaseUrl }, key = keyChange });
        await db.SaveChangesAsync(cancellationToken);
        _cached = null;
        _bus?.Publish(CacheTopics.LanguageModelSettings, null);
    }

    private static void Validate(LanguageModelSettingsChange change)
    {
        if (!LlmProviders.IsKnown(change.Provider))
        {
            throw Invalid(nameof(change.Provider), $"Choose one of: {string.Join(", ", LlmProviders.All)}.");
        }

        if (change.Provider != LlmProviders.None && string.IsNullOrWhiteSpace(change.Model))
        {
            throw Invalid(nameof(change.Model), "Enter the model id.");
        }

        if (change.Model?.Trim().Length > LanguageModelSettings.ModelMaxLength)
        {
            throw Invalid(nameof(change.Model), $"The model id is longer than {LanguageModelSettings.ModelMaxLength} characters.");
        }

        if (!string.IsNullOrWhiteSpace(change.BaseUrl))
        {
            if (change.BaseUrl.Trim().Length > LanguageModelSettings.BaseUrlMaxLength
                || !Uri.TryCreate(change.BaseUrl.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw Invalid(nameof(change.BaseUrl), "The base URL must be an absolute http or https URL.");
            }
        }
        else if (change.Provider == LlmProviders.OpenAICompatible)
        {
            throw Invalid(nameof(change.BaseUrl), "An OpenAI-compatible provider needs its base URL (e.g. http://localhost:11434/v1).");
        }

        if (change.NewApiKey?.Trim().Length > 500)
        {
            throw Invalid(nameof(change.NewApiKey), "The API key is longer than 500 characters.");
        }
    }

    private static ValidationException Invalid(string field, string message) =>
        new(new ValidationResult(message, [field]), null, null);

    private async Task<LanguageModelSettings?> ReadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.LanguageModelSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == LanguageModelSettings.SingletonId, ct);
    }

    private static string Last4(string key) => key.Length <= 4 ? key : key[^4..];
}
