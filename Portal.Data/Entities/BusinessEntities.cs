namespace Portal.Data.Entities;

/// <summary>Something the business sells and callers book.</summary>
public sealed class Service : TenantEntity
{
    /// <summary>Maximum length of <see cref="Name"/>.</summary>
    public const int NameMaxLength = 80;

    /// <summary>Display and spoken name ("Cleaning").</summary>
    public string Name { get; set; } = "";

    /// <summary>Length of an appointment, in minutes (5..600).</summary>
    public int DurationMinutes { get; set; } = 30;

    /// <summary>Price in cents (integer money); null when the business does not quote a price.</summary>
    public long? PriceCents { get; set; }

    /// <summary>Short description callers may hear.</summary>
    public string? Description { get; set; }

    /// <summary>Comma-separated synonyms callers use ("teeth cleaning, hygiene").</summary>
    public string? Keywords { get; set; }

    /// <summary>Inactive services are neither offered nor bookable.</summary>
    public bool IsActive { get; set; } = true;
}

/// <summary>One opening interval on one weekday, in the tenant's local time. A day may have several (lunch break).</summary>
public sealed class BusinessHours : TenantEntity
{
    /// <summary>Weekday.</summary>
    public DayOfWeek DayOfWeek { get; set; }

    /// <summary>Local opening time.</summary>
    public TimeOnly Opens { get; set; }

    /// <summary>Local closing time (after <see cref="Opens"/>).</summary>
    public TimeOnly Closes { get; set; }
}

/// <summary>A local date the business is closed (holiday), overriding the weekly hours.</summary>
public sealed class ClosedDate : TenantEntity
{
    /// <summary>The closed date, local.</summary>
    public DateOnly Date { get; set; }

    /// <summary>Why ("Thanksgiving"), said to callers.</summary>
    public string? Reason { get; set; }
}

/// <summary>The agent that answers for a business: its persona and settings.</summary>
public sealed class AgentPersona : TenantEntity
{
    /// <summary>Maximum length of <see cref="Greeting"/>.</summary>
    public const int GreetingMaxLength = 400;

    /// <summary>Maximum length of <see cref="CustomInstructions"/>.</summary>
    public const int InstructionsMaxLength = 4000;

    /// <summary>The agent's name ("Ava").</summary>
    public string Name { get; set; } = "Ava";

    /// <summary>First thing callers hear.</summary>
    public string Greeting { get; set; } = "";

    /// <summary>Text-to-speech voice id of the active provider.</summary>
    public string VoiceId { get; set; } = "en-us";

    /// <summary>Tone.</summary>
    public Personality Personality { get; set; } = Personality.Friendly;

    /// <summary>Owner's own rules for the agent (free text).</summary>
    public string? CustomInstructions { get; set; }

    /// <summary>Where "speak to a human" goes (E.164), or null.</summary>
    public string? TransferNumber { get; set; }

    /// <summary>BCP 47 language tag.</summary>
    public string Language { get; set; } = "en-US";

    /// <summary>True once onboarding finished and the agent answers its number.</summary>
    public bool IsLive { get; set; }

    /// <summary>
    /// True when phone calls may record the caller's audio (voice messages). Callers in two-party-consent states are
    /// told the agent is an AI and asked for consent first (docs/product/recording-consent.md); nothing is recorded without a yes.
    /// </summary>
    public bool RecordingEnabled { get; set; }

    /// <summary>Maximum length of <see cref="SpeechToTextProvider"/> and <see cref="TextToSpeechProvider"/>.</summary>
    public const int SpeechProviderMaxLength = 32;

    /// <summary>
    /// Speech-to-text provider for this agent's calls, by its deployment name (<c>deepgram</c>, <c>openai</c>,
    /// <c>pocketsphinx</c>: <c>Portal.Voice.SpeechToText.SpeechProviders</c>), or null for the deployment default. A name
    /// the deployment does not offer falls back to the default when a call starts.
    /// </summary>
    public string? SpeechToTextProvider { get; set; }

    /// <summary>
    /// Text-to-speech provider for this agent's calls, by its deployment name (<c>elevenlabs</c>, <c>openai</c>,
    /// <c>espeak</c>), or null for the deployment default. A name the deployment does not offer falls back to the default.
    /// <see cref="VoiceId"/> is a voice of this provider.
    /// </summary>
    public string? TextToSpeechProvider { get; set; }
    /// <summary>Maximum length of <see cref="LlmModel"/>.</summary>
    public const int LlmModelMaxLength = 100;

    /// <summary>True keeps the agent on the offline engine even when a language model is configured (default false: use the model when there is one).</summary>
    public bool OfflineOnly { get; set; }

    /// <summary>Model id overriding the deployment's (e.g. "gpt-4.1-mini"), or null for the deployment's.</summary>
    public string? LlmModel { get; set; }

    /// <summary>Sampling temperature (0–2) overriding the deployment's, or null.</summary>
    public double? LlmTemperature { get; set; }

    /// <summary>Maximum output tokens of one model reply overriding the deployment's, or null.</summary>
    public int? LlmMaxOutputTokens { get; set; }
}
