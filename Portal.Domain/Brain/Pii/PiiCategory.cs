using Portal.Data.Entities;

namespace Portal.Domain.Brain.Pii;

/// <summary>One piece of personal data found in a text.</summary>
/// <param name="Category">What it is.</param>
/// <param name="Start">0-based start index in the original text.</param>
/// <param name="Length">Length in characters.</param>
public sealed record PiiMatch(PiiCategory Category, int Start, int Length)
{
    /// <summary>Exclusive end index.</summary>
    public int End => Start + Length;
}

/// <summary>A text with its personal data replaced by placeholders such as <c>[card number]</c>.</summary>
/// <param name="Text">The redacted text.</param>
/// <param name="Matches">What was found, in the original text's coordinates, ordered by start.</param>
public sealed record RedactionResult(string Text, IReadOnlyList<PiiMatch> Matches);
