using System.Collections.Frozen;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Maps what the caller said to one of the business's services despite plurals, typos, split words ("hair cut") and
/// synonyms, so the dialogue manager can book without asking "which service?" when the answer is already clear.
/// Scores are 1.0 for the exact name, 0.95 for a configured keyword, 0.9 for a built-in synonym, lower for fuzzy or partial hits.
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
            return null;
        }

        return ranked[0];
    }

    /// <summary>
    /// Scores every service against <paramref name="utterance"/> and returns those with a score above zero, best first
    /// (ties ordered by name). Scores are in 0..1.
    /// </summary>
    public static IReadOnlyList<ServiceMatch> Rank(string utterance, IReadOnlyList<ServiceCandidate> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var words = ContentWords(TextNormalizer.Normalize(utterance ?? string.Empty));
        if (words.Length == 0 || services.Count == 0)
        {
            return [];
        }

        var joined = JoinedBigrams(words);
        var matches = new List<ServiceMatch>(services.Count);
        foreach (var service in services)
        {
            var score = ScoreService(service, words, joined);
            if (score > 0)
            {
                matches.Add(new ServiceMatch(service, Math.Round(score, 3)));
            }
        }

        matches.Sort(static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(a.Service.Name, b.Service.Name);
        });
        return matches;
    }

    private static double ScoreService(ServiceCandidate service, string[] words, string[] joined)
    {
        var name = TextNormalizer.Normalize(service.Name);
        var best = ScorePhrase(name, words, joined) * NameWeight;
        foreach (var keyword in service.Keywords)
        {
            best = Math.Max(best, ScorePhrase(TextNormalizer.Normalize(keyword), words, joined) * KeywordWeight);
        }

        var paddedName = " " + name + " ";
        var stemmedName = " " + string.Join(' ', Array.ConvertAll(name.Split(' '), Stem)) + " ";
        foreach (var (key, synonyms) in ServiceSynonyms.ByNameKey)
        {
            if (!paddedName.Contains(" " + key + " ", StringComparison.Ordinal)
                && !stemmedName.Contains(" " + Stem(key) + " ", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var synonym in synonyms)
            {
                best = Math.Max(best, ScorePhrase(synonym, words, joined) * SynonymWeight);
            }
        }

        return Math.Min(best, 1.0);
    }

    /// <summary>Mean token similarity when every phrase word is found; a reduced partial score otherwise.</summary>
    private static double ScorePhrase(string phrase, string[] words, string[] joined)
    {
        if (phrase.Length == 0)
        {
            return 0;
        }

        var tokens = ContentWords(phrase);
        if (tokens.Length == 0)
        {
            tokens = phrase.Split(' ');
        }

        var sum = 0.0;
        var found = 0;
        foreach (var token in tokens)
        {
            var sim = BestSimilarity(token, words, joined);
            sum += sim;
            if (sim > 0)
            {
                found++;
            }
        }

        var score = sum / tokens.Length;
        if (tokens.Length > 1)
        {
            var compact = string.Concat(tokens);
            var asOneWord = BestSimilarity(compact, words, joined);
            if (asOneWord > 0 && found < tokens.Length)
            {
                return asOneWord;
            }
        }

        return found == tokens.Length ? score : score * PartialFactor;
    }

    private static double BestSimilarity(string token, string[] words, string[] joined)
    {
        var best = 0.0;
        foreach (var word in words)
        {
            best = Math.Max(best, Similarity(token, word));
        }

        foreach (var pair in joined)
        {
            best = Math.Max(best, Similarity(token, pair) * 0.95);
        }

        return best;
    }

    private static double Similarity(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 1.0;
        }

        var stemA = Stem(a);
        var stemB = Stem(b);
        if (string.Equals(stemA, stemB, StringComparison.Ordinal))
        {
            return 0.95;
        }

        var shorter = Math.Min(a.Length, b.Length);
        if (shorter >= 5 && (TextDistance.Osa(a, b, 1) <= 1 || stemA.Length >= 5 && TextDistance.Osa(stemA, stemB, 1) <= 1))
        {
            return 0.85;
        }

        return shorter >= 8 && TextDistance.Osa(a, b, 2) <= 2 ? 0.75 : 0;
    }

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

    private static string[] JoinedBigrams(string[] words)
    {
        if (words.Length < 2)
        {
            return [];
        }

        var joined = new string[words.Length - 1];
        for (var i = 0; i < joined.Length; i++)
        {
            joined[i] = words[i] + words[i + 1];
        }

        return joined;
    }
}
