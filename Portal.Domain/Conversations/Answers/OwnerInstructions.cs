using System.Text.RegularExpressions;

namespace Portal.Domain.Conversations.Answers;

/// <summary>A point the owner wants every caller to hear ("Always mention we have free parking").</summary>
/// <param name="Sentence">What the agent says, as a spoken sentence ("We have free parking.").</param>
public sealed record OwnerMention(string Sentence);

/// <summary>The owner's answer to a kind of question ("If someone asks about gift cards, say we sell them at the desk").</summary>
/// <param name="Topic">What the caller asks about ("gift cards"), matched like an FAQ question.</param>
/// <param name="Answer">What the agent says.</param>
public sealed record OwnerRule(string Topic, string Answer);

/// <summary>
/// The owner's custom instructions (free text on the agent persona) read by the offline engine, which has no language
/// model to follow them: "always mention / remind callers / let people know X" becomes a point said once per
/// conversation (and the answer when a caller asks about it), "if someone asks about T, tell them X" becomes an answer
/// matched like an FAQ. Sentences of other shapes are left to the language-model engine, which receives the whole text.
/// </summary>
public static partial class OwnerInstructions
{
    /// <summary>The points to mention in <paramref name="instructions"/>, in order; empty for null or blank text.</summary>
    public static IReadOnlyList<OwnerMention> Mentions(string? instructions) =>
        string.IsNullOrWhiteSpace(instructions)
            ? []
            : [.. QuotableText.Sentences(instructions)
                .Select(s => Mention().Match(s))
                .Where(m => m.Success)
                .Select(m => new OwnerMention(Spoken(m.Groups["what"].Value)))];

    /// <summary>The conditional answers in <paramref name="instructions"/>, in order; empty for null or blank text.</summary>
    public static IReadOnlyList<OwnerRule> Rules(string? instructions) =>
        string.IsNullOrWhiteSpace(instructions)
            ? []
            : [.. QuotableText.Sentences(instructions)
                .Select(s => Rule().Match(s))
                .Where(m => m.Success)
                .Select(m => new OwnerRule(m.Groups["topic"].Value.Trim(), Spoken(m.Groups["what"].Value)))];

    /// <summary>
    /// The instruction's content as something the agent says: first letter capitalized, a final period; a bare noun
    /// phrase ("our student discount") becomes "Ask us about our student discount."
    /// </summary>
    private static string Spoken(string what)
    {
        var s = what.Trim().TrimEnd('.', '!', ';', ',').Trim().Trim('"', '\u201C', '\u201D');
        if (s.Length == 0)
        {
            return "";
        }

        if (s.StartsWith("to ", StringComparison.OrdinalIgnoreCase))
        {
            // "remind callers to bring their ID" → "Please bring your ID."
            s = "please " + ThirdPerson().Replace(s[3..], m => m.Value.ToLowerInvariant() switch { "they" => "you", "them" => "you", "their" => "your", _ => "yourself" });
        }
        else if (NounPhrase().IsMatch(s) && !HasVerb().IsMatch(s))
        {
            s = "ask us about " + s;
        }

        return char.ToUpperInvariant(s[0]) + s[1..] + ".";
    }

    private const string People = @"(?:the\s+)?(?:callers?|customers?|clients?|patients?|people|everyone|everybody|guests?|visitors?|them|folks)";

    [GeneratedRegex(@"^\W*(?:please\s+)?(?:(?:always|also|be sure to|make sure (?:to|you)|don'?t forget to|do not forget to|remember to)\s+(?:mention|say|point out|tell\s+" + People + @"|let\s+" + People + @"\s+know|remind\s+" + People + @")|mention|tell\s+" + People + @"|let\s+" + People + @"\s+know|remind\s+" + People + @")(?:\s+(?:that|about))?\s+(?<what>.{3,})$", RegexOptions.IgnoreCase)]
    private static partial Regex Mention();

    [GeneratedRegex(@"^\W*(?:if|when|whenever)\s+(?:a\s+|the\s+|any\s+)?(?:caller|customer|client|patient|someone|somebody|anyone|people|they|callers|customers|clients|patients|guests?)\s+(?:asks?|inquires?|enquires?|wants? to know|calls?)\s+(?:you\s+)?(?:about|for|whether|if|regarding)?\s*(?<topic>[^,]+?),\s*(?:then\s+)?(?:(?:tell|say|explain|answer|reply|respond|let)\s+(?:to\s+)?(?:them|him|her|the caller|callers|people)?\s*(?:know\s+)?(?:that\s+)?|(?:say|answer)\s+)?(?<what>.{3,})$", RegexOptions.IgnoreCase)]
    private static partial Regex Rule();

    [GeneratedRegex(@"\b(?:they|them|their|themselves)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ThirdPerson();

    [GeneratedRegex(@"^(?:our|the|a|an|any|some|all)\s", RegexOptions.IgnoreCase)]
    private static partial Regex NounPhrase();

    [GeneratedRegex(@"\b(?:is|are|was|were|have|has|had|do|does|can|will|offer|offers|take|takes|accept|accepts|open|opens|close|closes|get|gets|need|needs|must|should|comes?|includes?|runs?|starts?)\b|'s\b|'re\b", RegexOptions.IgnoreCase)]
    private static partial Regex HasVerb();
}
