using System.Text.RegularExpressions;
using Portal.Rag.Lexical;

namespace Portal.Rag.Retrieval;

/// <summary>
/// The lexical forms of a caller's question for PostgreSQL: an OR-of-terms <c>to_tsquery</c> text (the
/// caller's content words, their <see cref="Tokenizer"/> stems and <see cref="ReceptionistLexicon"/> synonyms,
/// so "do you take kids" also finds "we accept children") and the content words for trigram matching of
/// misspelt or mis-transcribed words.
/// </summary>
/// <param name="Raw">The question, trimmed (for <c>websearch_to_tsquery</c> and whole-question similarity).</param>
/// <param name="OrQuery">Terms joined with " | " (letters and digits only, so safe for <c>to_tsquery</c>); empty when none.</param>
/// <param name="Words">Content words of 4+ letters for trigram <c>word_similarity</c>, at most <see cref="MaxTrigramWords"/>.</param>
public sealed partial record LexicalQuery(string Raw, string OrQuery, IReadOnlyList<string> Words)
{
    /// <summary>Most words matched by trigram similarity.</summary>
    public const int MaxTrigramWords = 8;

    /// <summary>Most terms in <see cref="OrQuery"/>.</summary>
    public const int MaxTerms = 48;

    /// <summary>Builds the lexical forms of <paramref name="question"/>.</summary>
    public static LexicalQuery From(string question)
    {
        var raw = question.Trim();
        var words = Word().Matches(raw.ToLowerInvariant().Replace("'s", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal))
            .Select(m => m.Value)
            .Where(w => !Tokenizer.IsStopWord(w))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var terms = new List<string>(words);
        foreach (var stem in Tokenizer.Terms(raw))
        {
            terms.AddRange(ReceptionistLexicon.Expand(stem));
        }

        var distinct = terms.Where(t => t.Length > 0 && t.All(char.IsAsciiLetterOrDigit)).Distinct(StringComparer.Ordinal).Take(MaxTerms);
        var trigramWords = words.Where(w => w.Length >= 4 && w.All(char.IsAsciiLetter)).Take(MaxTrigramWords).ToList();
        return new LexicalQuery(raw, string.Join(" | ", distinct), trigramWords);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
