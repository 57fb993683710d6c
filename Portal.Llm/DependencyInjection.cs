using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Domain.Conversations;
using Portal.Llm.Engine;
using Portal.Llm.Providers;
using Portal.Llm.Tools;

namespace Portal.Llm;

/// <summary>Registers Portal.Llm.</summary>
public static class DependencyInjection
{
    /// <summary>Adds the language-model engine, bound to the <c>Llm</c> configuration section (absent: offline only).</summary>
    public static IHostApplicationBuilder AddPortalLlm(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPortalLlm();
        return builder;
    }

    /// <summary>Adds the language-model engine to a service collection (needs Portal.Domain and Data Protection).</summary>
    public static IServiceCollection AddPortalLlm(this IServiceCollection services)
    {
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddDataProtection();
        services.AddSingleton<LanguageModelSettingsStore>();
        services.AddSingleton<ChatClientFactory>();
        services.AddSingleton<LlmResilience>();
        services.AddScoped<ReceptionistTools>();
        services.AddScoped<IModelEngineSelector, ModelEngineSelector>();
        services.AddScoped<Portal.Domain.Brain.Insights.IInsightModel, Insights.ModelInsightAnalyzer>();
        services.AddScoped<Portal.Domain.Brain.Ask.IAskModel, Ask.ModelQuestionReader>();
        return services;
    }
}
