using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Portal.Telephony;

/// <summary>Registers the <see cref="ITelephonyProvider"/>: Twilio when configured, the sandbox otherwise.</summary>
public static class TelephonyServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ITelephonyProvider"/>. When the <c>Twilio</c> section has neither
    /// <c>AccountSid</c> nor <c>AuthToken</c>, registers <see cref="SandboxTelephonyProvider"/> as a
    /// singleton (keyless offline default). Otherwise binds <see cref="TwilioOptions"/> with
    /// DataAnnotations validation on start and registers <see cref="TwilioTelephonyProvider"/> as a
    /// typed <see cref="HttpClient"/> (https://www.twilio.com/docs/usage/api). A half-filled section
    /// (say, a token without a SID) is treated as Twilio and fails validation, loudly, at startup.
    /// With Twilio configured, <see cref="Portal.Domain.LiveChat.ISmsSender"/> becomes <see cref="TwilioSmsSender"/>
    /// (https://www.twilio.com/docs/messaging/api/message-resource).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">Root configuration; the <c>Twilio</c> section is read.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">At start or first resolution, when Twilio options are present but invalid.</exception>
    public static IServiceCollection AddTwilioTelephony(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        var section = configuration.GetSection(TwilioOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section[nameof(TwilioOptions.AccountSid)]) && string.IsNullOrWhiteSpace(section[nameof(TwilioOptions.AuthToken)]))
        {
            services.TryAddSingleton<SandboxTelephonyProvider>();
            services.TryAddSingleton<ITelephonyProvider>(sp => sp.GetRequiredService<SandboxTelephonyProvider>());
            return services;
        }

        services.AddOptions<TwilioOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Per-attempt timeouts and retries live in TwilioTransportHandler under the SDK (their rules depend on
        // whether the request is idempotent), so the client's own overall timeout is switched off.
        services.AddTransient<TwilioTransportHandler>();
        services.AddHttpClient<ITelephonyProvider, TwilioTelephonyProvider>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<TwilioTransportHandler>();

        // Texts go out through the Messages API instead of the keyless outbox (Portal.Domain registers that one with TryAdd).
        services.AddHttpClient(TwilioSmsSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<TwilioTransportHandler>();
        services.Replace(ServiceDescriptor.Scoped<Portal.Domain.LiveChat.ISmsSender, TwilioSmsSender>());
        return services;
    }
}
