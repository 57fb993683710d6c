using System.Reflection;
using System.Text.RegularExpressions;

namespace Portal.Domain.Brain.Sentiment;

/// <summary>
/// Scores the sentiment of one utterance with the VADER method (Valence Aware Dictionary and sEntiment Reasoner:
/// C.J. Hutto and E. Gilbert, ICWSM 2014; reference implementation https://github.com/cjhutto/vaderSentiment, MIT):
/// word valences from a lexicon, scaled by booster and dampener words, flipped by a negation in the three words before,
/// emphasised by capitals and exclamation marks, weighted after "but", and normalised to a compound score in -1..1 by
/// x / sqrt(x² + 15). The lexicon is the compact embedded <c>sentiment-lexicon.tsv</c> (same format and scale as VADER's).
/// </summary>
public static class SentimentScorer
{
    // Constants of the reference implementation (vaderSentiment.py).
    private const double BoosterIncrement = 0.293;
    private const double CapsIncrement = 0.733;
    private const double NegationScalar = -0.74;
    private const double Alpha = 15;

    private static readonly Lazy<IReadOnlyDictionary<string, double>> Lexicon = new(LoadLexicon);

    private static readonly HashSet<string> Negations = new(StringComparer.OrdinalIgnoreCase)
    {
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "cannot", "cant", "can't", "dont", "don't",
        "didnt", "didn't", "doesnt", "doesn't", "isnt", "isn't", "wasnt", "wasn't", "werent", "weren't", "wont", "won't", "wouldnt",
        "wouldn't", "shouldnt", "shouldn't", "couldnt", "couldn't", "aint", "ain't", "arent", "aren't", "havent", "haven't", "hasnt",
        "hasn't", "without",
    };

    private static readonly Dictionary<string, double> Boosters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["absolutely"] = BoosterIncrement, ["very"] = BoosterIncrement, ["really"] = BoosterIncrement, ["so"] = BoosterIncrement,
        ["extremely"] = BoosterIncrement, ["totally"] = BoosterIncrement, ["incredibly"] = BoosterIncrement, ["completely"] = BoosterIncrement,
        ["super"] = BoosterIncrement, ["too"] = BoosterIncrement, ["most"] = BoosterIncrement, ["such"] = BoosterIncrement,
        ["barely"] = -BoosterIncrement, ["slightly"] = -BoosterIncrement, ["somewhat"] = -BoosterIncrement, ["kinda"] = -BoosterIncrement,
        ["hardly"] = -BoosterIncrement, ["little"] = -BoosterIncrement, ["marginally"] = -BoosterIncrement, ["partly"] = -BoosterIncrement,
    };

    /// <summary>A word; non-backtracking, so linear in the input without a wall-clock timeout.</summary>
    internal static readonly Regex Word = new(@"[A-Za-z']+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>The number of lexicon entries loaded (for the documentation and tests).</summary>
    public static int LexiconSize => Lexicon.Value.Count;

    /// <summary>The compound sentiment of <paramref name="text"/> in -1 (most negative) .. 1 (most positive); 0 when no word carries sentiment.</summary>
    public static double Compound(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }

        var tokens = Word.Matches(text).Select(m => m.Value).ToList();
        bool mixedCase = tokens.Any(IsAllCaps) && !tokens.All(IsAllCaps);
        var valences = new double[tokens.Count];
        for (int i = 0; i < tokens.Count; i++)
        {
            string lower = tokens[i].ToLowerInvariant();
            if (Boosters.ContainsKey(lower) && i + 1 < tokens.Count || !Lexicon.Value.TryGetValue(lower, out double v))
            {
                continue;
            }

            // "kind of", "like" as a filler are not sentiment.
            if (lower == "kind" && i + 1 < tokens.Count && tokens[i + 1].Equals("of", StringComparison.OrdinalIgnoreCase)
                || lower == "like" && i > 0 && IsFillerLike(tokens[i - 1]))
            {
                continue;
            }

            if (mixedCase && IsAllCaps(tokens[i]))
            {
                v += Math.Sign(v) * CapsIncrement;
            }

            for (int back = 1; back <= 3 && i - back >= 0; back++)
            {
                if (Boosters.TryGetValue(tokens[i - back], out double boost))
                {
                    double scaled = boost * Math.Sign(v) * (back == 1 ? 1 : back == 2 ? 0.95 : 0.9);
                    v += scaled;
                }

                if (Negations.Contains(tokens[i - back]))
                {
                    v *= NegationScalar;
                }
            }

            valences[i] = v;
        }

        ApplyBut(tokens, valences);
        double sum = valences.Sum();
        if (sum == 0)
        {
            return 0;
        }

        int exclamations = Math.Min(4, text.Count(c => c == '!'));
        sum += Math.Sign(sum) * exclamations * 0.292;
        return Math.Clamp(sum / Math.Sqrt(sum * sum + Alpha), -1, 1);
    }

    /// <summary>VADER's "but" rule: words before it count half, words after it one and a half times.</summary>
    private static void ApplyBut(List<string> tokens, double[] valences)
    {
        int but = tokens.FindIndex(t => t.Equals("but", StringComparison.OrdinalIgnoreCase));
        if (but < 0)
        {
            return;
        }

        for (int i = 0; i < valences.Length; i++)
        {
            valences[i] *= i < but ? 0.5 : i > but ? 1.5 : 1;
        }
    }

    private static bool IsFillerLike(string previous) =>
        previous.Equals("i'd", StringComparison.OrdinalIgnoreCase) || previous.Equals("would", StringComparison.OrdinalIgnoreCase)
        || previous.Equals("just", StringComparison.OrdinalIgnoreCase) || previous.Equals("something", StringComparison.OrdinalIgnoreCase)
        || previous.Equals("looks", StringComparison.OrdinalIgnoreCase) || previous.Equals("sounds", StringComparison.OrdinalIgnoreCase);

    private static bool IsAllCaps(string token) => token.Length > 1 && token.All(c => !char.IsLetter(c) || char.IsUpper(c));

    private static Dictionary<string, double> LoadLexicon()
    {
        var assembly = Assembly.GetExecutingAssembly();
        string name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("sentiment-lexicon.tsv", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var lexicon = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split('\t');
            lexicon[parts[0]] = double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        }

        return lexicon;
    }
}
