using System.Diagnostics;
using System.Text;

namespace Portal.Voice.SpeechToText.LanguageModels;

/// <summary>
/// Spells a word the pronunciation dictionary lacks (a surname, a made-up business name) with espeak-ng's English
/// letter-to-sound rules: <c>espeak-ng -q --ipa -v en-us WORD</c> prints IPA, which <see cref="IpaToArpabet"/> maps to
/// the ARPAbet phones of the CMU dictionary. espeak-ng is the keyless text-to-speech engine, so it is installed wherever
/// keyless calls run; when it is not, words are simply not spelled.
/// </summary>
/// <remarks>
/// IPA symbols: https://www.internationalphoneticassociation.org/content/full-ipa-chart ; ARPAbet phone set of the CMU
/// dictionary: http://www.speech.cs.cmu.edu/cgi-bin/cmudict ; espeak-ng options: https://github.com/espeak-ng/espeak-ng/blob/master/src/espeak-ng.1.ronn
/// </remarks>
public static class LetterToSound
{
    // Longest symbols first; stress (ˈ ˌ), length (ː) and syllable marks are removed before matching.
    private static readonly (string Ipa, string Phones)[] Symbols =
    [
        ("aɪɚ", "AY ER"), ("aɪə", "AY ER"), ("aʊɚ", "AW ER"),
        ("tʃ", "CH"), ("dʒ", "JH"), ("aɪ", "AY"), ("aʊ", "AW"), ("eɪ", "EY"), ("oʊ", "OW"), ("əʊ", "OW"), ("ɔɪ", "OY"),
        ("ɛɹ", "EH R"), ("ɪɹ", "IH R"), ("ʊɹ", "UH R"), ("ɑɹ", "AA R"), ("ɔɹ", "AO R"), ("oɹ", "AO R"), ("ɜɹ", "ER"), ("əɹ", "ER"),
        ("ɪə", "IY AH"), ("iə", "IY AH"), ("n̩", "AH N"), ("l̩", "AH L"), ("m̩", "AH M"),
        ("ɚ", "ER"), ("ɝ", "ER"), ("ɜ", "ER"), ("ə", "AH"), ("ʌ", "AH"), ("ɐ", "AH"), ("æ", "AE"), ("ɑ", "AA"), ("ɒ", "AA"),
        ("ɔ", "AO"), ("ɛ", "EH"), ("e", "EH"), ("ɪ", "IH"), ("ᵻ", "IH"), ("i", "IY"), ("ʊ", "UH"), ("u", "UW"), ("o", "OW"), ("a", "AE"),
        ("p", "P"), ("b", "B"), ("t", "T"), ("d", "D"), ("k", "K"), ("ɡ", "G"), ("g", "G"), ("f", "F"), ("v", "V"), ("θ", "TH"),
        ("ð", "DH"), ("s", "S"), ("z", "Z"), ("ʃ", "SH"), ("ʒ", "ZH"), ("h", "HH"), ("m", "M"), ("n", "N"), ("ŋ", "NG"),
        ("l", "L"), ("ɫ", "L"), ("ɹ", "R"), ("r", "R"), ("ɾ", "T"), ("ʔ", "T"), ("j", "Y"), ("w", "W"), ("x", "K"), ("ç", "HH"),
    ];

    /// <summary>The ARPAbet pronunciation of <paramref name="word"/> by espeak-ng, or null when espeak-ng is missing or fails.</summary>
    /// <param name="word">A lower-case word (letters and apostrophes).</param>
    /// <returns>Space-separated phones, or null.</returns>
    public static string? Pronounce(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length == 0 || !word.All(c => char.IsLetter(c) || c == '\''))
        {
            return null;
        }

        try
        {
            var psi = new ProcessStartInfo("espeak-ng")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
            };
            foreach (var a in new[] { "-q", "--ipa", "-v", "en-us", word })
            {
                psi.ArgumentList.Add(a);
            }

            using var process = Process.Start(psi);
            if (process is null)
            {
                return null;
            }

            var ipa = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? IpaToArpabet(ipa) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // espeak-ng is not installed
        }
    }

    /// <summary>Maps an IPA transcription (espeak-ng's English output) to ARPAbet phones; unknown symbols are skipped.</summary>
    /// <param name="ipa">IPA text; spaces and stress/length marks are ignored.</param>
    /// <returns>Space-separated phones, or null when nothing maps.</returns>
    public static string? IpaToArpabet(string ipa)
    {
        ArgumentNullException.ThrowIfNull(ipa);
        var text = new StringBuilder();
        foreach (var c in ipa)
        {
            if (c is not ('ˈ' or 'ˌ' or 'ː' or 'ˑ' or '.' or '-' or ' ' or '\n' or '\r' or '\t' or '_'))
            {
                text.Append(c);
            }
        }

        var s = text.ToString();
        var phones = new List<string>();
        for (int i = 0; i < s.Length;)
        {
            var match = Symbols.FirstOrDefault(m => string.CompareOrdinal(s, i, m.Ipa, 0, m.Ipa.Length) == 0);
            if (match.Ipa is null)
            {
                i++;
                continue;
            }

            // A doubled consonant ("ɹɹ") is one phone.
            if (phones.Count == 0 || match.Phones != phones[^1] || match.Phones.Contains(' ', StringComparison.Ordinal) || IsVowel(match.Phones))
            {
                phones.Add(match.Phones);
            }

            i += match.Ipa.Length;
        }

        return phones.Count == 0 ? null : string.Join(' ', phones);
    }

    private static bool IsVowel(string phone) => phone[0] is 'A' or 'E' or 'I' or 'O' or 'U';
}
