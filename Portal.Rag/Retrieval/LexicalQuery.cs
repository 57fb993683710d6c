using System.Text.RegularExpressions;
using Portal.Rag.Lexical;

namespace Portal.Rag.Retrieval;

/// <summary>
/// The lexical forms of a caller's question for PostgreSQL: the OR-of-terms <c>to_tsquery</c> terms (the caller's
/// content words, their <see cref="Tokenizer"/> stems and <see cref="ReceptionistLexicon"/> synonyms, so "do you take
/// kids" also finds "we accept children", plus the tenant's own spelling of misspelt or mis-transcribed words, so
/// "cleening" also finds "cleaning") and the content words.
/// </summary>
/// <param name="Raw">The question, trimmed (for <c>websearch_to_tsquery</c> and whole-question similarity).</param>
/// <param name="Terms">Distinct terms, letters and digits only (so safe for <c>to_tsquery</c>), at most <see cref="MaxTerms"/>.</param>
/// <param name="Words">Content words of 4+ letters, at most <see cref="MaxWords"/>.</param>
/// <param name="Corrections">Misspelt words of the question and the tenant's word each was corrected to.</param>
public sealed partial record LexicalQuery(string Raw, IReadOnlyList<string> Terms, IReadOnlyList<string> Words, IReadOnlyDictionary<string, string> Corrections)
{
    /// <summary>Most content words kept (and corrected).</summary>
    public const int MaxWords = 8;

    /// <summary>Most terms in <see cref="Terms"/>.</summary>
    public const int MaxTerms = 48;

    /// <summary><see cref="Terms"/> joined with " | " for <c>to_tsquery</c>; empty when none.</summary>
    public string OrQuery => string.Join(" | ", Terms);

    /// <summary>
    /// Builds the lexical forms of <paramref name="question"/>; with <paramref name="lexicon"/>, each content word no chunk of
    /// the tenant contains is corrected to the tenant's nearest word (<see cref="TenantLexicon.Correct"/>) and that word, its
    /// stem and synonyms are added to the terms.
    /// </summary>
    public static LexicalQuery From(string question, TenantLexicon? lexicon = null)
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

        var contentWords = words.Where(w => w.Length >= 4 && w.All(char.IsAsciiLetter)).Take(MaxWords).ToList();
        var corrections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in contentWords)
        {
            if (lexicon?.Correct(word) is { } corrected)
            {
                corrections[word] = corrected;
                terms.Add(corrected);
                foreach (var stem in Tokenizer.Terms(corrected))
                {
                    terms.AddRange(ReceptionistLexicon.Expand(stem));
                }
            }
        }

        var distinct = terms.Where(t => t.Length > 0 && t.All(char.IsAsciiLetterOrDigit)).Distinct(StringComparer.Ordinal).Take(MaxTerms).ToList();
        return new LexicalQuery(raw, distinct, contentWords, corrections);
    }

    /// <summary>
    /// The selective part of <see cref="OrQuery"/> for the candidate filter, so the rows to rank stay near
    /// <paramref name="budget"/> however large the knowledge base: terms grouped by their full-text lexemes
    /// (<paramref name="lexemesOf"/>), rarest first by <paramref name="chunkFrequency"/>, each kept for the whole chunk
    /// (<c>Filter</c>, against <c>search_vector</c>) while the chunks matched add up to at most the budget, else for
    /// questions and headings (<c>Titles</c>, against <c>title_vector</c>) while <paramref name="titleFrequency"/> fits,
    /// else left to the ranking only. When nothing fits, the group rarest in questions and headings. Words found in thousands
    /// of passages ("insurance", "offer") then select only the chunks whose question or heading has them.
    /// </summary>
    public (string Filter, string Titles) FilterQuery(Func<string, string[]> lexemesOf, Func<string, int> chunkFrequency, Func<string, int> titleFrequency, int budget)
    {
        var groups = Terms.Select(t => (Term: t, Lexemes: lexemesOf(t)))
            .Where(t => t.Lexemes.Length > 0)
            .GroupBy(t => string.Join(' ', t.Lexemes), StringComparer.Ordinal)
            .Select(g => (Terms: g.Select(t => t.Term).ToList(), Frequency: g.First().Lexemes.Max(chunkFrequency), InTitles: g.First().Lexemes.Max(titleFrequency)))
            .OrderBy(g => g.Frequency)
            .ToList();
        var filter = new List<string>();
        var titles = new List<string>();
        var total = 0;
        foreach (var (groupTerms, frequency, inTitles) in groups)
        {
            if (total + frequency <= budget)
            {
                total += frequency;
                filter.AddRange(groupTerms);
            }
            else if (total + inTitles <= budget)
            {
                total += inTitles;
                titles.AddRange(groupTerms);
            }
        }

        if (filter.Count == 0 && titles.Count == 0 && groups.Count > 0)
        {
            titles.AddRange(groups.MinBy(g => g.InTitles).Terms);
        }

        return (string.Join(" | ", filter), string.Join(" | ", titles));
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
