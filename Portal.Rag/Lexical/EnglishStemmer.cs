namespace Portal.Rag.Lexical;

/// <summary>
/// A conservative English stemmer: the inflectional steps of the Porter2 ("English") Snowball
/// stemmer (steps 0, 1a, 1b, 1c and the final-e rule of step 5; https://snowballstem.org/algorithms/english/stemmer.html)
/// without the derivational steps 2-4, which conflate too much for short FAQ texts. Lexicalised
/// "-ing" nouns (a "filling" is not "to fill", "parking" is a place) are kept whole.
/// </summary>
public static class EnglishStemmer
{
    // Porter2's exceptional forms (snowballstem.org, "Exceptional forms in general").
    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.Ordinal)
    {
        ["skis"] = "ski", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie", ["news"] = "news",
        ["atlas"] = "atlas", ["cosmos"] = "cosmos", ["bias"] = "bias", ["andes"] = "andes", ["sky"] = "sky",
    };

    // Porter2 leaves these alone after step 1a.
    private static readonly HashSet<string> Invariant1A = new(StringComparer.Ordinal)
    {
        "inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed",
    };

    /// <summary>"-ing" words used as nouns in service businesses; stemming them onto the verb changes the meaning.</summary>
    private static readonly HashSet<string> IngNouns = new(StringComparer.Ordinal)
    {
        "filling", "cleaning", "whitening", "bleaching", "parking", "building", "billing", "booking", "bonding", "scaling",
        "screening", "financing", "meeting", "morning", "evening", "opening", "setting", "hearing", "painting", "wedding",
        "ceiling", "clothing", "housing", "training", "flooring", "roofing", "plumbing", "heating", "lighting", "wiring",
        "listing", "showing", "viewing", "pricing", "spacing", "swelling", "bleeding", "lining", "crowning", "siding",
        "piercing", "waxing", "threading", "coloring", "colouring", "styling", "boarding", "grooming", "catering", "framing",
    };

    /// <summary>The stem of a lower-case word (digits and words of one or two letters are returned as they are).</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 2 || !word.All(char.IsAsciiLetterLower))
        {
            return word;
        }

        if (Exceptions.TryGetValue(word, out var exceptional))
        {
            return exceptional;
        }

        // Initial y and y after a vowel are consonants (marked 'Y').
        var w = word.ToCharArray().ToList();
        for (var i = 0; i < w.Count; i++)
        {
            if (w[i] == 'y' && (i == 0 || IsVowel(w[i - 1])))
            {
                w[i] = 'Y';
            }
        }

        var s = new string([.. w]);
        var r1 = R1(s);
        s = Step1A(s);
        var plain = s.Replace('Y', 'y');
        if (Invariant1A.Contains(plain) || IngNouns.Contains(plain))
        {
            return plain;
        }

        s = Step1B(s, r1);
        s = Step1C(s);
        s = FinalE(s, r1);
        return s.Replace('Y', 'y');
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private static int R1(string s)
    {
        foreach (var prefix in (string[])["gener", "commun", "arsen"])
        {
            if (s.StartsWith(prefix, StringComparison.Ordinal))
            {
                return prefix.Length;
            }
        }

        return RegionAfter(s, 0);
    }

    private static int RegionAfter(string s, int start)
    {
        for (var i = start + 1; i < s.Length; i++)
        {
            if (!IsVowel(s[i]) && IsVowel(s[i - 1]))
            {
                return i + 1;
            }
        }

        return s.Length;
    }

    private static string Step1A(string s)
    {
        if (s.EndsWith("sses", StringComparison.Ordinal))
        {
            return s[..^2];
        }

        if (s.EndsWith("ied", StringComparison.Ordinal) || s.EndsWith("ies", StringComparison.Ordinal))
        {
            return s.Length > 4 ? s[..^2] : s[..^1];
        }

        if (s.EndsWith("us", StringComparison.Ordinal) || s.EndsWith("ss", StringComparison.Ordinal))
        {
            return s;
        }

        if (s.EndsWith('s') && s.Length >= 3 && s[..^2].Any(IsVowel))
        {
            return s[..^1];
        }

        return s;
    }

    private static string Step1B(string s, int r1)
    {
        foreach (var suffix in (string[])["eedly", "eed"])
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                return s.Length - suffix.Length >= r1 ? s[..^(suffix.Length - 2)] : s;
            }
        }

        foreach (var suffix in (string[])["ingly", "edly", "ing", "ed"])
        {
            if (!s.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            var stem = s[..^suffix.Length];
            if (!stem.Any(IsVowel))
            {
                return s;
            }

            if (stem.EndsWith("at", StringComparison.Ordinal) || stem.EndsWith("bl", StringComparison.Ordinal) || stem.EndsWith("iz", StringComparison.Ordinal))
            {
                return stem + "e";
            }

            if (stem.Length >= 2 && stem[^1] == stem[^2] && "bdfgmnprt".Contains(stem[^1], StringComparison.Ordinal))
            {
                return stem[..^1];
            }

            return IsShort(stem) ? stem + "e" : stem;
        }

        return s;
    }

    private static string Step1C(string s) =>
        s.Length > 2 && (s[^1] is 'y' or 'Y') && !IsVowel(s[^2]) ? s[..^1] + "i" : s;

    // Step 5, first rule: delete a final e in R2, or in R1 when not preceded by a short syllable.
    private static string FinalE(string s, int r1)
    {
        if (!s.EndsWith('e'))
        {
            return s;
        }

        var r2 = RegionAfter(s, r1);
        var at = s.Length - 1;
        if (at >= r2 || (at >= r1 && !EndsWithShortSyllable(s[..^1])))
        {
            return s[..^1];
        }

        return s;
    }

    private static bool IsShort(string s) => EndsWithShortSyllable(s) && R1(s) >= s.Length;

    private static bool EndsWithShortSyllable(string s)
    {
        if (s.Length == 2)
        {
            return IsVowel(s[0]) && !IsVowel(s[1]);
        }

        return s.Length >= 3 && !IsVowel(s[^3]) && IsVowel(s[^2]) && !IsVowel(s[^1]) && s[^1] is not ('w' or 'x' or 'Y');
    }
}
