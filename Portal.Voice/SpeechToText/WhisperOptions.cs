using System.ComponentModel.DataAnnotations;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// Settings of <see cref="WhisperSpeechToText"/>, bound from <c>Voice:SpeechToText:Whisper</c>. Whisper is offered only
/// when <see cref="ModelPath"/> names a ggml model file an operator placed on disk (e.g. <c>ggml-base.en.bin</c> from
/// https://huggingface.co/ggerganov/whisper.cpp); nothing is downloaded.
/// </summary>
public sealed class WhisperOptions
{
    /// <summary>Path of the ggml model file; null or empty = Whisper is not offered.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Spoken language (ISO 639-1, e.g. <c>en</c>), or <c>auto</c> to detect it.</summary>
    [Required]
    public string Language { get; set; } = "en";

    /// <summary>CPU threads per utterance.</summary>
    [Range(1, 64)]
    public int Threads { get; set; } = 2;

    /// <summary>Utterances decoded at once (each holds the model's working memory); more wait their turn.</summary>
    [Range(1, 16)]
    public int MaxConcurrent { get; set; } = 1;

    /// <summary>True when a model path is set (whether or not the file exists).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ModelPath);
}
