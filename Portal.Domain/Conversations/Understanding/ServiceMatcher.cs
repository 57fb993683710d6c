using System.Collections.Frozen;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Maps what the caller said to one of the business's services despite plurals, typos, split words ("hair cut") and
/// synonyms, so the dialogue manager can book without asking "which service?" when the answer is already clear.
/// Scores are 1.0 for the exact name, 0.95 for a configured keyword, 0.9 for a built-in synonym, lower for fuzzy or partial hits.
/// Each <see cref="ServiceCandidate"/> instance is compiled once and cached (weakly, by reference); pass a new instance when a
/// service's name or keywords change rather than mutating its keyword list.
/// </summary>
public static class ServiceMatcher
{
    /// <summary>Minimum score <see cref="Match"/> accepts.</summary>
    public const double MinimumScore = 0.6;

    private const double NameWeight = 1.0;
    private const double KeywordWeight = 0.95;
    private const double SynonymWeight = 0.9;
    private const double PartialFactor = 0.7;
    private const double TieTolerance = 0.001;

    private static readonly FrozenSet<string> StopWords = new[]
    {
        "i", "a", "an", "the", "my", "me", "to", "for", "of", "is", "are", "do", "does", "you", "we", "can", "could", "would",
        "like", "want", "need", "get", "have", "has", "some", "please", "book", "appointment", "schedule", "in", "on", "at",
        "and", "it", "this", "that", "with", "just", "your", "our", "be", "am", "was", "what", "how", "much", "cost", "am",
        "will", "should", "there", "any", "im", "hi", "hello", "hey", "so", "um", "uh", "also", "maybe", "or", "if", "about",
        "looking", "come", "done", "make", "set", "up", "see", "someone", "somebody", "one", "too", "very", "really",
        "yes", "yeah", "ok", "okay", "sure", "thanks", "thank", "please", "today", "tomorrow", "next", "week", "is", "its",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Returns the best service when it scores at least <see cref="MinimumScore"/> and no other service scores the same;
    /// null when nothing matches well enough or the top two tie (ask the caller which one).
    /// </summary>
    public static ServiceMatch? Match(string utterance, IReadOnlyList<ServiceCandidate> services)
    {
        var ranked = Rank(utterance, services);
        if (ranked.Count == 0 || ranked[0].Score < MinimumScore)
        {
            return null;
        }

        if (ranked.Count > 1 && ranked[0].Score - ranked[1].Score < TieTolerance)
        {
            return BreakTie(utterance, ranked);
        }

        return ranked[0];
    }

    /// <summary>
    /// Of services tied on their best phrase, the one whose phrases account for strictly more of the caller's words
    /// ("couples counseling": Couples Therapy has "couples" and "marriage counseling", Individual Therapy only
    /// "counseling"); null when that does not separate them either ("a cleaning or a whitening").
    /// </summary>
    private static ServiceMatch? BreakTie(string utterance, IReadOnlyList<ServiceMatch> ranked)
    {
        var words = ToTerms(ContentWords(TextNormalizer.Normalize(utterance)));
        var tied = ranked.TakeWhile(m => ranked[0].Score - m.Score < TieTolerance)
            .Select(m => (Match: m, Covered: words.Count(w => Compiled.GetValue(m.Service, Compile).Any(p => p.Tokens.Any(t => Similarity(t, w) >= 0.9)))))
            .OrderByDescending(x => x.Covered)
            .ToList();
        return tied[0].Covered > tied[1].Covered ? tied[0].Match : null;
    }

    /// <summary>
    /// Scores every service against <paramref name="utterance"/> and returns those with a score above zero, best first
    /// (ties ordered by name). Scores are in 0..1.
    /// </summary>
    public static IReadOnlyList<ServiceMatch> Rank(string utterance, IReadOnlyList<ServiceCandidate> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var words = ToTerms(ContentWords(TextNormalizer.Normalize(utterance ?? string.Empty)));
        if (words.Length == 0 || services.Count == 0)
        {
            return [];
        }

        var joined = JoinedBigrams(words);
        var matches = new List<ServiceMatch>(services.Count);
        foreach (var service in services)
        {
            var compiled = Compiled.GetValue(service, Compile);
            var score = 0.0;
            foreach (var phrase in compiled)
            {
                if (phrase.Weight > score)
                {
                    score = Math.Max(score, ScorePhrase(phrase, words, joined) * phrase.Weight);
                }
            }

            if (score > 0)
            {
                matches.Add(new ServiceMatch(service, Math.Round(Math.Min(score, 1.0), 3)));
            }
        }

        matches.Sort(static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(a.Service.Name, b.Service.Name);
        });
        return matches;
    }

