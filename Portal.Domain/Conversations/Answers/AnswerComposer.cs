using System.Text.RegularExpressions;
using Portal.Data.Entities;

namespace Portal.Domain.Conversations.Answers;

/// <summary>A short answer, and what is left to say if the caller wants more.</summary>
/// <param name="Text">What the agent says now (one to three sentences, with an offer to say more when <paramref name="More"/> is set).</param>
/// <param name="More">The next sentences, said when the caller takes the offer; null when nothing relevant was left out.</param>
public sealed record ComposedAnswer(string Text, string? More);

/// <summary>Whether a sentence says yes or no to a yes/no question.</summary>
public enum Polarity
{
    /// <summary>The sentence does not settle the question (it does not name what was asked).</summary>
    Unknown,
    /// <summary>The sentence confirms what was asked.</summary>
    Yes,
    /// <summary>The sentence denies what was asked (a negation in the clause that names it).</summary>
    No,
}

/// <summary>
/// Turns ranked sentences into what the agent says: at most <see cref="VoiceSentences"/> sentences and about
/// <see cref="VoiceWords"/> words on a call, <see cref="ChatSentences"/> in chat, the best sentence first, "Yes, …" or
/// "No, …" first for a yes/no question when the best sentence settles it, and an offer to say more when relevant
/// sentences were left out.
/// </summary>
public static partial class AnswerComposer
{
    /// <summary>Most sentences said on a call.</summary>
    public const int VoiceSentences = 2;

    /// <summary>Words a call answer stays within (the first sentence is said whole even when longer).</summary>
    public const int VoiceWords = 40;

    /// <summary>Most sentences written in chat.</summary>
    public const int ChatSentences = 3;

    /// <summary>Asked after a call answer that left relevant sentences out.</summary>
    public const string VoiceMoreOffer = "Would you like to hear more?";

