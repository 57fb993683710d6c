namespace Portal.Web.Telephony;

/// <summary>Registers the Twilio webhook edge: options, the webhook auth token and Media Streams tokens.</summary>
public static class TelephonySetup
{
    /// <summary>Adds <see cref="TelephonyWebhookOptions"/> (validated on start), <see cref="ISandboxCredentials"/>, <see cref="MediaStreamTokens"/>, <see cref="CallRecordingStore"/> and the call options (section <c>Calls</c>).</summary>
    public static IServiceCollection AddTelephonyWebhooks(this IServiceCollection services)
    {
        services.AddOptions<TelephonyWebhookOptions>()
            .BindConfiguration(TelephonyWebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ISandboxCredentials, SandboxCredentials>();
        services.AddSingleton<MediaStreamTokens>();
        services.AddScoped<CallRecordingStore>();
        // Call timing (silence, endpointing, time limit) from the optional "Calls" section; absent means the defaults.
        services.AddOptions<Voice.Calls.MediaStreamSessionOptions>().BindConfiguration("Calls");
        return services;
    }
}