    /// <summary>Compiled phrases per service instance, so repeated calls with the same catalogue do no string work.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ServiceCandidate, Phrase[]> Compiled = new();

    /// <summary>Built-in synonyms compiled once: padded key, padded stemmed key, phrases.</summary>
    private static readonly (string Key, string StemKey, Phrase[] Phrases)[] BuiltIn = CompileBuiltIn();

    private static (string, string, Phrase[])[] CompileBuiltIn()
    {
        var entries = new List<(string, string, Phrase[])>(ServiceSynonyms.ByNameKey.Count);
        foreach (var (key, synonyms) in ServiceSynonyms.ByNameKey)
        {
            var phrases = Array.ConvertAll(synonyms, synonym => CompilePhrase(synonym, SynonymWeight));
            entries.Add((" " + key + " ", " " + StemAll(key) + " ", phrases));
        }

        return [.. entries];
    }

    private static Phrase[] Compile(ServiceCandidate service)
    {
        var phrases = new List<Phrase>(8) { CompilePhrase(TextNormalizer.Normalize(service.Name), NameWeight) };
        foreach (var keyword in service.Keywords)
        {
            phrases.Add(CompilePhrase(TextNormalizer.Normalize(keyword), KeywordWeight));
        }

        var name = " " + TextNormalizer.Normalize(service.Name) + " ";
        var stemmedName = " " + StemAll(name.Trim()) + " ";
        foreach (var (key, stemKey, synonyms) in BuiltIn)
        {
            if (name.Contains(key, StringComparison.Ordinal) || stemmedName.Contains(stemKey, StringComparison.Ordinal))
            {
                phrases.AddRange(synonyms);
            }
        }

        // Keep the strongest copy of each phrase (a name that is also a built-in synonym is scored once, as the name).
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new List<Phrase>(phrases.Count);
        foreach (var phrase in phrases)
        {
            if (phrase.Tokens.Length > 0 && seen.Add(phrase.Compact.Text))
            {
                distinct.Add(phrase);
            }
        }

        return [.. distinct];
    }

    private static string StemAll(string text) => string.Join(' ', Array.ConvertAll(text.Split(' '), Stem));

    private static Phrase CompilePhrase(string normalized, double weight)
    {
        var tokens = ContentWords(normalized);
        if (tokens.Length == 0 && normalized.Length > 0)
        {
            tokens = normalized.Split(' ');
        }

        return new Phrase(ToTerms(tokens), ToTerm(string.Concat(tokens)), weight);
    }

    /// <summary>Mean token similarity when every phrase word is found; a reduced partial score otherwise.</summary>
    private static double ScorePhrase(Phrase phrase, Term[] words, Term[] joined)
    {
        var sum = 0.0;
        var found = 0;
        foreach (var token in phrase.Tokens)
        {
            var sim = BestSimilarity(token, words, joined);
            sum += sim;
            if (sim > 0)
            {
                found++;
            }
        }

        if (found == phrase.Tokens.Length)
        {
            return sum / phrase.Tokens.Length;
        }

        if (phrase.Tokens.Length > 1)
        {
            // "haircut" said for the phrase "hair cut".
            var asOneWord = BestSimilarity(phrase.Compact, words, joined);
            if (asOneWord > 0)
            {
                return asOneWord;
            }
        }

        return sum / phrase.Tokens.Length * PartialFactor;
    }

