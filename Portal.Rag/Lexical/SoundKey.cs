using System.Globalization;
using System.Text;

namespace Portal.Rag.Lexical;

/// <summary>
/// A consonant skeleton for sound-alike words that speech-to-text confuses and edit distance misses ("break" / "brake",
/// "aloud" / "allowed", "wear" / "where", "loner" / "loaner"): lower case, accents folded; c before e/i/y and z become s,
/// other c, ck, q and x become k, ph becomes f, gh and a silent final e are dropped; vowels and w/h/y dropped after the
/// first letter; doubled letters collapsed. A simplified Metaphone (Philips, "Hanging on the Metaphone", Computer Language
/// 7(12), 1990) kept deliberately small: it is used only for words the tenant's vocabulary does not contain, to pick
/// among the tenant's own words.
/// </summary>
public static class SoundKey
{
    /// <summary>The skeleton of <paramref name="word"/> (letters only; other characters ignored); empty for an empty word.</summary>
    public static string Of(string word)
    {
        var w = Fold(word.ToLowerInvariant());
        var sb = new StringBuilder(w.Length);
        for (var i = 0; i < w.Length; i++)
        {
            var c = w[i];
            var next = i + 1 < w.Length ? w[i + 1] : '\0';
            char mapped;
            switch (c)
            {
                case 'c' when next is 'e' or 'i' or 'y':
                case 'z':
                    mapped = 's';
                    break;
                case 'c' when next == 'k':
                    continue;
                case 'c' or 'q' or 'x':
                    mapped = 'k';
                    break;
                case 'p' when next == 'h':
                    mapped = 'f';
                    i++;
                    break;
                case 'g' when next == 'h':
                    i++;
                    continue;
                case 'e' when i == w.Length - 1 && i > 0:
                    continue;
                default:
                    if (!char.IsAsciiLetterLower(c))
                    {
                        continue;
                    }

                    mapped = c;
                    break;
            }

            if (sb.Length > 0 && (mapped is 'a' or 'e' or 'i' or 'o' or 'u' or 'w' or 'h' or 'y'))
            {
                continue;
            }

            if (sb.Length > 0 && sb[^1] == mapped)
            {
                continue;
            }

            sb.Append(mapped);
        }

        // A leading vowel sound is one class: "aloud" and "allowed" both start "a", "easy" and "ez" both "e".
        if (sb.Length > 0 && sb[0] is 'a' or 'e' or 'i' or 'o' or 'u')
        {
            sb[0] = 'a';
        }

        return sb.ToString();
    }

    /// <summary><paramref name="text"/> with diacritics removed ("café" → "cafe"), by Unicode canonical decomposition (NFD) without the non-spacing marks.</summary>
    public static string Fold(string text)
    {
        if (text.All(char.IsAscii))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(ch);
            }
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