    /// <summary>Asked after a chat answer that left relevant sentences out.</summary>
    public const string ChatMoreOffer = "Would you like more detail?";

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "cannot", "unable", "unfortunately", "none", "nor", "except", "dont", "doesnt", "isnt", "arent", "cant", "wont", "nope",
    };

    /// <summary>
    /// Composes the reply from <paramref name="ranked"/> (relevant sentences, best first). <paramref name="polarity"/> puts
    /// "Yes, " or "No, " before the first sentence unless it already opens with an answer word; <paramref name="offerMore"/>
    /// false leaves the offer out (the caller is in the middle of a booking). Throws <see cref="ArgumentException"/> when
    /// <paramref name="ranked"/> is empty.
    /// </summary>
    public static ComposedAnswer Compose(IReadOnlyList<string> ranked, Channel channel, Polarity polarity, bool offerMore, string? question = null)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        if (ranked.Count == 0)
        {
            throw new ArgumentException("At least one sentence is needed.", nameof(ranked));
        }

        var voice = channel == Channel.Voice;
        var maxSentences = voice ? VoiceSentences : ChatSentences;
        var said = new List<string> { ranked[0] };
        var words = QuotableText.WordCount(ranked[0]);
        var next = 1;
        while (next < ranked.Count && said.Count < maxSentences && (!voice || words + QuotableText.WordCount(ranked[next]) <= VoiceWords))
        {
            said.Add(ranked[next]);
            words += QuotableText.WordCount(ranked[next]);
            next++;
        }

        said[0] = WithAnswerWord(said[0], polarity, question);
        var rest = ranked.Skip(next).Take(maxSentences).ToList();
        var more = rest.Count > 0 ? string.Join(" ", rest) : null;
        var text = string.Join(" ", said);
        if (more is not null && offerMore)
        {
            text += " " + (voice ? VoiceMoreOffer : ChatMoreOffer);
        }

        return new ComposedAnswer(text, offerMore ? more : null);
    }

    /// <summary>
    /// Whether <paramref name="sentence"/> (read with its <paramref name="context"/>, a heading or FAQ question) says yes or
    /// no to <paramref name="question"/>: unknown unless it names at least three quarters of the question's content words;
    /// then no when the clause naming most of them holds a negation ("we don't take checks"), else yes.
    /// </summary>
    public static Polarity PolarityOf(string question, string sentence, string? context = null)
    {
        var wanted = LexicalRelevance.Terms(question).Distinct(StringComparer.Ordinal).ToList();
        sentence = WithoutAnswerWord(sentence);
        if (wanted.Count == 0)
        {
            return Polarity.Unknown;
        }

        var all = LexicalRelevance.Terms((context ?? "") + " " + sentence).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count(w => Names(all, w)) * 4 < wanted.Count * 3)
        {
            return Polarity.Unknown;
        }

        var best = (Count: -1, Negated: false);
        foreach (var clause in Clauses().Split(sentence))
        {
            var terms = LexicalRelevance.Terms(clause).ToHashSet(StringComparer.Ordinal);
            var count = wanted.Count(w => Names(terms, w));
            var negated = Understanding.TextNormalizer.Normalize(clause).Split(' ').Any(Negations.Contains);
            if (count > best.Count || (count == best.Count && negated && count > 0))
            {
                best = (count, negated);
            }
        }

        return best.Negated ? Polarity.No : Polarity.Yes;
    }

    /// <summary><paramref name="sentence"/> without an opening "Yes," or "No," (the rest capitalized): for a sentence quoted as an answer to another question.</summary>
    public static string WithoutAnswerWord(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var m = LeadingYesNo().Match(sentence);
        if (!m.Success || m.Length >= sentence.Length)
        {
            return sentence;
        }

        var rest = sentence[m.Length..];
        return char.ToUpperInvariant(rest[0]) + rest[1..];
    }

    /// <summary>True when <paramref name="terms"/> hold <paramref name="term"/> or a word it begins ("pay" in "payment").</summary>
    private static bool Names(HashSet<string> terms, string term) =>
        terms.Contains(term) || (term.Length >= 3 && terms.Any(t => t.StartsWith(term, StringComparison.Ordinal)));

    private static string WithAnswerWord(string sentence, Polarity polarity, string? question)
    {
        if (polarity == Polarity.Unknown || AnswerWord().IsMatch(sentence))
        {
            return sentence;
        }

        var word = polarity == Polarity.Yes ? "Yes" : "No";
        return $"{word}, {LowerFirst(sentence, question)}";
    }

    /// <summary>The sentence with its first letter lower-cased unless its first word is a name (capitalized in the question, an initialism, a title).</summary>
    private static string LowerFirst(string sentence, string? question)
    {
        var first = sentence.Split(' ', 2)[0];
        var bare = first.TrimEnd('.', ',', ':', ';', '\'', 's');
        var isName = first.Length > 1 && (first.Skip(1).Any(char.IsUpper) || first.Any(char.IsDigit) || Abbreviations.IsAbbreviation(first.TrimEnd('.'))
            || (question is not null && bare.Length > 1 && Regex.IsMatch(question, $@"(?<!^\W*)\b{Regex.Escape(bare)}", RegexOptions.CultureInvariant)))
            || first == "I" || first.StartsWith("I'", StringComparison.Ordinal);
        return isName || sentence.Length == 0 ? sentence : char.ToLowerInvariant(sentence[0]) + sentence[1..];
    }

    [GeneratedRegex(@"^\W*(?:yes|yeah|yep|no|nope|sorry|unfortunately|absolutely|of course|definitely|certainly|sure)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerWord();

    [GeneratedRegex(@"^\W*(?:yes|yeah|yep|no|nope)\b[,.!]?\s+", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingYesNo();

    [GeneratedRegex(@"[,;:()\u2013\u2014]|\bbut\b|\bhowever\b", RegexOptions.IgnoreCase)]
    private static partial Regex Clauses();
}