    private static double BestSimilarity(Term token, Term[] words, Term[] joined)
    {
        var best = 0.0;
        foreach (var word in words)
        {
            best = Math.Max(best, Similarity(token, word));
        }

        if (best < 1.0 && token.Text.Length >= 6)
        {
            // Compound words said apart: "hair cut" for "haircut".
            foreach (var pair in joined)
            {
                best = Math.Max(best, Similarity(token, pair) * 0.95);
            }
        }

        return best;
    }

    private static double Similarity(Term a, Term b)
    {
        if (string.Equals(a.Text, b.Text, StringComparison.Ordinal))
        {
            return 1.0;
        }

        if (string.Equals(a.Stem, b.Stem, StringComparison.Ordinal))
        {
            return 0.95;
        }

        var shorter = Math.Min(a.Text.Length, b.Text.Length);
        if (shorter < 5 || Math.Abs(a.Text.Length - b.Text.Length) > 2 || a.Text[0] != b.Text[0] && a.Text[^1] != b.Text[^1])
        {
            // One or two typos in a word of 5+ letters leave its length close and its first or last letter in place.
            return 0;
        }

        if (WithinOne(a.Text, b.Text) || a.Stem.Length >= 5 && b.Stem.Length >= 5 && WithinOne(a.Stem, b.Stem))
        {
            return 0.85;
        }

        return shorter >= 8 && a.Text[0] == b.Text[0] && TextDistance.Osa(a.Text, b.Text, 2) <= 2 ? 0.75 : 0;
    }

    private static bool WithinOne(string a, string b) =>
        Math.Abs(a.Length - b.Length) <= 1 && (a[0] == b[0] || a[^1] == b[^1]) && TextDistance.Osa(a, b, 1) <= 1;

    private static Term ToTerm(string word) => new(word, Stem(word));

    private static Term[] ToTerms(string[] words) => Array.ConvertAll(words, ToTerm);

    /// <summary>A word with its stem computed once.</summary>
    private readonly record struct Term(string Text, string Stem);

    /// <summary>A service name, keyword or synonym split into terms, with its weight.</summary>
    private sealed record Phrase(Term[] Tokens, Term Compact, double Weight);

    /// <summary>Crude English stemmer: plural and -ing/-ed endings ("cleanings" and "cleaned" both become "clean").</summary>
    internal static string Stem(string word)
    {
        var w = word;
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal))
        {
            w = w[..^3] + "y";
        }
        else if (w.Length > 4 && (w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal)
            || w.EndsWith("xes", StringComparison.Ordinal) || w.EndsWith("sses", StringComparison.Ordinal)))
        {
            w = w[..^2];
        }
        else if (w.Length > 3 && w[^1] == 's' && w[^2] != 's' && w[^2] != 'u')
        {
            w = w[..^1];
        }

        if (w.Length > 5 && w.EndsWith("ing", StringComparison.Ordinal))
        {
            w = w[..^3];
        }
        else if (w.Length > 4 && w.EndsWith("ed", StringComparison.Ordinal))
        {
            w = w[..^2];
        }

        return w;
    }

    private static string[] ContentWords(string normalized)
    {
        if (normalized.Length == 0)
        {
            return [];
        }

        var parts = normalized.Split(' ');
        var count = 0;
        foreach (var part in parts)
        {
            if (!StopWords.Contains(part))
            {
                count++;
            }
        }

        var words = new string[count];
        var k = 0;
        foreach (var part in parts)
        {
            if (!StopWords.Contains(part))
            {
                words[k++] = part;
            }
        }

        return words;
    }

    private static Term[] JoinedBigrams(Term[] words)
    {
        if (words.Length < 2)
        {
            return [];
        }

        var joined = new Term[words.Length - 1];
        for (var i = 0; i < joined.Length; i++)
        {
            joined[i] = ToTerm(words[i].Text + words[i + 1].Text);
        }

        return joined;
    }
}
