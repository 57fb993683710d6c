using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Portal.Voice.SpeechToText.LanguageModels;

/// <summary>The files of one business's language model.</summary>
/// <param name="Key">The vocabulary's <see cref="SpeechVocabulary.Key"/>.</param>
/// <param name="LanguageModelPath">ARPA trigram model.</param>
/// <param name="DictionaryPath">Pronunciation dictionary restricted to the model's words.</param>
/// <param name="WordCount">Words in the model.</param>
public sealed record DomainLanguageModel(string Key, string LanguageModelPath, string DictionaryPath, int WordCount);

/// <summary>
/// Builds and caches, per business profile, the language model and dictionary a constrained recognizer decodes with:
/// <see cref="ReceptionistCorpus"/> sentences, words without a pronunciation dropped, a Witten-Bell trigram
/// (<see cref="ArpaLanguageModelBuilder"/>) and the matching entries of the pronunciation dictionary. Files are named by
/// the vocabulary's <see cref="SpeechVocabulary.Key"/> (and <see cref="FormatVersion"/>) in a cache directory, so a
/// profile is built once per machine (about a second) and reused by every call until the business's services change.
/// </summary>
public sealed class DomainLanguageModelStore
{
    /// <summary>Bumped when the corpus or the builder changes, so older cached files are not reused.</summary>
    public const int FormatVersion = 1;

    private readonly string _directory;
    private readonly Func<PronunciationDictionary> _dictionary;
    private readonly ConcurrentDictionary<string, Lazy<DomainLanguageModel>> _models = new(StringComparer.Ordinal);

    /// <summary>Creates a store.</summary>
    /// <param name="directory">Cache directory (created when missing).</param>
    /// <param name="dictionary">The full pronunciation dictionary (loaded on first build).</param>
    public DomainLanguageModelStore(string directory, Func<PronunciationDictionary> dictionary)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(dictionary);
        _directory = directory;
        _dictionary = dictionary;
    }

    /// <summary>The model of <paramref name="vocabulary"/>: cached in memory, else on disk, else built and written.</summary>
    /// <param name="vocabulary">The business's words.</param>
    /// <returns>The model's files.</returns>
    /// <exception cref="IOException">The cache directory cannot be written.</exception>
    public DomainLanguageModel Get(SpeechVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var key = string.Create(CultureInfo.InvariantCulture, $"v{FormatVersion}-{vocabulary.Key}");
        var lazy = _models.GetOrAdd(key, k => new Lazy<DomainLanguageModel>(() => LoadOrBuild(k, vocabulary)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _models.TryRemove(new KeyValuePair<string, Lazy<DomainLanguageModel>>(key, lazy));
            throw;
        }
    }

    /// <summary>Builds the model text in memory (no files): the ARPA model and the dictionary lines.</summary>
    /// <param name="vocabulary">The business's words.</param>
    /// <param name="dictionary">Pronunciations.</param>
    /// <returns>ARPA text, dictionary text and the word count.</returns>
    public static (string Arpa, string Dictionary, int Words) Build(SpeechVocabulary vocabulary, PronunciationDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(dictionary);
        var pronunciations = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var builder = new ArpaLanguageModelBuilder(3);
        foreach (var sentence in ReceptionistCorpus.Sentences(vocabulary))
        {
            var words = new List<string>(sentence.Count);
            foreach (var word in sentence)
            {
                if (!pronunciations.TryGetValue(word, out var phones))
                {
                    phones = dictionary.Pronounce(word);
                    pronunciations[word] = phones;
                }

                if (phones.Count > 0)
                {
                    words.Add(word); // a word nobody can spell is left out rather than failing the model
                }
            }

            builder.Add(words);
        }

        var dict = new StringBuilder();
        int count = 0;
        foreach (var word in builder.Vocabulary.Order(StringComparer.Ordinal))
        {
            count++;
            var phones = pronunciations[word];
            for (int i = 0; i < Math.Min(3, phones.Count); i++)
            {
                dict.Append(i == 0 ? word : string.Create(CultureInfo.InvariantCulture, $"{word}({i + 1})")).Append(' ').Append(phones[i]).Append('\n');
            }
        }

        return (builder.ToArpa(), dict.ToString(), count);
    }

    private DomainLanguageModel LoadOrBuild(string key, SpeechVocabulary vocabulary)
    {
        Directory.CreateDirectory(_directory);
        var lm = Path.Combine(_directory, key + ".arpa");
        var dict = Path.Combine(_directory, key + ".dict");
        if (File.Exists(lm) && File.Exists(dict))
        {
            return new DomainLanguageModel(key, lm, dict, File.ReadLines(dict).Count(l => !l.Contains('(', StringComparison.Ordinal)));
        }

        var (arpa, dictionary, words) = Build(vocabulary, _dictionary());
        WriteAtomically(dict, dictionary);
        WriteAtomically(lm, arpa);
        return new DomainLanguageModel(key, lm, dict, words);
    }

    private static void WriteAtomically(string path, string text)
    {
        // Another process may build the same profile: each writes its own temporary file and renames it into place.
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }
}
