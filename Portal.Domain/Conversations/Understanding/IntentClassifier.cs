using System.Collections.Frozen;
using System.Text;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Rule-based intent classification for the offline conversation engine: no model, deterministic, a few
/// microseconds per utterance. Matches the weighted phrase table in <see cref="IntentRules"/> on the normalized text,
/// then applies the leading yes/no logic ("yes, I'd like to book" is Book with secondary Affirm).
/// </summary>
public static class IntentClassifier
{
    private static readonly Intent[] AllIntents = Enum.GetValues<Intent>();

    /// <summary>
    /// Classifies one caller utterance. Returns <see cref="Intent.None"/> with confidence 0 for blank or unrecognised
    /// text, <see cref="Intent.Question"/> for other questions ("do you take Delta Dental insurance?").
    /// </summary>
    public static IntentResult Classify(string utterance)
    {
        var tokens = Tokenize(utterance);
        if (tokens.Length == 0)
        {
            return new IntentResult(Intent.None, 0);
        }

        var padded = Pad(tokens);
        Span<double> scores = stackalloc double[AllIntents.Length];
        foreach (var (phrase, intent, weight) in PaddedRules)
        {
            if (weight > scores[(int)intent] && padded.Contains(phrase, StringComparison.Ordinal))
            {
                scores[(int)intent] = weight;
            }
        }

        foreach (var (head, tail, intent, weight) in GapRules)
        {
            if (weight > scores[(int)intent] && MatchesWithGap(tokens, head, tail))
            {
                scores[(int)intent] = weight;
            }
        }

        var lead = LeadingYesNo(tokens);
        var (best, runnerUp) = TopTwo(scores);
        if (best == Intent.Greeting && scores[(int)runnerUp] >= 0.55)
        {
            // "Hi, I'd like a cleaning tomorrow": the greeting only opens the request, the request is the intent.
            (best, runnerUp) = (runnerUp, best);
        }

        var bestScore = scores[(int)best];
        if (best is Intent.Book or Intent.Services or Intent.None && PreparationQuestion.IsMatch(tokens))
        {
            // "do I have to do anything before I come in for colour?": about getting ready for a visit, not a request for one.
            return new IntentResult(Intent.Question, 0.8, bestScore >= 0.6 ? best : Intent.None);
        }

        if (lead != Intent.None)
        {
            var weak = bestScore < 0.6 || best is Intent.None or Intent.Thanks or Intent.Greeting
                or Intent.Affirm or Intent.Deny or Intent.Question;
            if (weak)
            {
                var secondary = best != lead && bestScore >= 0.6 ? best
                    : runnerUp != lead && scores[(int)runnerUp] >= 0.6 ? runnerUp : Intent.None;
                var confidence = tokens.Length <= 4 ? 0.95 : 0.85;
                return new IntentResult(lead, confidence, secondary);
            }

            return new IntentResult(best, bestScore, lead);
        }

        if (bestScore < 0.6 && LooksLikeQuestion(utterance, tokens))
        {
            return new IntentResult(Intent.Question, 0.6, bestScore > 0 ? best : Intent.None);
        }

        if (bestScore <= 0)
        {
            return new IntentResult(Intent.None, 0);
        }

        var second = scores[(int)runnerUp] >= 0.6 ? runnerUp : Intent.None;
        var margin = bestScore - scores[(int)runnerUp];
        var result = margin < 0.05 && second != Intent.None ? bestScore - 0.1 : bestScore;
        return new IntentResult(best, Math.Round(result, 2), second);
    }

    /// <summary>
    /// Classifies an utterance clause by clause: when it opens with an acknowledgment ("great", "no thanks", "OK then",
    /// "never mind that") and goes on with a request ("can you set me up with an appointment?"), the request is the intent
    /// and a leading yes or no is kept as <see cref="IntentResult.Secondary"/>. Otherwise the same as <see cref="Classify"/>.
    /// </summary>
    public static IntentResult ClassifyWithClauses(string utterance)
    {
        var whole = Classify(utterance);
        if (string.IsNullOrWhiteSpace(utterance) || whole.Intent is Intent.Book or Intent.Reschedule or Intent.Message or Intent.Human
            && whole.Secondary is Intent.None or Intent.Affirm or Intent.Deny)
        {
            return whole;
        }

        var (opening, rest) = ClauseSplitter.SplitOpening(utterance);
        if (rest.Length == 0)
        {
            return whole;
        }

        var marker = Classify(opening);
        var isMarker = marker.Intent is Intent.Affirm or Intent.Deny or Intent.Thanks or Intent.Greeting or Intent.None
            || marker.Intent == Intent.Cancel && marker.Confidence < 0.9; // "never mind that", "forget it"
        var request = Classify(rest);
        if (!isMarker || request.Intent is not (Intent.Book or Intent.Reschedule or Intent.Message or Intent.Human or Intent.Hours
            or Intent.Location or Intent.Services or Intent.Question) || request.Confidence < 0.55)
        {
            return whole;
        }

        var secondary = marker.Intent is Intent.Affirm or Intent.Deny ? marker.Intent : request.Secondary;
        return new IntentResult(request.Intent, request.Confidence, secondary);
    }

    private static readonly (string Phrase, Intent Intent, double Weight)[] PaddedRules = BuildPaddedRules();

    private static readonly (string[] Head, string[] Tail, Intent Intent, double Weight)[] GapRules = BuildGapRules();

    private static readonly FrozenSet<string> Vocabulary = BuildVocabulary();

    private static (string, Intent, double)[] BuildPaddedRules()
    {
        var rules = new List<(string, Intent, double)>(IntentRules.Rules.Length);
        foreach (var (phrase, intent, weight) in IntentRules.Rules)
        {
            if (!phrase.Contains(GapMarker, StringComparison.Ordinal))
            {
                rules.Add((" " + phrase + " ", intent, weight));
            }
        }

        return [.. rules];
    }

