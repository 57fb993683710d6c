using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice;

/// <summary>Registers Portal.Voice.</summary>
public static class DependencyInjection
{
    /// <summary>Adds the voice services (keyless: espeak-ng text-to-speech).</summary>
    public static IHostApplicationBuilder AddPortalVoice(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ITextToSpeech, EspeakTextToSpeech>();
        return builder;
    }
}
