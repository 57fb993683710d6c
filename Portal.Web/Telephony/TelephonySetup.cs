namespace Portal.Web.Telephony;

/// <summary>Registers the Twilio webhook edge: options, the webhook auth token and Media Streams tokens.</summary>
public static class TelephonySetup
{
    /// <summary>Adds <see cref="TelephonyWebhookOptions"/> (validated on start) and <see cref="ISandboxCredentials"/>; the call path's services come from <c>AddPortalVoice</c>.</summary>
    public static IServiceCollection AddTelephonyWebhooks(this IServiceCollection services)
    {
        services.AddOptions<TelephonyWebhookOptions>()
            .BindConfiguration(TelephonyWebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ISandboxCredentials, SandboxCredentials>();
        return services;
    }
}
