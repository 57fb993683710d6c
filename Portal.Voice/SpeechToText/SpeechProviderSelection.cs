using System.ComponentModel.DataAnnotations;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// Which speech providers a deployment uses by default, bound from <c>Voice:SpeechToText:Provider</c> and
/// <c>Voice:TextToSpeech:Provider</c> (each provider's own settings live beside them, e.g.
/// <c>Voice:SpeechToText:Deepgram:ApiKey</c>). Optional as a whole: absent means the keyless default, espeak-ng and
/// pocketsphinx when it is installed, or the keyed vendor when only its key is configured.
/// </summary>
public sealed class SpeechProviderSelection : IValidatableObject
{
    /// <summary>Speech-to-text provider: <c>deepgram</c> | <c>openai</c> | <c>whisper</c> | <c>pocketsphinx</c> | <c>none</c>; null or empty = automatic.</summary>
    [RegularExpression("^(|deepgram|openai|whisper|pocketsphinx|none)$", ErrorMessage = "Voice:SpeechToText:Provider must be deepgram, openai, whisper, pocketsphinx or none.")]
    public string? SpeechToText { get; set; }

    /// <summary>Text-to-speech provider: <c>elevenlabs</c> | <c>openai</c> | <c>espeak</c>; null or empty = automatic.</summary>
    [RegularExpression("^(|elevenlabs|openai|espeak)$", ErrorMessage = "Voice:TextToSpeech:Provider must be elevenlabs, openai or espeak.")]
    public string? TextToSpeech { get; set; }

    /// <summary>Whether a Deepgram key is configured.</summary>
    public bool DeepgramConfigured { get; set; }

    /// <summary>Whether an OpenAI-compatible transcription server is configured.</summary>
    public bool OpenAiSpeechToTextConfigured { get; set; }

    /// <summary>Whether a Whisper model path is configured (the file may still be missing).</summary>
    public bool WhisperConfigured { get; set; }

    /// <summary>Whether an ElevenLabs key is configured.</summary>
    public bool ElevenLabsConfigured { get; set; }

    /// <summary>Whether an OpenAI-compatible speech server is configured.</summary>
    public bool OpenAiTextToSpeechConfigured { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SpeechToText == SpeechProviders.Deepgram && !DeepgramConfigured)
        {
            yield return new ValidationResult("Voice:SpeechToText:Provider is deepgram but Voice:SpeechToText:Deepgram:ApiKey is empty.", [nameof(SpeechToText)]);
        }

        if (SpeechToText == SpeechProviders.OpenAi && !OpenAiSpeechToTextConfigured)
        {
            yield return new ValidationResult("Voice:SpeechToText:Provider is openai but Voice:SpeechToText:OpenAi:BaseUrl is not an absolute URL.", [nameof(SpeechToText)]);
        }

        if (SpeechToText == SpeechProviders.Whisper && !WhisperConfigured)
        {
            yield return new ValidationResult("Voice:SpeechToText:Provider is whisper but Voice:SpeechToText:Whisper:ModelPath is empty.", [nameof(SpeechToText)]);
        }

        if (TextToSpeech == SpeechProviders.ElevenLabs && !ElevenLabsConfigured)
        {
            yield return new ValidationResult("Voice:TextToSpeech:Provider is elevenlabs but Voice:TextToSpeech:ElevenLabs:ApiKey is empty.", [nameof(TextToSpeech)]);
        }

        if (TextToSpeech == SpeechProviders.OpenAi && !OpenAiTextToSpeechConfigured)
        {
            yield return new ValidationResult("Voice:TextToSpeech:Provider is openai but Voice:TextToSpeech:OpenAi:BaseUrl is not an absolute URL.", [nameof(TextToSpeech)]);
        }
    }
}
