using System.ComponentModel.DataAnnotations;

namespace Portal.Voice.SpeechToText;

/// <summary>Settings of <see cref="PocketsphinxSpeechToText"/>, bound from <c>Voice:SpeechToText:Pocketsphinx</c>.</summary>
public sealed class PocketsphinxOptions
{
    /// <summary>Directory of the US English model (Debian package <c>pocketsphinx-en-us</c>).</summary>
    [Required]
    public string ModelDirectory { get; set; } = "/usr/share/pocketsphinx/model/en-us";

    /// <summary>Acoustic model directory, relative to <see cref="ModelDirectory"/> unless absolute.</summary>
    [Required]
    public string AcousticModel { get; set; } = "en-us";

    /// <summary>Language model file, relative to <see cref="ModelDirectory"/> unless absolute.</summary>
    [Required]
    public string LanguageModel { get; set; } = "en-us.lm.bin";

    /// <summary>Pronunciation dictionary, relative to <see cref="ModelDirectory"/> unless absolute.</summary>
    [Required]
    public string Dictionary { get; set; } = "cmudict-en-us.dict";

    /// <summary>
    /// Decoders kept loaded and used at once, each on its own dedicated thread (each holds the models, ~100 MB); more
    /// utterances wait their turn. Default: the machine's processor count (at most 16): decoding is CPU-bound, so more
    /// threads than cores only slow every decode down.
    /// </summary>
    [Range(1, 16)]
    public int MaxDecoders { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 16);

    /// <summary>
    /// Linux nice value of the decoder threads, 0..19 (default 10). Decoding is the one CPU-heavy job of a call that can
    /// wait a little; at a positive value the threads that keep every call's audio real-time (media reads, frame pacing,
    /// mark echoes) take a contended CPU first, so a busy machine answers spoken lines later instead of letting every
    /// call's audio fall behind. 0 decodes at the app's own priority. Niceness counts against every process of the
    /// machine (within one scheduler autogroup), so on a machine shared with other CPU-heavy work a positive value lets that
    /// work starve decoding and spoken lines go unanswered: there, use 0.
    /// </summary>
    [Range(0, 19)]
    public int DecoderNiceness { get; set; } = 10;

    /// <summary>
    /// Decode a call with its business's own language model (services, people, dates, times, numbers, intents) when the
    /// call's business is known (true); false always uses <see cref="LanguageModel"/>.
    /// </summary>
    public bool BusinessLanguageModel { get; set; } = true;

    /// <summary>Directory where business language models are cached (keyed by a hash of the business's vocabulary); empty = the system temp directory.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// Extra decoder arguments appended to every decoder's configuration (pocketsphinx command-line names and values,
    /// e.g. <c>["-lw", "8"]</c>); empty by default. For tuning on a deployment's own recordings.
    /// </summary>
    public IList<string> DecoderArguments { get; } = [];

    /// <summary>
    /// Under a business language model, confidence as the mean of the recognized words' lattice posteriors (true, the
    /// default) instead of the per-word geometric mean of the sentence posterior (false; always used under the general
    /// model, where the word mean trusted mostly wrong turns). On the phone evaluation set (docs/benchmarks.md) the word mean
    /// separates right from wrong turns better: at 0.4 it trusts 84 % of turns (76 % of them understood) where the
    /// sentence measure trusted 22 % and asked again on most turns it had understood.
    /// </summary>
    public bool WordPosteriorConfidence { get; set; } = true;
}
