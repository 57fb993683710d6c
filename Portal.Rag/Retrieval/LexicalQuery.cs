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
    /// Builds the lexical forms of <paramref name="question"/>. With <paramref name="lexicon"/>, the caller's words are first
    /// matched to the tenant's own words the way a recognizer or a hurried typist gets them wrong: adjacent words that
    /// together spell one of the tenant's words, exactly or within two edits, are joined ("hi lights" → "highlights",
    /// "in visa line" → "invisalign", "pan cakes" → "pancakes"); then each content word no chunk contains is corrected to the
    /// tenant's nearest word (<see cref="TenantLexicon.Correct(string)"/>) or, failing that, to a word that sounds the same
    /// (<see cref="TenantLexicon.SoundsLike"/>: "break" → "brake"), and an unaccented word also looks for the tenant's accented
    /// spelling ("cafe" → "café"). Each word found is added to the terms with its stem and synonyms, and replaces the caller's
    /// words in <see cref="Corrected"/>.
    /// </summary>
    public static LexicalQuery From(string question, TenantLexicon? lexicon = null)
    {
        var raw = question.Trim();
        var all = Word().Matches(raw.ToLowerInvariant().Replace('\u2019', '\'').Replace("'s", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal))
            .Select(m => m.Value)
            .ToList();
        var corrections = new Dictionary<string, string>(StringComparer.Ordinal);
        if (lexicon is not null)
        {
            Join(all, lexicon, corrections);
        }

        var words = all.Where(w => !Tokenizer.IsStopWord(w)).Distinct(StringComparer.Ordinal).ToList();
        var contentWords = words.Where(w => w.Length >= 4 && w.All(char.IsAsciiLetter)).Take(MaxWords).ToList();
        var terms = new List<string>(words);
        if (lexicon is not null)
        {
            foreach (var word in contentWords.ToList())
            {
                terms.AddRange(lexicon.AccentedForms(word));
                // A word the receptionist lexicon knows is a real word, not a typo ("place" is not "please", "broke" not "broken").
                var stem = Tokenizer.Stem(word);
                if (corrections.ContainsValue(word) || ReceptionistLexicon.Group(stem) >= 0 || ReceptionistLexicon.IsGeneric(stem)
                    || (lexicon.Correct(word) ?? lexicon.SoundsLike(word)) is not { } found)
                {
                    continue;
                }

                corrections[word] = found;
                terms.Add(found);
                for (var i = 0; i < all.Count; i++)
                {
                    all[i] = all[i] == word ? found : all[i];
                }
            }
        }

        var corrected = string.Join(' ', all);
        foreach (var stem in Tokenizer.QueryTerms(corrected))
        {
            terms.AddRange(ReceptionistLexicon.Expand(stem));
        }

        var distinct = terms.Where(t => t.Length > 0 && t.All(char.IsLetterOrDigit)).Distinct(StringComparer.Ordinal).Take(MaxTerms).ToList();
        return new LexicalQuery(raw, distinct, contentWords, corrections) { Corrected = corrected };
    }

    /// <summary>
    /// The question as the tenant would have written it: lower case, the caller's words joined and corrected as
    /// <see cref="From"/> found them (for the coverage score, so a corrected word counts as said).
    /// </summary>
    public string Corrected { get; init; } = Raw;

    /// <summary>Longest run of adjacent words tried as one word.</summary>
    private const int MaxJoined = 3;

    // Replaces runs of 2..MaxJoined words that spell one tenant word by that word (the longest run first at each position). A run
    // may start with a stop word ("hi lights", "in visa line") but not end with one ("install a" is not "installed"), and the word
    // found must keep the first letter and be longer than any part by two letters or more ("where is" is not "where").
    private static void Join(List<string> words, TenantLexicon lexicon, Dictionary<string, string> corrections)
    {
        for (var i = 0; i < words.Count; i++)
        {
            for (var n = Math.Min(MaxJoined, words.Count - i); n >= 2; n--)
            {
                var parts = words.GetRange(i, n);
                if (!parts.All(p => p.All(char.IsAsciiLetter)) || Tokenizer.IsStopWord(parts[^1]))
                {
                    continue;
                }

                var joined = string.Concat(parts);
                if (joined.Length < 6)
                {
                    continue;
                }

                var found = lexicon.Contains(joined) ? joined : lexicon.Correct(joined, joined.Length >= 7 ? 2 : 1);
                if (found is null || found[0] != joined[0] || found.Length <= parts.Max(p => p.Length) + 1)
                {
                    continue;
                }

                corrections[string.Join(' ', parts)] = found;
                words.RemoveRange(i, n);
                words.Insert(i, found);
                break;
            }
        }
    }

    /// <summary>
    /// <see cref="OrQuery"/> without the terms no chunk of the tenant contains (a term whose lexemes, by <paramref name="lexemesOf"/>,
    /// all have a <paramref name="chunkFrequency"/> of 0): they cannot match, and every synonym left out is one less term for
    /// <c>ts_rank_cd</c> to score on each candidate row. Empty when no term is present.
    /// </summary>
    public string PresentOrQuery(Func<string, string[]> lexemesOf, Func<string, int> chunkFrequency) =>
        string.Join(" | ", Terms.Where(t => lexemesOf(t) is { Length: > 0 } lexemes && lexemes.Any(l => chunkFrequency(l) > 0)));

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
