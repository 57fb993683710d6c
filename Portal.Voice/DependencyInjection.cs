using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Portal.Voice.Calls;
using Portal.Voice.SpeechToText;
using Portal.Telephony;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice;

/// <summary>Registers Portal.Voice.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Adds the voice services: text-to-speech (keyless: espeak-ng), the speech providers chosen under <c>Voice:SpeechToText</c>
    /// and <c>Voice:TextToSpeech</c> (<see cref="SpeechProviders"/>; keyless: espeak-ng and pocketsphinx when installed) and
    /// telephony (Twilio when <c>Twilio:AccountSid</c>/<c>AuthToken</c> are configured, else the sandbox).
    /// </summary>
    public static IHostApplicationBuilder AddPortalVoice(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EspeakTextToSpeech>();
        builder.Services.AddSingleton<ITextToSpeech>(sp => sp.GetRequiredService<EspeakTextToSpeech>());
        builder.Services.AddSpeechProviders(builder.Configuration);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<VoiceCatalog>();
        builder.Services.AddSingleton<PhoneSpeechCache>();
        builder.Services.AddTwilioTelephony(builder.Configuration);

        // The phone call path: Media Streams tokens, voice messages, call timing (optional "Calls" section; absent = defaults).
        builder.Services.AddSingleton<Twilio.MediaStreamTokens>();
        builder.Services.AddOptions<CallRecordingOptions>().BindConfiguration(CallRecordingOptions.SectionName);
        builder.Services.AddScoped<CallRecordingStore>();
        builder.Services.AddOptions<MediaStreamSessionOptions>().BindConfiguration("Calls");
        // Open calls proved live in the database, for the orphaned-calls job on any instance.
        builder.Services.AddSingleton<LiveCallHeartbeat>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveCallHeartbeat>());
        return builder;
    }
}
