using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Rag.Lexical;

/// <summary>
/// Lower-cases, folds accents ("café" → "cafe"), joins a few fixed phrases ("on call", "after hours", "5 year old"), splits on
/// non-alphanumerics, drops stop words, contractions and conversational fillers, and applies the
/// conservative <see cref="EnglishStemmer"/>. Used identically for passages and queries.
/// </summary>
public static partial class Tokenizer
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "to", "of", "in", "on", "at", "for",
        "with", "by", "from", "it", "its", "this", "that", "these", "those", "i", "me", "my", "we", "our", "us", "you", "your", "he", "she", "they",
        "them", "what", "which", "who", "whom", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "have", "has", "had",
        "there", "here", "if", "so", "than", "then", "too", "very", "just", "about", "any", "some", "how", "please", "hi", "hello", "hey", "know",
        "tell", "want", "like", "get", "need", "wondering", "question", "ask", "also", "yes", "no", "ok", "okay", "um", "uh", "im", "ive",
        // Spoken and texted forms, contractions without apostrophes, fillers.
        "u", "ur", "ya", "r", "y", "whats", "wheres", "whens", "hows", "whos", "its", "youre", "theyre", "dont", "doesnt", "cant", "wont",
        "isnt", "arent", "didnt", "ill", "were", "thats", "theres", "gonna", "wanna", "gotta", "really", "actually", "basically", "maybe",
        "guys", "guy", "folks", "thanks", "thank", "hmm", "oh", "well", "quick", "quickly", "where", "when", "why", "much", "many", "one",
        "something", "anything", "nothing", "everything", "still", "even", "out", "up", "into", "over", "under", "all", "being", "able",
        "kind", "sort", "bit", "lot", "now", "today", "currently", "should", "sure", "mean", "not", "her", "him", "his", "their", "these", "she",
        "yeah", "yep", "yup", "yea", "er", "erm", "hiya", "alright", "anyway", "kinda", "sorta", "mine", "yours", "ours", "theirs", "myself",
        "yourself", "ourselves", "lets", "right", "around",
    };

    // Question words that say what kind of answer is wanted: "where is the salon" wants the address even when the
    // passage never says "where". Added to the query's terms (QueryTerms), never to a passage's.
    private static readonly (Regex Pattern, string Term)[] Intents =
    [
        (WhereIntent(), "address"),
        (OpeningIntent(), "open"),
    ];

    // Contractions that would collide with a word once the apostrophe is dropped ("I'd" vs "ID").
    private static readonly HashSet<string> Contractions = new(StringComparer.Ordinal)
    {
        "i'd", "i'm", "i've", "i'll", "we'd", "we're", "we've", "you'd", "you'll", "he'd", "she'd", "they'd", "it'd", "who'd", "what'd",
    };

    /// <summary>Index/query terms of <paramref name="text"/>, in order.</summary>
    public static List<string> Terms(string text)
    {
        var normalized = Phrases(SoundKey.Fold(text.ToLowerInvariant().Replace('\u2019', '\'')));
        var result = new List<string>();
        var sb = new StringBuilder();
        foreach (var ch in normalized)
        {
            if (char.IsLetterOrDigit(ch) || (ch == '\'' && sb.Length > 0))
            {
                sb.Append(ch);
            }
            else
            {
                Flush(sb, result);
            }
        }

        Flush(sb, result);
        return result;
    }

    /// <summary>
    /// The terms of a caller's question: <see cref="Terms"/> and, after them, the stem of each intent the question words
    /// show ("where …" → address, "what time …" / "when do you close" → open), each once and only when not already there.
    /// </summary>
    public static List<string> QueryTerms(string question)
    {
        var terms = Terms(question);
        var lower = question.ToLowerInvariant().Replace('\u2019', '\'');
        foreach (var (pattern, term) in Intents)
        {
            var stem = EnglishStemmer.Stem(term);
            if (pattern.IsMatch(lower) && !terms.Contains(stem))
            {
                terms.Add(stem);
            }
        }

        return terms;
    }

    /// <summary>True when the stem was added by <see cref="QueryTerms"/> for an intent (not typed by the caller).</summary>
    public static bool IsIntentTerm(string stem) => Intents.Any(i => EnglishStemmer.Stem(i.Term) == stem);

    /// <summary>The <see cref="EnglishStemmer"/> stem of a lower-case word.</summary>
    public static string Stem(string word) => EnglishStemmer.Stem(word);

    /// <summary>True when <paramref name="word"/> (lower case, no apostrophe) is dropped as a stop word.</summary>
    public static bool IsStopWord(string word) => StopWords.Contains(word);

    private static string Phrases(string text)
    {
        text = OnCall().Replace(text, " oncall ");
        text = AfterHours().Replace(text, " afterhours ");
        return AgeOf().Replace(text, " child ");
    }

    private static void Flush(StringBuilder sb, List<string> result)
    {
        if (sb.Length == 0)
        {
            return;
        }

        var word = sb.ToString().TrimEnd('\'');
        sb.Clear();
        if (Contractions.Contains(word))
        {
            return;
        }

        if (word.EndsWith("'s", StringComparison.Ordinal))
        {
            word = word[..^2];
        }

        word = word.Replace("'", "", StringComparison.Ordinal);
        if (word.Length > 0 && !StopWords.Contains(word))
        {
            result.Add(EnglishStemmer.Stem(word));
        }
    }

    [GeneratedRegex(@"\b(?:where|where's|wheres|whereabouts)\b")]
    private static partial Regex WhereIntent();

    [GeneratedRegex(@"\bwhat\s+time\b|\b(?:close|closing|shut)\b(?!\s+(?:to|by)\b)")]
    private static partial Regex OpeningIntent();

    [GeneratedRegex(@"\bon[\s-]+call\b")]
    private static partial Regex OnCall();

    [GeneratedRegex(@"\b(?:after|out\s+of)[\s-]+hours?\b")]
    private static partial Regex AfterHours();

    // "my 5 year old", "a two-year-old", "6 months old": a child's age.
    [GeneratedRegex(@"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[\s-]*(?:years?|yrs?|months?)[\s-]*old\b")]
    private static partial Regex AgeOf();
}
