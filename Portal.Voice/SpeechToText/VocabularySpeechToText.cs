using Portal.Voice.SpeechToText.LanguageModels;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// A recognizer whose streams are opened with a business's <see cref="SpeechVocabulary"/> (unless the caller of
/// <see cref="OpenAsync"/> gave one), for sessions that open their recognizer without knowing the business (the browser
/// test call).
/// </summary>
/// <param name="inner">The real recognizer.</param>
/// <param name="vocabulary">The business's words.</param>
public sealed class VocabularySpeechToText(ISpeechToText inner, SpeechVocabulary vocabulary) : ISpeechToText
{
    /// <inheritdoc />
    public string ProviderName => inner.ProviderName;

    /// <inheritdoc />
    public Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return inner.OpenAsync(options.Vocabulary is null ? options with { Vocabulary = vocabulary } : options, cancellationToken);
    }
}