    private const string GapMarker = " * ";

    /// <summary>Largest number of words a "*" in a rule may stand for ("what time does * close": "the office").</summary>
    private const int MaxGap = 3;

    private static (string[], string[], Intent, double)[] BuildGapRules()
    {
        var rules = new List<(string[], string[], Intent, double)>();
        foreach (var (phrase, intent, weight) in IntentRules.Rules)
        {
            var gap = phrase.IndexOf(GapMarker, StringComparison.Ordinal);
            if (gap >= 0)
            {
                rules.Add((phrase[..gap].Split(' '), phrase[(gap + GapMarker.Length)..].Split(' '), intent, weight));
            }
        }

        return [.. rules];
    }

    private static FrozenSet<string> BuildVocabulary()
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (phrase, _, _) in IntentRules.Rules)
        {
            words.UnionWith(phrase.Split(' '));
        }

        words.UnionWith(IntentRules.YesWords);
        words.UnionWith(IntentRules.NoWords);
        words.UnionWith(IntentRules.Fillers);
        words.UnionWith(IntentRules.QuestionStarters);
        words.UnionWith(IntentRules.TokenFixes.Keys);
        words.Remove("*");
        return words.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>True when <paramref name="head"/> is followed, after 0..<see cref="MaxGap"/> other words, by <paramref name="tail"/>.</summary>
    private static bool MatchesWithGap(string[] tokens, string[] head, string[] tail)
    {
        for (var i = 0; i + head.Length + tail.Length <= tokens.Length; i++)
        {
            if (!SequenceAt(tokens, i, head))
            {
                continue;
            }

            var afterHead = i + head.Length;
            for (var gap = 0; gap <= MaxGap && afterHead + gap + tail.Length <= tokens.Length; gap++)
            {
                if (SequenceAt(tokens, afterHead + gap, tail))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool SequenceAt(string[] tokens, int index, string[] words)
    {
        for (var k = 0; k < words.Length; k++)
        {
            if (!string.Equals(tokens[index + k], words[k], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string[] Tokenize(string utterance)
    {
        var normalized = TextNormalizer.Normalize(utterance);
        if (normalized.Length == 0)
        {
            return [];
        }

        var raw = normalized.Split(' ');
        var tokens = new List<string>(raw.Length);
        foreach (var word in raw)
        {
            // "you guys close" / "you folks open" are "you close" / "you open": the rules are written without the address word.
            if (word is "guys" or "folks" && tokens.Count > 0 && tokens[^1] == "you")
            {
                continue;
            }

            var token = Unstretch(word);
            if (IntentRules.TokenFixes.TryGetValue(token, out var fixedToken))
            {
                token = fixedToken;
            }

            tokens.Add(token);
        }

        return [.. tokens];
    }

    /// <summary>
    /// Undoes typed elongation ("byeee", "sooo", "goood"): a letter repeated 3+ times is squeezed to one, or to two,
    /// whichever gives a word the rules know. Unknown words are left alone.
    /// </summary>
    private static string Unstretch(string token)
    {
        if (token.Length < 3 || Vocabulary.Contains(token) || !HasRunOfThree(token))
        {
            return token;
        }

        var single = Squeeze(token, 1);
        if (Vocabulary.Contains(single))
        {
            return single;
        }

        var pair = Squeeze(token, 2);
        return Vocabulary.Contains(pair) ? pair : token;
    }

    private static bool HasRunOfThree(string token)
    {
        for (var i = 2; i < token.Length; i++)
        {
            if (char.IsLetter(token[i]) && token[i] == token[i - 1] && token[i] == token[i - 2])
            {
                return true;
            }
        }

        return false;
    }

    private static string Squeeze(string token, int keep)
    {
        var sb = new StringBuilder(token.Length);
        var run = 0;
        for (var i = 0; i < token.Length; i++)
        {
            run = i > 0 && token[i] == token[i - 1] ? run + 1 : 1;
            var runLength = RunLength(token, i - run + 1);
            if (runLength < 3 || run <= keep)
            {
                sb.Append(token[i]);
            }
        }

        return sb.ToString();
    }

    private static int RunLength(string token, int start)
    {
        var end = start;
        while (end < token.Length && token[end] == token[start])
        {
            end++;
        }

        return end - start;
    }

    private static string Pad(string[] tokens)
    {
        var sb = new StringBuilder(tokens.Length * 8);
        sb.Append(' ');
        foreach (var token in tokens)
        {
            sb.Append(token).Append(' ');
        }

        return sb.ToString();
    }

    private static Intent LeadingYesNo(string[] tokens)
    {
        foreach (var token in tokens)
        {
            if (IntentRules.YesWords.Contains(token))
            {
                return Intent.Affirm;
            }

            if (IntentRules.NoWords.Contains(token))
            {
                return Intent.Deny;
            }

            if (!IntentRules.Fillers.Contains(token))
            {
                return Intent.None;
            }
        }

        return Intent.None;
    }

    private static (Intent Best, Intent RunnerUp) TopTwo(ReadOnlySpan<double> scores)
    {
        var best = Intent.None;
        var runnerUp = Intent.None;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[(int)best])
            {
                runnerUp = best;
                best = (Intent)i;
            }
            else if (scores[i] > scores[(int)runnerUp])
            {
                runnerUp = (Intent)i;
            }
        }

        return (best, runnerUp);
    }

    private static bool LooksLikeQuestion(string utterance, string[] tokens) =>
        utterance.Contains('?', StringComparison.Ordinal) || IntentRules.QuestionStarters.Contains(tokens[0]);
}
