using Microsoft.Extensions.DependencyInjection;

namespace Portal.Domain.Agencies;

/// <summary>Registers the white-label agency services.</summary>
public static class AgencyServices
{
    /// <summary>Adds agencies: options (section <c>Agencies</c>), access, directory, settings, team, domains, clients, usage, client keys and webhooks, brand resolution and the TLS ask.</summary>
    public static IServiceCollection AddPortalAgencies(this IServiceCollection services)
    {
        services.AddOptions<AgencyOptions>().BindConfiguration(AgencyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DomainVerifier>();
        services.AddSingleton<BrandResolver>();
        services.AddSingleton<TlsAskService>();
        services.AddScoped<AgencyAccess>();
        services.AddScoped<AgencyDirectory>();
        services.AddScoped<AgencySettings>();
        services.AddScoped<AgencyDomains>();
        services.AddScoped<AgencyClients>();
        services.AddScoped<AgencyUsage>();
        services.AddScoped<AgencyClientKeys>();
        services.AddScoped<AgencyClientWebhooks>();
        services.AddScoped<AgencyTeam>();
        // Portal.Billing registers the Stripe implementation after this one; the last registration wins.
        services.AddScoped<IAgencyBillingSync, NoAgencyBillingSync>();
        return services;
    }
}
