using System.Collections.Concurrent;

namespace Portal.Voice.SpeechToText.LanguageModels;

/// <summary>
/// A CMU-format pronunciation dictionary (<c>cmudict-en-us.dict</c> of Debian's <c>pocketsphinx-en-us</c>: one entry a
/// line, <c>word PH1 PH2 …</c>, variants as <c>word(2)</c>), used to write the small dictionary of a domain language
/// model. A word it lacks is spelled by, in order: splitting it into dictionary words ("smilecare" = "smile" + "care"),
/// then <see cref="LetterToSound"/> (espeak-ng's rules); a word neither can spell is left out of the model.
/// </summary>
/// <remarks>Format: http://www.speech.cs.cmu.edu/cgi-bin/cmudict (ARPAbet phones, stress digits removed in the sphinx copy).</remarks>
public sealed class PronunciationDictionary
{
    private static readonly ConcurrentDictionary<string, Lazy<PronunciationDictionary>> Loaded = new(StringComparer.Ordinal);

    private readonly Dictionary<string, List<string>> _entries;
    private readonly Func<string, string?>? _letterToSound;

    /// <summary>Creates a dictionary from entries already parsed.</summary>
    /// <param name="entries">Word to its pronunciations (space-separated phones), first the preferred.</param>
    /// <param name="letterToSound">Spells words the dictionary lacks (null: none).</param>
    public PronunciationDictionary(IReadOnlyDictionary<string, IReadOnlyList<string>> entries, Func<string, string?>? letterToSound = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = entries.ToDictionary(kv => kv.Key, kv => kv.Value.ToList(), StringComparer.Ordinal);
        _letterToSound = letterToSound;
    }

    /// <summary>Number of distinct words.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// Loads (once per path per process) a CMU-format dictionary file, with espeak-ng letter-to-sound for missing words.
    /// </summary>
    /// <param name="path">The dictionary file.</param>
    /// <returns>The shared dictionary.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PronunciationDictionary Load(string path) =>
        Loaded.GetOrAdd(path, p => new Lazy<PronunciationDictionary>(() => Parse(File.ReadLines(p), LetterToSound.Pronounce))).Value;

    /// <summary>Parses CMU-format lines (<c>word PH …</c>, <c>word(2) PH …</c>; blank lines and <c>;;;</c> comments skipped).</summary>
    /// <param name="lines">The lines.</param>
    /// <param name="letterToSound">Fallback speller for missing words, or null.</param>
    /// <returns>The dictionary.</returns>
    public static PronunciationDictionary Parse(IEnumerable<string> lines, Func<string, string?>? letterToSound = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var entries = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.Length == 0 || line.StartsWith(";;;", StringComparison.Ordinal))
            {
                continue;
            }

            int space = line.IndexOfAny([' ', '\t']);
            if (space <= 0)
            {
                continue;
            }

            var word = line[..space];
            int paren = word.IndexOf('(', StringComparison.Ordinal);
            if (paren > 0)
            {
                word = word[..paren];
            }

            var phones = string.Join(' ', line[(space + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
            if (phones.Length == 0)
            {
                continue;
            }

            if (entries.TryGetValue(word, out var list))
            {
                ((List<string>)list).Add(phones);
            }
            else
            {
                entries[word] = new List<string> { phones };
            }
        }

        return new PronunciationDictionary(entries, letterToSound);
    }

    /// <summary>True when the dictionary itself has <paramref name="word"/> (no fallback).</summary>
    /// <param name="word">Lower-case word.</param>
    /// <returns>Whether it is listed.</returns>
    public bool Contains(string word) => _entries.ContainsKey(word);

    /// <summary>
    /// The pronunciations of <paramref name="word"/>: the dictionary's, else the concatenation of the dictionary words it
    /// splits into (at most three parts of three or more letters), else the letter-to-sound spelling; empty when none.
    /// </summary>
    /// <param name="word">Lower-case word.</param>
    /// <returns>Pronunciations (space-separated ARPAbet phones), preferred first.</returns>
    public IReadOnlyList<string> Pronounce(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (_entries.TryGetValue(word, out var known))
        {
            return known;
        }

        if (Split(word, 3) is { } parts)
        {
            return [string.Join(' ', parts.Select(p => _entries[p][0]))];
        }

        return _letterToSound?.Invoke(word) is { Length: > 0 } spelled ? [spelled] : [];
    }

    private List<string>? Split(string word, int maxParts)
    {
        if (maxParts < 2)
        {
            return null;
        }

        // Longest head first, so "smilecare" is "smile care", not "smi lec are".
        for (int cut = word.Length - 3; cut >= 3; cut--)
        {
            var head = word[..cut];
            if (!_entries.ContainsKey(head))
            {
                continue;
            }

            var tail = word[cut..];
            if (_entries.ContainsKey(tail))
            {
                return [head, tail];
            }

            if (Split(tail, maxParts - 1) is { } rest)
            {
                return [head, .. rest];
            }
        }

        return null;
    }
}
