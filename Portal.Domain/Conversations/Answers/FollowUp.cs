using System.Text.RegularExpressions;
using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Conversations.Answers;

/// <summary>Replies that take the offer to hear more of an answer ("tell me more", "go on", "more details please").</summary>
public static partial class FollowUp
{
    /// <summary>True when <paramref name="utterance"/> asks for the rest of the last answer.</summary>
    public static bool AsksForMore(string utterance) => More().IsMatch(TextNormalizer.Normalize(utterance ?? ""));

    [GeneratedRegex(@"^(?:(?:yes|yeah|sure|ok|okay|please|yes please|go ahead|um|so)\s+)*(?:(?:tell me|say|give me|i would like|i want|can i get|can i have|could you give me|could i get)\s+)?(?:some\s+|a (?:bit|little) )?more(?:\s+(?:info|information|detail|details|about (?:it|that|this)|please))*$|^(?:please\s+)?(?:go on|keep going|continue|elaborate|expand on that|tell me more(?: about (?:it|that|this))?(?: please)?|what else)$")]
    private static partial Regex More();
}
