using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Answers;

/// <summary>
/// The fallback relevance of short texts to a question when the knowledge base offers none of its own
/// (<see cref="Knowledge.IKnowledgeBase.RelevanceAsync"/>): the share of the question's content words (normalized,
/// crudely stemmed, stop words left out) that the text contains, in 0..1. Portal.Rag replaces it with BM25 coverage
/// (synonyms, typo correction, IDF) and, with an embedding provider, cosine similarity.
/// </summary>
public static class LexicalRelevance
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "to", "of", "in", "on", "at",
        "for", "with", "by", "from", "it", "its", "this", "that", "i", "me", "my", "we", "our", "us", "you", "your", "they", "them", "what", "which",
        "who", "can", "could", "would", "should", "will", "may", "might", "have", "has", "had", "there", "here", "if", "so", "just", "about", "any",
        "some", "how", "please", "hi", "hello", "hey", "know", "tell", "want", "like", "get", "need", "also", "yes", "no", "ok", "okay", "um", "uh",
        "not", "where", "when", "why", "much", "many", "one", "guys", "really", "still", "anything", "something", "thing", "things",
    };

    /// <summary>Content terms of <paramref name="text"/>: normalized, stemmed words that are not stop words.</summary>
    public static IReadOnlyList<string> Terms(string text) =>
        [.. TextNormalizer.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.EndsWith("'s", StringComparison.Ordinal) ? w[..^2] : w.Replace("'", "", StringComparison.Ordinal))
            .Where(w => w.Length > 1 && !StopWords.Contains(w))
            .Select(ServiceMatcher.Stem)];

    /// <summary>For each of <paramref name="texts"/>, the share (0..1) of the content terms of <paramref name="question"/> it contains.</summary>
    public static IReadOnlyList<double> Score(string question, IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var wanted = Terms(question).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return [.. texts.Select(_ => 0.0)];
        }

        return [.. texts.Select(t =>
        {
            var have = Terms(t).ToHashSet(StringComparer.Ordinal);
            return wanted.Count(have.Contains) / (double)wanted.Count;
        })];
    }
}
