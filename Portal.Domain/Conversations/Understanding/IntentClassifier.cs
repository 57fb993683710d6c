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

        var lead = LeadingYesNo(tokens);
        var (best, runnerUp) = TopTwo(scores);
        var bestScore = scores[(int)best];

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

    private static readonly (string Phrase, Intent Intent, double Weight)[] PaddedRules = BuildPaddedRules();

    private static (string, Intent, double)[] BuildPaddedRules()
    {
        var rules = new (string, Intent, double)[IntentRules.Rules.Length];
        for (var i = 0; i < rules.Length; i++)
        {
            var (phrase, intent, weight) = IntentRules.Rules[i];
            rules[i] = (" " + phrase + " ", intent, weight);
        }

        return rules;
    }

    private static string[] Tokenize(string utterance)
    {
        var normalized = TextNormalizer.Normalize(utterance);
        if (normalized.Length == 0)
        {
            return [];
        }

        var tokens = normalized.Split(' ');
        for (var i = 0; i < tokens.Length; i++)
        {
            if (IntentRules.TokenFixes.TryGetValue(tokens[i], out var fixedToken))
            {
                tokens[i] = fixedToken;
            }
        }

        return tokens;
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
